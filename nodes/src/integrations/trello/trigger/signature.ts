// Trello signs each webhook delivery with the app secret of the API key that created the
// webhook: X-Trello-Webhook = base64(HMAC-SHA1(secret, raw body bytes + callback URL)), the
// callback URL exactly as registered. Synchronous (the framework's check is) and browser-safe.
import { hmacSha1 } from './hmac-sha1.ts';

const encoder = new TextEncoder();

function signatureBytes(secret: string, body: Uint8Array, callbackUrl: string): Uint8Array {
  const url = encoder.encode(callbackUrl);
  const signed = new Uint8Array(body.byteLength + url.byteLength);
  signed.set(body, 0);
  signed.set(url, body.byteLength);
  return hmacSha1(encoder.encode(secret), signed);
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

/** The X-Trello-Webhook value Trello would send for this body and callback URL. */
export function trelloWebhookSignature(secret: string, body: Uint8Array | string, callbackUrl: string): string {
  return toBase64(signatureBytes(secret, typeof body === 'string' ? encoder.encode(body) : body, callbackUrl));
}

/** Constant time over equal lengths; unequal lengths are refused without comparing. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let diff = 0;
  for (let i = 0; i < a.byteLength; i += 1) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** True when `header` is Trello's signature of `body` + `callbackUrl` under `secret`. Never throws on bad input. */
export function verifyTrelloSignature(secret: string, body: Uint8Array, callbackUrl: string, header: string | undefined): boolean {
  if (secret === '' || header === undefined) return false;
  const given = fromBase64(header.trim());
  if (!given || given.byteLength !== 20) return false;
  return sameBytes(given, signatureBytes(secret, body, callbackUrl));
}
