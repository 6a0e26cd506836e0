import { beforeEach, describe, it, expect, vi } from 'vitest';
import { inspect } from 'node:util';

// Counts HKDF derivations, so the tests can tell a cached key from a fresh one.
const derivations = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  const hkdfSync: typeof real.hkdfSync = (...args) => {
    derivations.count++;
    return real.hkdfSync(...args);
  };
  return { ...real, default: { ...real, hkdfSync }, hkdfSync };
});

const { hkdfSync, randomBytes } = await import('node:crypto');
const { Keyring } = await import('./keyring.ts');
const { InvalidToken } = await import('./vault-errors.ts');

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const fresh = (keys: Buffer[]) => new Keyring(keys, { ownerKeyCacheSize: 0 });

beforeEach(() => {
  derivations.count = 0;
});

describe('Keyring owner-key cache', () => {
  it('derives an owner key once, then reuses it for encrypt and decrypt', () => {
    const ring = new Keyring([k1]);
    const a = ring.encrypt('owner-a', 'one');
    const b = ring.encrypt('owner-a', 'two');
    expect(ring.decrypt('owner-a', a.ciphertext)).toBe('one');
    expect(ring.decrypt('owner-a', b.ciphertext)).toBe('two');
    expect(derivations.count).toBe(1);
  });

  it('caches the same key a fresh derivation gives, in both directions', () => {
    const ring = new Keyring([k1]);
    ring.encrypt('owner-a', 'warm the cache');
    const sealed = ring.encrypt('owner-a', 'sk-cached');
    expect(fresh([k1]).decrypt('owner-a', sealed.ciphertext)).toBe('sk-cached');
    const other = fresh([k1]).encrypt('owner-a', 'sk-fresh');
    expect(ring.decrypt('owner-a', other.ciphertext)).toBe('sk-fresh');
  });

  it.each([
    ['another owner', 'owner-a', 'owner-b'],
    ['a longer id with the same prefix', 'owner-a', 'owner-a2'],
    ['the cache separator inside the id', 'a', '0\u0000a'],
    ['an id that looks like an entry of another key', '1\u0000a', 'a'],
    ['case only', 'Owner-A', 'owner-a'],
  ])("never opens one owner's row with another's cached key: %s", (_name, owner, intruder) => {
    const ring = new Keyring([k1, k2]);
    const sealed = ring.encrypt(owner, 'sk-private');
    // Both owners' keys are now cached (the intruder's under both master keys).
    ring.encrypt(intruder, 'x');
    expect(() => ring.decrypt(intruder, sealed.ciphertext)).toThrow(InvalidToken);
    expect(() => ring.rotate(intruder, sealed.ciphertext)).toThrow(InvalidToken);
    expect(ring.decrypt(owner, sealed.ciphertext)).toBe('sk-private');
  });

  it('keeps one entry per master key and owner during a rotation window', () => {
    const old = new Keyring([k1]).encrypt('owner-a', 'old');
    const ring = new Keyring([k2, k1]);
    expect(ring.decrypt('owner-a', old.ciphertext)).toBe('old');
    expect(ring.decrypt('owner-a', ring.encrypt('owner-a', 'new').ciphertext)).toBe('new');
    expect(() => ring.decrypt('owner-b', old.ciphertext)).toThrow(InvalidToken);
    derivations.count = 0;
    expect(ring.decrypt('owner-a', old.ciphertext)).toBe('old');
    expect(derivations.count).toBe(0);
  });

  it('drops the least recently used key when full, and still round-trips', () => {
    const ring = new Keyring([k1], { ownerKeyCacheSize: 2 });
    const sealed = ['a', 'b'].map((o) => ring.encrypt(o, `sk-${o}`).ciphertext);
    ring.decrypt('a', sealed[0] ?? ''); // a is now the most recent
    ring.encrypt('c', 'sk-c'); // evicts b
    expect(derivations.count).toBe(3);
    expect(ring.decrypt('a', sealed[0] ?? '')).toBe('sk-a');
    expect(derivations.count).toBe(3);
    expect(ring.decrypt('b', sealed[1] ?? '')).toBe('sk-b');
    expect(derivations.count).toBe(4);
  });

  it('derives again after dispose()', () => {
    const ring = new Keyring([k1]);
    const sealed = ring.encrypt('owner-a', 'sk-x');
    ring.dispose();
    expect(ring.decrypt('owner-a', sealed.ciphertext)).toBe('sk-x');
    expect(derivations.count).toBe(2);
  });

  it('still rejects an invalid owner id once a look-alike is cached', () => {
    const ring = new Keyring([k1]);
    ring.encrypt('42', 'x');
    expect(() => ring.encrypt(42 as unknown as string, 'x')).toThrow(RangeError);
    expect(() => ring.encrypt('', 'x')).toThrow(RangeError);
    expect(() => ring.encrypt('x'.repeat(1025), 'x')).toThrow(RangeError);
  });

  it.each([-1, 1.5, Number.NaN])('refuses a cache size of %s', (size) => {
    expect(() => new Keyring([k1], { ownerKeyCacheSize: size })).toThrow(RangeError);
  });

  it('does not show cached keys when logged', () => {
    const ring = new Keyring([k1]);
    ring.encrypt('owner-a', 'x');
    const derived = Buffer.from(hkdfSync('sha256', k1, Buffer.from('keyflow/vault/owner-key/v1'), Buffer.from('owner-a'), 32));
    const shown = [inspect(ring, { showHidden: true }), JSON.stringify(ring), String(Object.entries(ring))].join('\n');
    for (const form of [derived.toString('hex'), derived.toString('base64'), derived.toString('base64url')]) expect(shown).not.toContain(form.slice(0, 16));
  });
});
