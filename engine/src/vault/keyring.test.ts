import { describe, it, expect } from 'vitest';
import { inspect } from 'node:util';
import { fernetDecrypt, fernetTimestamp } from './fernet.ts';
import { generateKey } from './generate-key.ts';
import { Keyring } from './keyring.ts';
import { keyIdOf } from './parse-key-list.ts';
import { ConfigError } from '../errors.ts';
import { InvalidToken, KeyringConfigError } from './vault-errors.ts';

const k1 = generateKey();
const k2 = generateKey();
const T0 = 1_700_000_000;
const at = (seconds: number) => (): number => seconds * 1000;

describe('Keyring encrypt/decrypt', () => {
  const ring = Keyring.fromEnv(k1);

  it('round-trips for the same owner and names the primary key', () => {
    const { ciphertext, keyId } = ring.encrypt('owner-a', 'sk-canary-123');
    expect(keyId).toBe(ring.primaryKeyId);
    expect(ciphertext).not.toContain('sk-canary');
    expect(ring.decrypt('owner-a', ciphertext)).toBe('sk-canary-123');
  });

  it("fails with the generic error for another owner's row", () => {
    const { ciphertext } = ring.encrypt('owner-a', 'sk-canary-123');
    expect(() => ring.decrypt('owner-b', ciphertext)).toThrow(InvalidToken);
    expect(() => ring.decrypt('owner-a ', ciphertext)).toThrow(InvalidToken);
  });

  it('seals under a derived key, not the bare master key', () => {
    const { ciphertext } = ring.encrypt('owner-a', 'x');
    expect(() => fernetDecrypt(Buffer.from(k1, 'base64url'), ciphertext)).toThrow(InvalidToken);
  });

  it('rejects an empty owner id', () => {
    expect(() => ring.encrypt('', 'x')).toThrow(RangeError);
  });

  it('gives a stable 8-hex key id derived from the key', () => {
    expect(ring.primaryKeyId).toMatch(/^[0-9a-f]{8}$/);
    expect(Keyring.fromEnv(k1).primaryKeyId).toBe(ring.primaryKeyId);
    expect(ring.primaryKeyId).toBe(keyIdOf(Buffer.from(k1, 'base64url')));
    expect(Keyring.fromEnv(k2).primaryKeyId).not.toBe(ring.primaryKeyId);
  });

  it('does not show key material when logged', () => {
    const twoKeys = Keyring.fromEnv(`${k1},${k2}`);
    for (const out of [inspect(twoKeys, { showHidden: true }), JSON.stringify(twoKeys), String(Object.entries(twoKeys))]) {
      expect(out).not.toContain(k1.slice(0, 20));
      expect(out).not.toContain(k2.slice(0, 20));
    }
    expect(JSON.stringify(twoKeys)).toBe(JSON.stringify({ keyIds: twoKeys.keyIds }));
  });
});

describe('Keyring with several keys', () => {
  const old = Keyring.fromEnv(k1, { now: at(T0) });
  const both = Keyring.fromEnv(`${k2}, ${k1}`, { now: at(T0 + 5000) });

  it('encrypts with the first key and decrypts with any', () => {
    const sealedOld = old.encrypt('owner-a', 'old secret');
    const sealedNew = both.encrypt('owner-a', 'new secret');
    expect(sealedNew.keyId).toBe(keyIdOf(Buffer.from(k2, 'base64url')));
    expect(both.decrypt('owner-a', sealedOld.ciphertext)).toBe('old secret');
    expect(both.decrypt('owner-a', sealedNew.ciphertext)).toBe('new secret');
    expect(() => old.decrypt('owner-a', sealedNew.ciphertext)).toThrow(InvalidToken);
  });

  it('flags rows under a non-primary key for rotation', () => {
    expect(both.needsRotation(old.primaryKeyId)).toBe(true);
    expect(both.needsRotation(both.primaryKeyId)).toBe(false);
  });

  it('rotates to the first key, keeping the original timestamp', () => {
    const sealed = old.encrypt('owner-a', 'sk-rotate-me');
    const rotated = both.rotate('owner-a', sealed.ciphertext);
    expect(rotated.keyId).toBe(both.primaryKeyId);
    expect(rotated.keyId).not.toBe(sealed.keyId);
    expect(rotated.ciphertext).not.toBe(sealed.ciphertext);
    expect(fernetTimestamp(rotated.ciphertext)).toBe(T0);
    expect(both.decrypt('owner-a', rotated.ciphertext)).toBe('sk-rotate-me');
    // Once the old key is dropped, only the rotated token still opens.
    const newOnly = Keyring.fromEnv(k2);
    expect(newOnly.decrypt('owner-a', rotated.ciphertext)).toBe('sk-rotate-me');
    expect(() => newOnly.decrypt('owner-a', sealed.ciphertext)).toThrow(InvalidToken);
  });

  it('refuses to rotate a row that belongs to another owner', () => {
    const sealed = old.encrypt('owner-a', 'x');
    expect(() => both.rotate('owner-b', sealed.ciphertext)).toThrow(InvalidToken);
  });
});

describe('Keyring.fromEnv errors', () => {
  it.each([
    { name: 'missing', value: undefined, mentions: 'not set' },
    { name: 'blank', value: '   ', mentions: 'not set' },
    { name: 'stray comma', value: `${k1},`, mentions: 'key 2 of 2 is empty' },
    { name: 'too short', value: k1.slice(0, 40), mentions: 'key 1 of 1 is not a valid key' },
    { name: 'quoted', value: `"${k1}"`, mentions: 'key 1 of 1 is not a valid key' },
    { name: 'raw 32 chars', value: 'x'.repeat(32), mentions: 'key 1 of 1 is not a valid key' },
    { name: 'bad second key', value: `${k1},${k2.slice(1)}`, mentions: 'key 2 of 2 is not a valid key' },
    { name: 'duplicate', value: `${k1},${k2},${k1}`, mentions: 'key 3 of 3 repeats key 1' },
  ])('$name: names the variable, explains, never echoes the key', ({ value, mentions }) => {
    let caught: unknown;
    try {
      Keyring.fromEnv(value);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(KeyringConfigError);
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).variable).toBe('KEYFLOW_ENCRYPTION_KEYS');
    const message = (caught as Error).message;
    expect(message).toContain('KEYFLOW_ENCRYPTION_KEYS');
    expect(message).toContain(mentions);
    for (const key of [k1, k2]) expect(message).not.toContain(key.slice(1, 12));
    if (value?.trim()) expect(message).not.toContain(value.trim().slice(1, 12));
  });

  it('rejects standard base64 with + and /', () => {
    const std = Buffer.alloc(32, 0xfb).toString('base64');
    expect(std).toMatch(/[+/]/);
    expect(() => Keyring.fromEnv(std)).toThrow(KeyringConfigError);
    expect(Keyring.fromEnv(Buffer.alloc(32, 0xfb).toString('base64url')).keyIds).toHaveLength(1);
  });

  it('accepts keys without padding and with surrounding spaces', () => {
    const ring = Keyring.fromEnv(` ${k1.replace('=', '')} ,${k2} `);
    expect(ring.keyIds).toEqual([Keyring.fromEnv(k1).primaryKeyId, Keyring.fromEnv(k2).primaryKeyId]);
  });

  it('accepts a key produced by Python Fernet.generate_key() (spec vector key)', () => {
    expect(Keyring.fromEnv('cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=').keyIds).toHaveLength(1);
  });
});

describe('generateKey', () => {
  it('makes distinct 44-character url-safe keys of 32 bytes', () => {
    const a = generateKey();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(generateKey()).not.toBe(a);
  });
});
