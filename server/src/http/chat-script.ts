// The hosted chat page's script, served as a static file at CHAT_SCRIPT_PATH (never inline, and
// the same bytes for every tenant). It runs in a sandboxed, opaque origin: it can reach only the
// chat URL it was loaded on (connect-src), without cookies, and it writes replies as text only.

/** Where the script is served: under /hooks/ so it lives on the webhook origin when there is one. */
export const CHAT_SCRIPT_PATH = '/hooks/static/chat-v1.js';

export const CHAT_SCRIPT = `'use strict';
(function () {
  var log = document.getElementById('kf-log');
  var input = document.getElementById('kf-input');
  var send = document.getElementById('kf-send');
  var endpoint = location.href.split('#')[0].split('?')[0];
  var sessionId = 'web-';
  var alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  var bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  for (var i = 0; i < bytes.length; i++) sessionId += alphabet.charAt(bytes[i] % alphabet.length);
  var busy = false;

  function show(kind, text) {
    var div = document.createElement('div');
    div.className = 'kf-msg kf-msg--' + kind;
    div.textContent = text;
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }

  function submit() {
    var message = input.value.trim();
    if (!message || busy) return;
    busy = true;
    send.disabled = true;
    input.value = '';
    show('user', message);
    var pending = show('bot', '…');
    fetch(endpoint, {
      method: 'POST',
      credentials: 'omit',
      cache: 'no-store',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: sessionId, message: message })
    }).then(function (res) {
      return res.json().then(function (body) { return { ok: res.ok, body: body }; }, function () { return { ok: false, body: null }; });
    }).then(function (r) {
      if (r.ok && r.body && typeof r.body.reply === 'string') {
        pending.textContent = r.body.reply;
      } else {
        pending.className = 'kf-msg kf-msg--error';
        pending.textContent = r.body && r.body.error && typeof r.body.error.message === 'string' ? r.body.error.message : 'The message could not be answered.';
      }
    }, function () {
      pending.className = 'kf-msg kf-msg--error';
      pending.textContent = 'The message could not be sent.';
    }).then(function () {
      busy = false;
      send.disabled = false;
      input.focus();
    });
  }

  send.addEventListener('click', submit);
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); submit(); }
  });
})();
`;
