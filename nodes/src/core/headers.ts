import { z } from 'zod';

// Headers that carry credentials: never copied into a step's output (outputs are stored).
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'x-keyflow-signature']);

/** Copies headers with lower-cased names, minus the ones that carry credentials. */
export function publicHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof headers !== 'object' || headers === null) return out;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (SECRET_HEADERS.has(lower)) continue;
    if (typeof value === 'string') out[lower] = value;
    else if (Array.isArray(value)) out[lower] = value.filter((v) => typeof v === 'string').join(', ');
  }
  return out;
}

// RFC 9110 token for names; values without CR/LF/NUL, so config cannot split a header.
export const headerRecordSchema = z.record(
  z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/, 'invalid header name'),
  z.string().max(8192).regex(/^[^\r\n\0]*$/, 'a header value cannot contain line breaks'),
);
