import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKey } from './generate-key.ts';
import { parseKeyList } from './parse-key-list.ts';

export const EMBEDDED_KEY_FILE = 'encryption.key';

function errorCode(err: unknown): unknown {
  return err instanceof Error && 'code' in err ? err.code : undefined;
}

function readKeyFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Embedded mode: reads `<dataDir>/encryption.key`, or creates it (file 0600, new directory 0700).
 * `created` lets the caller tell the operator to back the file up. A corrupt file is an error,
 * never silently replaced, since that would orphan every credential sealed under it.
 */
export function loadOrCreateEmbeddedKey(dataDir: string): { value: string; created: boolean } {
  const file = join(dataDir, EMBEDDED_KEY_FILE);
  const existing = readKeyFile(file);
  if (existing !== undefined) {
    parseKeyList(existing, file);
    return { value: existing, created: false };
  }
  // Only a directory we create is tightened; an existing one belongs to the operator.
  if (mkdirSync(dataDir, { recursive: true, mode: 0o700 }) !== undefined) chmodSync(dataDir, 0o700);
  const value = generateKey();
  try {
    // 'wx' so two processes starting together cannot overwrite each other's key.
    writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if (errorCode(err) !== 'EEXIST') throw err;
    return loadOrCreateEmbeddedKey(dataDir);
  }
  // The umask can only clear mode bits; chmod makes the result exactly 0600 either way.
  chmodSync(file, 0o600);
  return { value, created: true };
}
