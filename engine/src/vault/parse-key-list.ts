import { createHash } from 'node:crypto';
import { KeyringConfigError } from './vault-errors.ts';

export type MasterKey = { id: string; key: Buffer };

const KEY_BYTES = 32;
// 32 bytes in base64url: 43 characters plus one optional `=` (Python's Fernet.generate_key() keeps it).
const KEY_PATTERN = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]=?$/;
const HOW_TO_GENERATE =
  "Each key is 32 random bytes in url-safe base64 (44 characters, like Python's Fernet.generate_key()); " +
  "generate one with: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64url') + '=')\"";

/** Stable, public short id of a master key: it names the key in rows and logs without revealing it. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Parses a comma-separated key list. Errors name `source` and the entry's position, never its text.
 * @example parseKeyList(process.env.KEYFLOW_ENCRYPTION_KEYS, 'KEYFLOW_ENCRYPTION_KEYS')
 */
export function parseKeyList(value: string | undefined, source: string): MasterKey[] {
  if (value === undefined || value.trim() === '') {
    throw new KeyringConfigError(source, `not set or empty. ${HOW_TO_GENERATE}`);
  }
  const entries = value.split(',').map((entry) => entry.trim());
  const keys: MasterKey[] = [];
  entries.forEach((entry, i) => {
    const where = `key ${i + 1} of ${entries.length}`;
    if (entry === '') {
      throw new KeyringConfigError(source, `${where} is empty (check for a stray comma). ${HOW_TO_GENERATE}`);
    }
    if (!KEY_PATTERN.test(entry)) {
      throw new KeyringConfigError(
        source,
        `${where} is not a valid key (check for quotes, or a standard-base64 '+' or '/'). ${HOW_TO_GENERATE}`,
      );
    }
    const key = Buffer.from(entry, 'base64url');
    if (key.length !== KEY_BYTES) throw new KeyringConfigError(source, `${where} does not decode to 32 bytes. ${HOW_TO_GENERATE}`);
    const id = keyIdOf(key);
    const first = keys.findIndex((k) => k.id === id);
    if (first !== -1) throw new KeyringConfigError(source, `${where} repeats key ${first + 1}; list each key once.`);
    keys.push({ id, key });
  });
  return keys;
}
