import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { SignatureConfig } from './signature-config.schema.ts';

/**
 * What makes a verified delivery unique, taken only from what the signature covers: the signed
 * id (`id`, Standard Webhooks), or the signature itself, which covers the timestamp (`timestamp`,
 * Stripe, Slack) or only the body (`body`, GitHub: nothing bounds its age, so the key is kept
 * for a replay window). Unsigned headers never enter it, so a replayer cannot pick a fresh one.
 */
export interface ReplayKey {
  key: string;
  bound: 'id' | 'timestamp' | 'body';
}

export type VerifyResult =
  | { ok: true; replay: ReplayKey }
  | { ok: false; reason: 'missing_signature' | 'bad_signature' | 'missing_timestamp' | 'timestamp_out_of_range' | 'unusable_secret' };

type Headers = Record<string, string | undefined>;

// Seconds since the epoch as plain digits; `1e9`, ` 123`, `-5` and `0x10` are not timestamps.
const TIMESTAMP = /^\d{1,12}$/;
const TIMESTAMP_MS = /^\d{1,15}$/;
// Bounds the work an attacker can buy with one huge header.
const MAX_PARTS = 16;

/**
 * Verifies an inbound webhook's HMAC signature over the RAW body bytes, before anything
 * parses them. Reasons: `missing_signature` (no header, or no part with the expected
 * prefix), `missing_timestamp` (absent or not plain digits), `timestamp_out_of_range`
 * (older or newer than `toleranceSeconds`), `bad_signature`, `unusable_secret` (see
 * signingKey). Replay within the window is not detected here: the caller dedupes on the
 * returned `replay` key, recorded with the run it starts.
 * @example verifySignature(signaturePresets.github, secret, req.headers, rawBody, new Date())
 */
export function verifySignature(config: SignatureConfig, secret: string, headers: Headers, rawBody: Buffer, now: Date): VerifyResult {
  // An empty key makes an HMAC anyone can compute: such a secret verifies nothing.
  const key = signingKey(config, secret);
  if (typeof key === 'string') return { ok: false, reason: 'unusable_secret' };
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
    const ms = config.timestampUnit === 'milliseconds';
    if (timestamp === undefined || !(ms ? TIMESTAMP_MS : TIMESTAMP).test(timestamp)) return { ok: false, reason: 'missing_timestamp' };
    const skew = Math.abs(Math.floor(now.getTime() / 1000) - (ms ? Math.floor(Number(timestamp) / 1000) : Number(timestamp)));
    if (skew > config.toleranceSeconds) return { ok: false, reason: 'timestamp_out_of_range' };
  }

  const id = config.idHeader === undefined ? undefined : headerValue(headers, config.idHeader);
  if (config.idHeader !== undefined && (id === undefined || id === '')) return { ok: false, reason: 'missing_signature' };

  const payload = buildPayload(config.signedPayload, rawBody, timestamp ?? '', id ?? '');
  // Compared as canonical text, so upper-case hex or unpadded base64 is a mismatch, not a pass.
  const expected = Buffer.from(createHmac(config.algorithm, key).update(payload).digest(config.encoding));
  const matched = candidates.some((candidate) => {
    const given = Buffer.from(candidate);
    // timingSafeEqual throws on unequal lengths; the length of a digest is public anyway.
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matched) return { ok: false, reason: 'bad_signature' };
  return { ok: true, replay: replayKey(id, timestamp !== undefined, expected) };
}

function replayKey(id: string | undefined, timestamped: boolean, expected: Buffer): ReplayKey {
  if (id !== undefined) return { key: `id:${id.length <= 200 ? id : sha256(id)}`, bound: 'id' };
  // The expected digest, not the given one: one key per signed payload however it was spelled.
  return { key: `sig:${sha256(expected.toString())}`, bound: timestamped ? 'timestamp' : 'body' };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Shortest HMAC key accepted: below it a "secret" can be guessed. */
const MIN_KEY_BYTES = 8;

/**
 * The HMAC key a stored secret yields under `config`, or a sentence saying why it is unusable
 * (empty after the prefix, not base64, too short). Checked when the secret is set and on every verify.
 */
export function signingKey(config: Pick<SignatureConfig, 'secretEncoding' | 'secretPrefix'>, secret: string): Buffer | string {
  const prefix = config.secretPrefix;
  const bare = prefix !== undefined && secret.startsWith(prefix) ? secret.slice(prefix.length) : secret;
  if (bare === '') return 'decodes to an empty HMAC key';
  if (config.secretEncoding === 'base64') {
    // Buffer.from skips characters outside the alphabet, so "!!!!!!!!" would decode to nothing.
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(bare)) return `is not valid base64${prefix ? ` after the "${prefix}" prefix` : ''}`;
  }
  const key = Buffer.from(bare, config.secretEncoding === 'base64' ? 'base64' : 'utf8');
  if (key.length === 0) return 'decodes to an empty HMAC key';
  if (key.length < MIN_KEY_BYTES) return `decodes to ${key.length} bytes; an HMAC key needs at least ${MIN_KEY_BYTES}`;
  return key;
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
