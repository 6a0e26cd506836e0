import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { fernetDecrypt, fernetEncrypt, fernetTimestamp } from './fernet.ts';
import { InvalidToken } from './vault-errors.ts';

function fixture<T extends z.ZodType>(name: string, schema: T): z.infer<T> {
  return schema.parse(JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')));
}

const base = { token: z.string(), now: z.string(), secret: z.string() };
const generate = fixture('generate.json', z.array(z.object({ ...base, iv: z.array(z.number()), src: z.string() })));
const verify = fixture('verify.json', z.array(z.object({ ...base, ttl_sec: z.number(), src: z.string() })));
const invalid = fixture('invalid.json', z.array(z.object({ ...base, desc: z.string(), ttl_sec: z.number() })));

const keyOf = (secret: string): Buffer => Buffer.from(secret, 'base64url');
const clock = (iso: string) => (): number => Date.parse(iso);

function expectInvalid(fn: () => unknown): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(InvalidToken);
  expect((caught as Error).message).toBe('credential could not be decrypted');
}

describe('fernet spec vectors', () => {
  it('has all vectors loaded', () => {
    expect([generate.length, verify.length, invalid.length]).toEqual([1, 1, 8]);
  });

  it.each(generate)('generates $token', (v) => {
    const token = fernetEncrypt(keyOf(v.secret), v.src, { now: clock(v.now), iv: Buffer.from(v.iv) });
    expect(token).toBe(v.token);
  });

  it.each(verify)('verifies $token', (v) => {
    const out = fernetDecrypt(keyOf(v.secret), v.token, { now: clock(v.now), ttlSeconds: v.ttl_sec });
    expect(out.toString('utf8')).toBe(v.src);
  });

  it.each(invalid)('rejects: $desc', (v) => {
    expectInvalid(() => fernetDecrypt(keyOf(v.secret), v.token, { now: clock(v.now), ttlSeconds: v.ttl_sec }));
  });
});

describe('fernet round trip and time', () => {
  const key = randomBytes(32);
  const t0 = 1_700_000_000;
  const at = (seconds: number) => (): number => seconds * 1000;

  it.each([0, 1, 15, 16, 17, 31, 32, 33, 1000])('round-trips %i bytes', (n) => {
    const msg = randomBytes(n);
    expect(fernetDecrypt(key, fernetEncrypt(key, msg)).equals(msg)).toBe(true);
  });

  it('round-trips unicode strings', () => {
    const s = 'clé-🔑-ключ';
    expect(fernetDecrypt(key, fernetEncrypt(key, s)).toString('utf8')).toBe(s);
  });

  it('uses a fresh IV per token', () => {
    expect(fernetEncrypt(key, 'same')).not.toBe(fernetEncrypt(key, 'same'));
  });

  it('records the clock, or an explicit timestamp', () => {
    expect(fernetTimestamp(fernetEncrypt(key, 'x', { now: at(t0) }))).toBe(t0);
    expect(fernetTimestamp(fernetEncrypt(key, 'x', { now: at(t0), timestamp: 42 }))).toBe(42);
  });

  it.each([
    { age: 0, ok: true },
    { age: 60, ok: true },
    { age: 61, ok: false },
    { age: -60, ok: true },
    { age: -61, ok: false },
  ])('with ttl 60, token aged $age s is ok=$ok', ({ age, ok }) => {
    const token = fernetEncrypt(key, 'x', { now: at(t0) });
    const run = () => fernetDecrypt(key, token, { now: at(t0 + age), ttlSeconds: 60 });
    if (ok) expect(run().toString()).toBe('x');
    else expectInvalid(run);
  });

  it('does not expire or check skew without a ttl', () => {
    const token = fernetEncrypt(key, 'x', { now: at(t0) });
    expect(fernetDecrypt(key, token, { now: at(t0 + 10 * 365 * 86400) }).toString()).toBe('x');
    expect(fernetDecrypt(key, token, { now: at(t0 - 86400) }).toString()).toBe('x');
  });

  it('rejects a key of the wrong size without mentioning the key', () => {
    expect(() => fernetEncrypt(randomBytes(16), 'x')).toThrow(RangeError);
    expect(() => fernetDecrypt(randomBytes(31), 'x')).toThrow(RangeError);
  });
});

describe('fernet tampering', () => {
  const key = randomBytes(32);
  const token = fernetEncrypt(key, 'spans two blocks!!!!', { now: () => 1_700_000_000_000 });
  const raw = Buffer.from(token, 'base64url');
  const reencode = (b: Buffer): string => b.toString('base64').replaceAll('+', '-').replaceAll('/', '_');
  const flip = (index: number): string => {
    const copy = Buffer.from(raw);
    copy[index] = (copy[index] ?? 0) ^ 0x01;
    return reencode(copy);
  };
  const regions = [
    { field: 'version', index: 0 },
    { field: 'timestamp (high byte)', index: 1 },
    { field: 'timestamp (low byte)', index: 8 },
    { field: 'iv (first)', index: 9 },
    { field: 'iv (last)', index: 24 },
    { field: 'ciphertext (first)', index: 25 },
    { field: 'ciphertext (last)', index: raw.length - 33 },
    { field: 'hmac (first)', index: raw.length - 32 },
    { field: 'hmac (last)', index: raw.length - 1 },
  ];

  it('starts from a valid, padded token', () => {
    expect(token.endsWith('=')).toBe(true);
    expect(fernetDecrypt(key, token).toString()).toBe('spans two blocks!!!!');
  });

  it.each(regions)('rejects a flipped bit in $field', ({ index }) => {
    expectInvalid(() => fernetDecrypt(key, flip(index)));
  });

  it.each([
    { name: 'empty', value: '' },
    { name: 'non-base64', value: token.slice(0, 10) + '*' + token.slice(11) },
    { name: 'standard base64 alphabet', value: raw.toString('base64').replace(/./, '+') },
    { name: 'missing padding', value: token.replace(/=+$/, '') },
    { name: 'whitespace', value: ` ${token}` },
    { name: 'truncated by one block', value: reencode(raw.subarray(0, raw.length - 16)) },
    { name: 'truncated hmac', value: reencode(raw.subarray(0, raw.length - 1)) },
    { name: 'header only', value: reencode(raw.subarray(0, 25)) },
    { name: 'extra block', value: reencode(Buffer.concat([raw, Buffer.alloc(16)])) },
    { name: 'not a string', value: 12 as unknown as string },
  ])('rejects $name', ({ value }) => {
    expectInvalid(() => fernetDecrypt(key, value));
  });

  it('rejects a token made with another key', () => {
    expectInvalid(() => fernetDecrypt(randomBytes(32), token));
  });

  it('fails the same way for a bad MAC and for bad padding under a valid MAC', () => {
    const padVector = invalid.find((v) => v.desc === 'payload padding error');
    const macVector = invalid.find((v) => v.desc === 'incorrect mac');
    const errors = [padVector, macVector].map((v) => {
      if (!v) throw new Error('vector missing');
      try {
        fernetDecrypt(keyOf(v.secret), v.token, { now: clock(v.now), ttlSeconds: v.ttl_sec });
      } catch (err) {
        return err;
      }
      return undefined;
    });
    const [pad, mac] = errors;
    expect(pad).toBeInstanceOf(InvalidToken);
    expect(mac).toBeInstanceOf(InvalidToken);
    expect({ ...(pad as object), message: (pad as Error).message }).toEqual({ ...(mac as object), message: (mac as Error).message });
    expect((pad as Error).cause).toBeUndefined();
  });

  it('fernetTimestamp rejects malformed tokens', () => {
    expectInvalid(() => fernetTimestamp('nope'));
  });
});
