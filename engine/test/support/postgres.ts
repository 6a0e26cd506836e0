// Test databases: a fresh Postgres database per test file (dropped afterwards), or PGlite in
// memory. A missing Postgres is a loud failure that names the command to start it.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';

export const adminUrl = process.env.KEYFLOW_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const START_PG = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`Postgres is not reachable at ${adminUrl}. Start it with: ${START_PG}`, { cause: err });
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase extends DatabaseHandle {
  url: string | undefined;
  drop(): Promise<void>;
}

/** A new, empty Postgres database (migrated unless `migrate: false`). */
export async function createPostgresDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `kf_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await admin((c) => c.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), poolSize: 5 });
  if (opts.migrate !== false) await migrateToLatest(handle.db);
  return {
    ...handle,
    url: url.toString(),
    async drop() {
      await handle.close();
      await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** PGlite in memory (the embedded mode's database), or in `dataDir` on disk. */
export async function createPgliteDatabase(opts: { migrate?: boolean; dataDir?: string } = {}): Promise<TestDatabase> {
  const handle = await openDatabase({ dataDir: opts.dataDir ?? 'memory://' });
  if (opts.migrate !== false) await migrateToLatest(handle.db);
  return { ...handle, url: undefined, drop: () => handle.close() };
}

export const databaseKinds = [
  ['postgres', createPostgresDatabase],
  ['pglite', createPgliteDatabase],
] as const;
