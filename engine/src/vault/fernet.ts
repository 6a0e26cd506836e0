import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { InvalidToken } from './vault-errors.ts';

const VERSION = 0x80;
const KEY_BYTES = 32;
const BLOCK = 16;
const HMAC_BYTES = 32;
// version (1) + timestamp (8) + IV (16)
const HEADER_BYTES = 1 + 8 + BLOCK;
const MIN_TOKEN_BYTES = HEADER_BYTES + BLOCK + HMAC_BYTES;
const MAX_CLOCK_SKEW_SECONDS = 60;
// Canonical base64url with `=` padding, as the spec vectors and pyca produce it.
const TOKEN_PATTERN = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?$/;

export type FernetEncryptOptions = {
  /** Clock in milliseconds since the epoch; defaults to Date.now. */
  now?: () => number;
  /** Fixed IV, only for test vectors; a random one is used otherwise. */
  iv?: Buffer;
  /** Timestamp in whole seconds to record instead of the clock, so rotation can keep the original. */
  timestamp?: number;
};

export type FernetDecryptOptions = {
  /** Clock in milliseconds since the epoch; defaults to Date.now. */
  now?: () => number;
  /** Maximum token age. Without it, neither age nor clock skew is checked (as pyca's decrypt(ttl=None)). */
  ttlSeconds?: number;
};

type SplitKey = { signing: Buffer; encryption: Buffer };

function splitKey(key: Buffer): SplitKey {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new RangeError(`fernet key must be ${KEY_BYTES} bytes`);
  }
  return { signing: key.subarray(0, 16), encryption: key.subarray(16, 32) };
}

function sign(signingKey: Buffer, data: Buffer): Buffer {
  return createHmac('sha256', signingKey).update(data).digest();
}

function decodeToken(token: unknown): Buffer {
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) throw new InvalidToken();
  const data = Buffer.from(token, 'base64url');
  if (data.length < MIN_TOKEN_BYTES || (data.length - HEADER_BYTES - HMAC_BYTES) % BLOCK !== 0) {
    throw new InvalidToken();
  }
  if (data[0] !== VERSION) throw new InvalidToken();
  return data;
}

// Node's 'base64url' drops the `=` padding that the spec's tokens carry.
function toBase64UrlPadded(data: Buffer): string {
  return data.toString('base64').replaceAll('+', '-').replaceAll('/', '_');
}

function nowSeconds(now: (() => number) | undefined): number {
  return Math.floor((now ?? Date.now)() / 1000);
}

function pkcs7Pad(data: Buffer): Buffer {
  const n = BLOCK - (data.length % BLOCK);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

function pkcs7Unpad(data: Buffer): Buffer {
  const n = data[data.length - 1] ?? 0;
  if (n < 1 || n > BLOCK || n > data.length) throw new InvalidToken();
  for (let i = data.length - n; i < data.length; i++) {
    if (data[i] !== n) throw new InvalidToken();
  }
  return data.subarray(0, data.length - n);
}

/**
 * Encrypts into a Fernet token (base64url with padding).
 * @example fernetEncrypt(key, 'sk-live-…') // 'gAAAAA…=='
 */
export function fernetEncrypt(key: Buffer, plaintext: Buffer | string, opts: FernetEncryptOptions = {}): string {
  const { signing, encryption } = splitKey(key);
  const iv = opts.iv ?? randomBytes(BLOCK);
  if (iv.length !== BLOCK) throw new RangeError(`fernet IV must be ${BLOCK} bytes`);
  const timestamp = opts.timestamp ?? nowSeconds(opts.now);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError('fernet timestamp must be a non-negative integer number of seconds');
  }
  const message = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  // Padding is done here so the decrypt side can check it by hand, byte for byte.
  const cipher = createCipheriv('aes-128-cbc', encryption, iv).setAutoPadding(false);
  const ciphertext = Buffer.concat([cipher.update(pkcs7Pad(message)), cipher.final()]);
  const header = Buffer.alloc(9);
  header[0] = VERSION;
  header.writeBigUInt64BE(BigInt(timestamp), 1);
  const body = Buffer.concat([header, iv, ciphertext]);
  return toBase64UrlPadded(Buffer.concat([body, sign(signing, body)]));
}

/**
 * Verifies and decrypts a Fernet token. Every failure throws the same InvalidToken.
 * @example fernetDecrypt(key, token, { ttlSeconds: 60 }).toString('utf8')
 */
export function fernetDecrypt(key: Buffer, token: string, opts: FernetDecryptOptions = {}): Buffer {
  const { signing, encryption } = splitKey(key);
  if (opts.ttlSeconds !== undefined && !(Number.isFinite(opts.ttlSeconds) && opts.ttlSeconds >= 0)) {
    throw new RangeError('ttlSeconds must be a non-negative number');
  }
  try {
    const data = decodeToken(token);
    if (opts.ttlSeconds !== undefined) {
      const timestamp = Number(data.readBigUInt64BE(1));
      const current = nowSeconds(opts.now);
      if (timestamp + opts.ttlSeconds < current) throw new InvalidToken();
      if (current + MAX_CLOCK_SKEW_SECONDS < timestamp) throw new InvalidToken();
    }
    const body = data.subarray(0, data.length - HMAC_BYTES);
    const expected = sign(signing, body);
    const actual = data.subarray(data.length - HMAC_BYTES);
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw new InvalidToken();
    const iv = body.subarray(9, HEADER_BYTES);
    const decipher = createDecipheriv('aes-128-cbc', encryption, iv).setAutoPadding(false);
    const padded = Buffer.concat([decipher.update(body.subarray(HEADER_BYTES)), decipher.final()]);
    return pkcs7Unpad(padded);
  } catch {
    // Anything thrown above (including from node:crypto) collapses to the one generic error.
    throw new InvalidToken();
  }
}

/**
 * Reads a token's recorded timestamp (seconds) without verifying it. Only trust the result after
 * the same token has passed fernetDecrypt.
 */
export function fernetTimestamp(token: string): number {
  return Number(decodeToken(token).readBigUInt64BE(1));
}
