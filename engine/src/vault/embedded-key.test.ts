import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it, expect } from 'vitest';
import { loadOrCreateEmbeddedKey } from './embedded-key.ts';
import { Keyring } from './keyring.ts';
import { KeyringConfigError } from './vault-errors.ts';

const made: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyflow-vault-'));
  made.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadOrCreateEmbeddedKey', () => {
  it('creates a 0600 key file in a new 0700 directory, then reuses it', () => {
    const dataDir = join(tempDir(), 'nested', '.keyflow');
    const first = loadOrCreateEmbeddedKey(dataDir);
    expect(first.created).toBe(true);
    expect(statSync(join(dataDir, 'encryption.key')).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(dataDir, 'encryption.key'), 'utf8').trim()).toBe(first.value);
    expect(Keyring.fromEnv(first.value).keyIds).toHaveLength(1);

    const second = loadOrCreateEmbeddedKey(dataDir);
    expect(second).toEqual({ value: first.value, created: false });
  });

  it('keeps 0600 under a permissive umask', () => {
    const previous = process.umask(0o000);
    try {
      const dataDir = tempDir();
      loadOrCreateEmbeddedKey(dataDir);
      expect(statSync(join(dataDir, 'encryption.key')).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it('refuses a corrupt key file instead of replacing it, naming the file', () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'encryption.key');
    writeFileSync(file, 'not-a-key-at-all\n');
    expect(() => loadOrCreateEmbeddedKey(dataDir)).toThrow(KeyringConfigError);
    expect(() => loadOrCreateEmbeddedKey(dataDir)).toThrow(file);
    expect(readFileSync(file, 'utf8')).toBe('not-a-key-at-all\n');
  });
});
