// The pages Keyflow serves for hosted triggers (core.form, core.chat). Every tenant-configured
// value goes through escapeHtml; the markup, the style sheet and the chat script are Keyflow's
// own, fixed at build time, so the pages' CSP can name them by hash and exact path.
import { createHash } from 'node:crypto';
import type { FormField } from '@keyflow/nodes';

/** Text as HTML text or a quoted attribute value: nothing in it can open a tag or leave the quotes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;background:#f4f5f7;color:#1d2330}
main{max-width:40rem;margin:2rem auto;padding:1.5rem 2rem;background:#fff;border-radius:10px;box-shadow:0 1px 4px rgba(0,0,0,.1)}
h1{font-size:1.5rem;margin:0 0 .5rem}
.kf-desc{white-space:pre-wrap;color:#4a5263;margin:0 0 1.25rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
.kf-req{color:#b42318}
input,textarea,select{width:100%;font:inherit;padding:.5rem .6rem;border:1px solid #c5cad3;border-radius:6px}
input[type=checkbox]{width:auto;margin-right:.5rem}
.kf-check{display:flex;align-items:center;font-weight:600;margin:1rem 0 .25rem}
textarea{min-height:7rem}
button{margin-top:1.25rem;font:inherit;font-weight:600;padding:.6rem 1.2rem;border:0;border-radius:6px;background:#3451b2;color:#fff;cursor:pointer}
.kf-errors{background:#fdecea;border:1px solid #f5c2c0;color:#7a1a14;border-radius:6px;padding:.5rem 1rem}
.kf-error{color:#b42318;font-size:.9rem;margin:.25rem 0 0}
.kf-message{white-space:pre-wrap}
#kf-log{height:24rem;overflow-y:auto;border:1px solid #e1e4ea;border-radius:6px;padding:.75rem;margin:1rem 0;display:flex;flex-direction:column;gap:.5rem}
.kf-msg{max-width:85%;padding:.5rem .75rem;border-radius:8px;white-space:pre-wrap;word-wrap:break-word}
.kf-msg--user{align-self:flex-end;background:#3451b2;color:#fff}
.kf-msg--bot{align-self:flex-start;background:#eef0f4}
.kf-msg--error{align-self:flex-start;background:#fdecea;color:#7a1a14}
.kf-compose{display:flex;gap:.5rem;align-items:flex-end}
.kf-compose textarea{min-height:2.75rem;height:2.75rem;resize:vertical}
.kf-compose button{margin:0}
`.trim();

/** The `style-src` source of the one style block every hosted page carries. */
export const STYLE_SOURCE = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

function page(title: string, body: string, head = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title><style>${STYLE}</style>${head}</head><body><main>${body}</main></body></html>`;
}

export interface FormPageConfig {
  title: string;
  description?: string | undefined;
  fields: readonly FormField[];
  buttonLabel: string;
}

function inputType(type: FormField['type']): string {
  return type === 'email' ? 'email' : type === 'number' ? 'number' : type === 'date' ? 'date' : 'text';
}

function fieldHtml(f: FormField, index: number, value: string | undefined, error: string | undefined): string {
  const id = `kf-f${index}`;
  const name = escapeHtml(f.name);
  const req = f.required ? ' required' : '';
  const described = error ? ` aria-invalid="true" aria-describedby="${id}-err"` : '';
  const errorHtml = error ? `<p class="kf-error" id="${id}-err">${escapeHtml(error)}</p>` : '';
  const star = f.required ? ' <span class="kf-req" aria-hidden="true">*</span>' : '';
  const placeholder = f.placeholder ? ` placeholder="${escapeHtml(f.placeholder)}"` : '';
  if (f.type === 'checkbox') {
    return `<div class="kf-check"><input type="checkbox" id="${id}" name="${name}"${value ? ' checked' : ''}${req}${described}><label for="${id}">${escapeHtml(f.label)}${star}</label></div>${errorHtml}`;
  }
  const label = `<label for="${id}">${escapeHtml(f.label)}${star}</label>`;
  if (f.type === 'textarea') return `${label}<textarea id="${id}" name="${name}"${placeholder}${req}${described}>${escapeHtml(value ?? '')}</textarea>${errorHtml}`;
  if (f.type === 'select') {
    const options = (f.options ?? []).map((o) => `<option value="${escapeHtml(o)}"${o === value ? ' selected' : ''}>${escapeHtml(o)}</option>`).join('');
    return `${label}<select id="${id}" name="${name}"${req}${described}><option value="">—</option>${options}</select>${errorHtml}`;
  }
  const val = value !== undefined && value !== '' ? ` value="${escapeHtml(value)}"` : '';
  return `${label}<input type="${inputType(f.type)}" id="${id}" name="${name}"${val}${placeholder}${req}${described}>${errorHtml}`;
}

/** The form page: posts back to `action` (its own path). `values` and `errors` redisplay a refused submission. */
export function renderFormPage(form: FormPageConfig, action: string, opts: { values?: ReadonlyMap<string, readonly string[]>; errors?: readonly { field: string; message: string }[] } = {}): string {
  const errors = new Map((opts.errors ?? []).map((e) => [e.field, e.message]));
  const summary = errors.size > 0 ? `<div class="kf-errors" role="alert"><p>Please correct ${errors.size === 1 ? 'this field' : 'these fields'}:</p><ul>${[...errors.values()].map((m) => `<li>${escapeHtml(m)}</li>`).join('')}</ul></div>` : '';
  const fields = form.fields.map((f, i) => fieldHtml(f, i, opts.values?.get(f.name)?.[0], errors.get(f.name))).join('');
  const desc = form.description ? `<p class="kf-desc">${escapeHtml(form.description)}</p>` : '';
  return page(form.title, `<h1>${escapeHtml(form.title)}</h1>${desc}${summary}<form method="post" action="${escapeHtml(action)}" enctype="application/x-www-form-urlencoded" accept-charset="utf-8">${fields}<button type="submit">${escapeHtml(form.buttonLabel)}</button></form>`);
}

/** A page with a heading and a message (the thank-you page, a failure). */
export function renderMessagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p class="kf-message">${escapeHtml(message)}</p>`);
}

export interface ChatPageConfig {
  title: string;
  welcome?: string | undefined;
  placeholder: string;
}

/** The chat page: its only script is Keyflow's static one (`scriptPath`); the welcome text is data, not markup. */
export function renderChatPage(chat: ChatPageConfig, scriptPath: string): string {
  const welcome = chat.welcome ? `<div class="kf-msg kf-msg--bot">${escapeHtml(chat.welcome)}</div>` : '';
  return page(
    chat.title,
    `<h1>${escapeHtml(chat.title)}</h1><div id="kf-log" role="log" aria-live="polite">${welcome}</div><div class="kf-compose"><textarea id="kf-input" aria-label="Message" maxlength="8000" placeholder="${escapeHtml(chat.placeholder)}"></textarea><button type="button" id="kf-send">Send</button></div>`,
    // crossorigin: fetched in CORS mode (the page's origin is opaque), so the script's answer needs
    // only Access-Control-Allow-Origin and keeps Keyflow's Cross-Origin-Resource-Policy: same-origin.
    `<script src="${escapeHtml(scriptPath)}" crossorigin="anonymous" defer></script>`,
  );
}

