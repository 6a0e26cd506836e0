// `keyflow backup` / `keyflow restore` in both modes (issue 14 item 6): a backup restored into
// a fresh database holds every table's rows unchanged, credentials still decrypt with the
// keyring, no secret or master key appears in clear in the dump, and a file from a newer schema
// is refused.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, readBackupHeader, type Db } from '@keyflow/engine';
import { generateKey, Keyring } from '@keyflow/engine/vault';
import { createPostgresDatabase, type TestDatabase } from '@keyflow/engine/testing';
import { seedOwner, type SeededOwner } from './owner-data.ts';
import { createTestApp } from './support.ts';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

function keyflow(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'silent', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

/** Every table of the public schema, each row as JSON, in a stable order. */
async function snapshot(db: Db): Promise<Record<string, string[]>> {
  const tables = (await db.selectFrom('information_schema.tables' as never).select('table_name' as never).where('table_schema' as never, '=', 'public' as never).execute()) as { table_name: string }[];
  const out: Record<string, string[]> = {};
  for (const { table_name } of tables) {
    const rows = await db.selectFrom(table_name as never).selectAll().execute();
    out[table_name] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

/** Seeds two owners through the API, then closes the app so the database is at rest. */
async function seeded(kind: 'postgres' | 'pglite', opts: { dataDir?: string; encryptionKeys: string }) {
  const t = await createTestApp(kind, {}, opts);
  const owners = [await seedOwner(t, await t.signup(), 'alice'), await seedOwner(t, await t.signup(), 'bob')];
  return { t, owners };
}

function expectDecrypts(restored: { id: string; owner_id: string; ciphertext: string }[], owners: SeededOwner[], keyring: Keyring) {
  for (const o of owners) {
    const row = restored.find((r) => r.id === o.credentialId);
    expect(row, `credential of ${o.id} restored`).toBeDefined();
    expect(keyring.decrypt(o.id, row!.ciphertext)).toBe(o.secret);
  }
}

async function withNewerSchema(file: string, dir: string): Promise<string> {
  const { header, offset } = await readBackupHeader(file);
  const newer = { ...header, schema: '9999_future', migrations: [...header.migrations, '9999_future'] };
  const out = join(dir, 'newer.kfbackup');
  writeFileSync(out, Buffer.concat([Buffer.from(`KEYFLOW-BACKUP\n${JSON.stringify(newer)}\n`), readFileSync(file).subarray(offset)]));
  return out;
}

describe('backup and restore, Postgres', () => {
  const key = generateKey();
  let dir: string;
  let source: TestDatabase;
  let target: TestDatabase;
  let owners: SeededOwner[];
  let before: Record<string, string[]>;
  let file: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyflow-backup-pg-'));
    const s = await seeded('postgres', { encryptionKeys: key });
    owners = s.owners;
    await s.t.engine.close({ graceMs: 1000 });
    source = s.t.db;
    before = await snapshot(source.db);
    target = await createPostgresDatabase({ migrate: false });
    file = join(dir, 'nightly.kfbackup');
  }, 90_000);
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backs up and restores into a fresh database with every row unchanged and credentials decrypting', async () => {
    const b = await keyflow(['backup', file], { DATABASE_URL: source.url!, KEYFLOW_ENCRYPTION_KEYS: key });
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/backed up postgres database at schema \d{4}_/);
    const { header } = await readBackupHeader(file);
    expect(header.kind).toBe('postgres');
    expect(header.migrations.length).toBeGreaterThan(0);

    const r = await keyflow(['restore', file], { DATABASE_URL: target.url!, KEYFLOW_ENCRYPTION_KEYS: key });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const after = await snapshot(target.db);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);
    expect(after.users).toHaveLength(2);
    expectDecrypts(await target.db.selectFrom('credentials').select(['id', 'owner_id', 'ciphertext']).execute(), owners, Keyring.fromEnv(key));
  });

  it('holds no secret and no master key in clear (the dump as SQL text)', async () => {
    const { offset } = await readBackupHeader(file);
    const child = spawn('pg_restore', ['--file=-'], { stdio: ['pipe', 'pipe', 'inherit'] });
    child.stdin.end(readFileSync(file).subarray(offset));
    let sql = '';
    child.stdout.on('data', (c: Buffer) => (sql += c.toString()));
    await new Promise((resolve) => child.once('exit', resolve));
    expect(sql).toContain('COPY public.credentials');
    for (const o of owners) expect(sql).not.toContain(o.secret);
    expect(sql).not.toContain(key);
    expect(readFileSync(file).includes(Buffer.from(key))).toBe(false);
  });

  it('refuses a non-empty target without --force, and a backup from a newer schema', async () => {
    const again = await keyflow(['restore', file], { DATABASE_URL: target.url!, KEYFLOW_ENCRYPTION_KEYS: key });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not empty .*--force/);
    const newer = await withNewerSchema(file, dir);
    const fresh = await createPostgresDatabase({ migrate: false });
    try {
      const r = await keyflow(['restore', newer], { DATABASE_URL: fresh.url!, KEYFLOW_ENCRYPTION_KEYS: key });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/newer schema \(9999_future/);
      const tables = await fresh.db.selectFrom('information_schema.tables' as never).select('table_name' as never).where('table_schema' as never, '=', 'public' as never).execute();
      expect(tables).toEqual([]);
    } finally {
      await fresh.drop();
    }
  });
});

describe('backup and restore, embedded (PGlite)', () => {
  const key = generateKey();
  let dir: string;
  let owners: SeededOwner[];
  let before: Record<string, string[]>;
  let file: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyflow-backup-lite-'));
    // The embedded key file sits in the data folder, beside (not inside) PGlite's pgdata.
    const s = await seeded('pglite', { dataDir: join(dir, 'source'), encryptionKeys: key });
    owners = s.owners;
    writeFileSync(join(dir, 'source', 'encryption.key'), `${key}\n`, { mode: 0o600 });
    before = await snapshot(s.t.db.db);
    await s.t.close();
    file = join(dir, 'embedded.kfbackup');
  }, 90_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('backs up the data folder and restores it into a new one with every row unchanged and credentials decrypting', async () => {
    const b = await keyflow(['backup', file], { KEYFLOW_DATA_DIR: join(dir, 'source') });
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/backed up pglite database/);
    const r = await keyflow(['restore', file], { KEYFLOW_DATA_DIR: join(dir, 'restored') });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const restored = await openDatabase({ dataDir: join(dir, 'restored') });
    try {
      const after = await snapshot(restored.db);
      expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
      for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);
      expectDecrypts(await restored.db.selectFrom('credentials').select(['id', 'owner_id', 'ciphertext']).execute(), owners, Keyring.fromEnv(key));
    } finally {
      await restored.close();
    }
  });

  it('holds no secret and not the encryption.key in clear (the unpacked dump)', async () => {
    const { header, offset } = await readBackupHeader(file);
    expect(header.kind).toBe('pglite');
    const tar = gunzipSync(readFileSync(file).subarray(offset));
    expect(tar.length).toBeGreaterThan(1_000_000);
    for (const o of owners) expect(tar.includes(Buffer.from(o.secret))).toBe(false);
    expect(tar.includes(Buffer.from(key))).toBe(false);
    expect(tar.includes(Buffer.from('encryption.key'))).toBe(false);
  });

  it('refuses to overwrite a data folder without --force, and a backup from a newer schema', async () => {
    const again = await keyflow(['restore', file], { KEYFLOW_DATA_DIR: join(dir, 'restored') });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds a database/);
    const r = await keyflow(['restore', await withNewerSchema(file, dir)], { KEYFLOW_DATA_DIR: join(dir, 'other') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/newer schema/);
  });
});
