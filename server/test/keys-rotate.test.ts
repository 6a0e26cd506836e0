import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, type TestDatabase } from '@keyflow/engine/testing';
import { Keyring } from '@keyflow/engine/vault';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const ROWS = 3000;
const OWNERS = 10;

const keyText = () => `${randomBytes(32).toString('base64url')}=`;
const oldText = keyText();
const newText = keyText();
const oldRing = Keyring.fromEnv(oldText);
const newOnly = Keyring.fromEnv(newText);
const secretOf = (i: number) => `sk-rotate-cli-${i}-${'x'.repeat(i % 40)}`;

let t: TestDatabase;
let dataDir: string;
let lostId: string;
const ids: string[] = [];

beforeAll(async () => {
  t = await createPostgresDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'keyflow-rotate-'));
  const owners = Array.from({ length: OWNERS }, () => randomUUID());
  await t.db.insertInto('users').values(owners.map((id) => ({ id, email: `${id}@rotate.test`, password_hash: 'x' }))).execute();
  const rows = Array.from({ length: ROWS }, (_, i) => {
    const owner = owners[i % OWNERS] ?? '';
    const sealed = oldRing.encrypt(owner, secretOf(i));
    return { id: randomUUID(), owner_id: owner, provider: 'openai', label: `k${i}`, ciphertext: sealed.ciphertext, key_id: sealed.keyId, hint: 'sk-…' };
  });
  for (let i = 0; i < rows.length; i += 500) await t.db.insertInto('credentials').values(rows.slice(i, i + 500)).execute();
  ids.push(...rows.map((r) => r.id));
  // One secret sealed under a key nobody has any more.
  lostId = randomUUID();
  const lost = Keyring.fromEnv(keyText()).encrypt(owners[0] ?? '', 'sk-lost-forever-1234');
  await t.db.insertInto('credentials').values({ id: lostId, owner_id: owners[0] ?? '', provider: 'openai', label: 'lost', ciphertext: lost.ciphertext, key_id: lost.keyId, hint: 'sk-…' }).execute();
}, 120_000);

afterAll(async () => {
  await t?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `keyflow keys rotate`; with `killAfter`, SIGKILLs it as soon as stdout matches. */
function rotate(killAfter?: RegExp): Promise<Run> {
  const child = spawn(process.execPath, [cli, 'keys', 'rotate', '--batch-size', '50', '--pause-ms', '20'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATABASE_URL: t.url ?? '', REDIS_URL: '', KEYFLOW_ENCRYPTION_KEYS: `${newText},${oldText}`, KEYFLOW_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    if (killAfter?.test(stdout)) child.kill('SIGKILL');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

async function countOnKey(keyId: string): Promise<number> {
  const r = await t.db.selectFrom('credentials').select((eb) => eb.fn.countAll<number>().as('n')).where('key_id', '=', keyId).executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('keyflow keys rotate', () => {
  it('survives SIGKILL mid-way; a re-run finishes, every secret decrypts under the new key, and the lost one is named by id only', async () => {
    const killed = await rotate(/credentials: batch 1,/);
    expect(killed.signal).toBe('SIGKILL');
    const doneBeforeKill = await countOnKey(newOnly.primaryKeyId);
    expect(doneBeforeKill).toBeGreaterThan(0);
    expect(doneBeforeKill).toBeLessThan(ROWS);

    const finished = await rotate();
    expect(finished.stderr).toBe('');
    const done = /done: (\d+) rotated, (\d+) skipped/.exec(finished.stdout);
    expect(done).not.toBeNull();
    expect(Number(done?.[1])).toBe(ROWS - doneBeforeKill);
    expect(Number(done?.[2])).toBe(doneBeforeKill);
    expect(finished.stdout).toContain(`failed to decrypt: credentials row ${lostId}`);
    expect(finished.stdout).not.toContain('sk-');
    // The lost row keeps the run from being complete, so scripts see a failure.
    expect(finished.code).toBe(1);

    expect(await countOnKey(newOnly.primaryKeyId)).toBe(ROWS);
    const rows = await t.db.selectFrom('credentials').select(['id', 'owner_id', 'ciphertext']).where('id', '<>', lostId).execute();
    const index = new Map(ids.map((id, i) => [id, i]));
    for (const r of rows) expect(newOnly.decrypt(r.owner_id, r.ciphertext)).toBe(secretOf(index.get(r.id) ?? -1));
  }, 120_000);

  it('refuses to run without KEYFLOW_ENCRYPTION_KEYS rather than creating a key', async () => {
    const child = spawn(process.execPath, [cli, 'keys', 'rotate'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DATABASE_URL: t.url ?? '', REDIS_URL: '', KEYFLOW_ENCRYPTION_KEYS: '', KEYFLOW_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(stderr).toContain('KEYFLOW_ENCRYPTION_KEYS');
  });
});
