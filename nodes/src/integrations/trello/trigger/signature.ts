// Trello signs each webhook delivery with the app secret of the API key that created the
// webhook: X-Trello-Webhook = base64(HMAC-SHA1(secret, raw body bytes + callback URL)). Web
// Crypto, not node:crypto: this package also loads in the browser.

const encoder = new TextEncoder();

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** The raw body and the callback URL exactly as registered (Trello signs the URL it calls). */
async function hmac(secret: string, body: Uint8Array, callbackUrl: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, concat(body, encoder.encode(callbackUrl))));
}

/** The X-Trello-Webhook value Trello would send for this body and callback URL. */
export async function trelloWebhookSignature(secret: string, body: Uint8Array | string, callbackUrl: string): Promise<string> {
  return toBase64(await hmac(secret, typeof body === 'string' ? encoder.encode(body) : body, callbackUrl));
}

/** Constant time over equal lengths; unequal lengths are refused without comparing. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let diff = 0;
  for (let i = 0; i < a.byteLength; i += 1) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** True when `header` is Trello's signature of `body` + `callbackUrl` under `secret`. Never throws on bad input. */
export async function verifyTrelloSignature(secret: string, body: Uint8Array, callbackUrl: string, header: string | undefined): Promise<boolean> {
  if (secret === '' || header === undefined) return false;
  const given = fromBase64(header.trim());
  if (!given || given.byteLength !== 20) return false;
  return sameBytes(given, await hmac(secret, body, callbackUrl));
}
