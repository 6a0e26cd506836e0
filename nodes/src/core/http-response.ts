import type { SafeFetchResponse } from '../contract/index.ts';

const DEFAULT_RETRY_AFTER_MS = 30_000;

/** Retry-After as milliseconds: delta-seconds or an HTTP date; a default when absent or bad. */
export function retryAfterMs(header: string | undefined, now: Date): number {
  if (header === undefined) return DEFAULT_RETRY_AFTER_MS;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? DEFAULT_RETRY_AFTER_MS : Math.max(0, at - now.getTime());
}

function isTextual(contentType: string): boolean {
  return contentType === '' || contentType.startsWith('text/') || /json|xml|javascript|x-www-form-urlencoded/.test(contentType);
}

/** JSON for JSON responses, text for text, base64 for the rest, null when empty. */
export function responseBody(res: SafeFetchResponse): unknown {
  if (res.body.byteLength === 0) return null;
  const contentType = (res.headers['content-type'] ?? '').toLowerCase();
  if (contentType.includes('json')) {
    try {
      return res.json();
    } catch {
      return res.text();
    }
  }
  if (isTextual(contentType)) return res.text();
  return { encoding: 'base64', data: toBase64(res.body) };
}

// btoa, not Buffer: this package also loads in the browser (the editor imports it).
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
