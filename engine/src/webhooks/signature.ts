import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SignatureConfig } from './signature-config.schema.ts';

export type VerifyResult =
  | { ok: true }
  | { ok: false; reason: 'missing_signature' | 'bad_signature' | 'missing_timestamp' | 'timestamp_out_of_range' };

type Headers = Record<string, string | undefined>;

// Seconds since the epoch as plain digits; `1e9`, ` 123`, `-5` and `0x10` are not timestamps.
const TIMESTAMP = /^\d{1,12}$/;
// Bounds the work an attacker can buy with one huge header.
const MAX_PARTS = 16;

/**
 * Verifies an inbound webhook's HMAC signature over the RAW body bytes, before anything
 * parses them. Reasons: `missing_signature` (no header, or no part with the expected
 * prefix), `missing_timestamp` (absent or not plain digits), `timestamp_out_of_range`
 * (older or newer than `toleranceSeconds`), `bad_signature`. Replay within the window is
 * not detected here: the caller dedupes on the delivery id.
 * @example verifySignature(signaturePresets.github, secret, req.headers, rawBody, new Date())
 */
export function verifySignature(config: SignatureConfig, secret: string, headers: Headers, rawBody: Buffer, now: Date): VerifyResult {
  const header = headerValue(headers, config.header);
  if (header === undefined || header === '') return { ok: false, reason: 'missing_signature' };
  const parts = (config.separator === undefined ? [header] : header.split(config.separator, MAX_PARTS)).map((p) => p.trim());

  const candidates = parts
    .filter((p) => config.prefix === undefined || p.startsWith(config.prefix))
    .map((p) => p.slice(config.prefix?.length ?? 0))
    .filter((p) => p !== '');
  if (candidates.length === 0) return { ok: false, reason: 'missing_signature' };

  let timestamp: string | undefined;
  if (config.timestampHeader !== undefined || config.timestampPrefix !== undefined) {
    timestamp = readTimestamp(config, headers, parts);
    if (timestamp === undefined || !TIMESTAMP.test(timestamp)) return { ok: false, reason: 'missing_timestamp' };
    const skew = Math.abs(Math.floor(now.getTime() / 1000) - Number(timestamp));
    if (skew > config.toleranceSeconds) return { ok: false, reason: 'timestamp_out_of_range' };
  }

  const id = config.idHeader === undefined ? undefined : headerValue(headers, config.idHeader);
  if (config.idHeader !== undefined && (id === undefined || id === '')) return { ok: false, reason: 'missing_signature' };

  const payload = buildPayload(config.signedPayload, rawBody, timestamp ?? '', id ?? '');
  // Compared as canonical text, so upper-case hex or unpadded base64 is a mismatch, not a pass.
  const expected = Buffer.from(createHmac(config.algorithm, secretKey(config, secret)).update(payload).digest(config.encoding));
  const matched = candidates.some((candidate) => {
    const given = Buffer.from(candidate);
    // timingSafeEqual throws on unequal lengths; the length of a digest is public anyway.
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matched ? { ok: true } : { ok: false, reason: 'bad_signature' };
}

function headerValue(headers: Headers, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

function readTimestamp(config: SignatureConfig, headers: Headers, parts: readonly string[]): string | undefined {
  if (config.timestampHeader !== undefined) return headerValue(headers, config.timestampHeader);
  const prefix = config.timestampPrefix ?? '';
  return parts.find((p) => p.startsWith(prefix))?.slice(prefix.length);
}

function secretKey(config: SignatureConfig, secret: string): Buffer {
  const prefix = config.secretPrefix;
  const bare = prefix !== undefined && secret.startsWith(prefix) ? secret.slice(prefix.length) : secret;
  return Buffer.from(bare, config.secretEncoding === 'base64' ? 'base64' : 'utf8');
}

/** Fills the template with bytes, so the body is signed exactly as received, never re-encoded. */
function buildPayload(template: string, body: Buffer, timestamp: string, id: string): Buffer {
  const pieces: Buffer[] = [];
  let last = 0;
  for (const match of template.matchAll(/\{(body|timestamp|id)\}/g)) {
    pieces.push(Buffer.from(template.slice(last, match.index), 'utf8'));
    const name = match[1];
    pieces.push(name === 'body' ? body : Buffer.from(name === 'timestamp' ? timestamp : id, 'utf8'));
    last = match.index + match[0].length;
  }
  pieces.push(Buffer.from(template.slice(last), 'utf8'));
  return Buffer.concat(pieces);
}
