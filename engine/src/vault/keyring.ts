import { hkdfSync } from 'node:crypto';
import { inspect } from 'node:util';
import { fernetDecrypt, fernetEncrypt, fernetTimestamp } from './fernet.ts';
import { keyIdOf, parseKeyList } from './parse-key-list.ts';
import type { MasterKey } from './parse-key-list.ts';
import { InvalidToken } from './vault-errors.ts';

export type KeyringOptions = {
  /** Clock in milliseconds, for tests; defaults to Date.now. */
  now?: () => number;
  /** Derived per-owner keys kept in memory, least recently used dropped first (default 10,000; 0 = none). */
  ownerKeyCacheSize?: number;
};

export type Encrypted = { ciphertext: string; keyId: string };

const ENV_NAME = 'KEYFLOW_ENCRYPTION_KEYS';
// Fixed salt that scopes derived keys to this use; bump the version to change the derivation.
const OWNER_KEY_SALT = Buffer.from('keyflow/vault/owner-key/v1', 'utf8');
const HKDF_MAX_INFO_BYTES = 1024;
const DEFAULT_OWNER_KEY_CACHE_SIZE = 10_000;

function ownerKey(master: Buffer, ownerId: string): Buffer {
  const info = typeof ownerId === 'string' ? Buffer.from(ownerId, 'utf8') : Buffer.alloc(0);
  if (info.length === 0 || info.length > HKDF_MAX_INFO_BYTES) {
    throw new RangeError(`ownerId must be a non-empty string of at most ${HKDF_MAX_INFO_BYTES} bytes`);
  }
  return Buffer.from(hkdfSync('sha256', master, OWNER_KEY_SALT, info, 32));
}

/**
 * The master keys (MultiFernet semantics): the first encrypts, every key decrypts. Each owner's
 * data is sealed under a key derived from the master and the owner id, so a ciphertext copied to
 * another owner's row does not decrypt.
 */
export class Keyring {
  readonly #keys: readonly MasterKey[];
  readonly #now: (() => number) | undefined;
  // HKDF costs about as much as the Fernet operation itself, so derived keys are kept, keyed by
  // the master key's position in this ring and the owner id (a Map keeps insertion order: the
  // first entry is the least recently used). Private: never logged, serialised or handed out.
  readonly #ownerKeys = new Map<string, Buffer>();
  readonly #cacheSize: number;

  constructor(keys: readonly Buffer[], options: KeyringOptions = {}) {
    if (keys.length === 0) throw new RangeError('a keyring needs at least one key');
    this.#keys = keys.map((key) => {
      if (key.length !== 32) throw new RangeError('every keyring key must be 32 bytes');
      return { id: keyIdOf(key), key: Buffer.from(key) };
    });
    this.#now = options.now;
    const size = options.ownerKeyCacheSize ?? DEFAULT_OWNER_KEY_CACHE_SIZE;
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError('ownerKeyCacheSize must be a non-negative integer');
    this.#cacheSize = size;
  }

  /** Builds the keyring from KEYFLOW_ENCRYPTION_KEYS; throws KeyringConfigError naming `source`. */
  static fromEnv(value: string | undefined, options: KeyringOptions & { source?: string } = {}): Keyring {
    const keys = parseKeyList(value, options.source ?? ENV_NAME);
    return new Keyring(
      keys.map((k) => k.key),
      options,
    );
  }

  /** Id of the key new ciphertexts are sealed with. */
  get primaryKeyId(): string {
    return this.#primary().id;
  }

  get keyIds(): string[] {
    return this.#keys.map((k) => k.id);
  }

  encrypt(ownerId: string, plaintext: string): Encrypted {
    return this.#seal(ownerId, plaintext, undefined);
  }

  /** Tries every key; any failure is the one generic InvalidToken. */
  decrypt(ownerId: string, ciphertext: string): string {
    return this.#open(ownerId, ciphertext).toString('utf8');
  }

  /** True when a row sealed under `keyId` should be re-encrypted under the primary key. */
  needsRotation(keyId: string): boolean {
    return keyId !== this.#primary().id;
  }

  /** Re-encrypts under the primary key with a fresh IV, keeping the original timestamp. */
  rotate(ownerId: string, ciphertext: string): Encrypted {
    const plaintext = this.#open(ownerId, ciphertext);
    return this.#seal(ownerId, plaintext, fernetTimestamp(ciphertext));
  }

  /** Wipes and forgets every cached per-owner key; later calls derive them again. */
  dispose(): void {
    for (const key of this.#ownerKeys.values()) key.fill(0);
    this.#ownerKeys.clear();
  }

  toJSON(): { keyIds: string[] } {
    return { keyIds: this.keyIds };
  }

  [inspect.custom](): string {
    return `Keyring { keyIds: [${this.keyIds.join(', ')}] }`;
  }

  #primary(): MasterKey {
    const primary = this.#keys[0];
    if (!primary) throw new RangeError('a keyring needs at least one key');
    return primary;
  }

  #ownerKey(position: number, master: Buffer, ownerId: string): Buffer {
    // Only a valid id is ever cached, so anything else takes the derivation and its RangeError.
    if (typeof ownerId !== 'string' || this.#cacheSize === 0) return ownerKey(master, ownerId);
    // The position is digits, so the first NUL ends it: no two (position, owner) pairs share an entry.
    const entry = `${position}\u0000${ownerId}`;
    const cached = this.#ownerKeys.get(entry);
    if (cached) {
      this.#ownerKeys.delete(entry);
      this.#ownerKeys.set(entry, cached);
      return cached;
    }
    const derived = ownerKey(master, ownerId);
    if (this.#ownerKeys.size >= this.#cacheSize) {
      const oldest = this.#ownerKeys.keys().next();
      if (!oldest.done) {
        this.#ownerKeys.get(oldest.value)?.fill(0);
        this.#ownerKeys.delete(oldest.value);
      }
    }
    this.#ownerKeys.set(entry, derived);
    return derived;
  }

  #seal(ownerId: string, plaintext: string | Buffer, timestamp: number | undefined): Encrypted {
    const primary = this.#primary();
    const ciphertext = fernetEncrypt(this.#ownerKey(0, primary.key, ownerId), plaintext, { now: this.#now, timestamp });
    return { ciphertext, keyId: primary.id };
  }

  #open(ownerId: string, ciphertext: string): Buffer {
    for (const [position, { key }] of this.#keys.entries()) {
      try {
        // No TTL: stored credentials do not expire, and rotation must ignore age (as MultiFernet.rotate).
        return fernetDecrypt(this.#ownerKey(position, key, ownerId), ciphertext, { now: this.#now });
      } catch (err) {
        if (!(err instanceof InvalidToken)) throw err;
      }
    }
    throw new InvalidToken();
  }
}
