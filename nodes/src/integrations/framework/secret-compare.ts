// Shared-secret helpers for inbound triggers, browser-safe (this package also loads in the
// editor, so no node:crypto): a constant-time comparison for a secret a service echoes back
// (Telegram's X-Telegram-Bot-Api-Secret-Token) and a random secret Keyflow hands to a service.

const encoder = new TextEncoder();

/** Constant time over equal lengths; a length mismatch is refused at once (lengths are not secret). */
export function constantTimeEqual(given: string | undefined, expected: string): boolean {
  if (given === undefined || expected === '') return false;
  const a = encoder.encode(given);
  const b = encoder.encode(expected);
  if (a.byteLength !== b.byteLength) return false;
  let diff = 0;
  for (let i = 0; i < a.byteLength; i += 1) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** `bytes` random bytes as base64url (A-Z, a-z, 0-9, '-', '_'): e.g. 32 → 43 characters. */
export function randomSecret(bytes = 32): string {
  const raw = globalThis.crypto.getRandomValues(new Uint8Array(bytes));
  let binary = '';
  for (const b of raw) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
