// Opens the database for either mode: Postgres when DATABASE_URL is set, otherwise PGlite in
// the data folder. Both speak Postgres SQL, so every repository runs unchanged on either.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import { PGliteProtocolDialect } from './pglite-driver.ts';
import pg from 'pg';
import type { Database } from '@keyflow/migrations';
import { dbStatements, statementLabel } from '../metrics/metrics.ts';

export type Db = Kysely<Database>;
export interface DatabaseHandle {
  db: Db;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

const INT8 = 20;

/**
 * Hot statements by text → prepared-statement name. On Postgres each connection prepares them
 * once (parse and plan), then only binds and executes. Not for PgBouncer in transaction mode.
 */
const prepared = new Map<string, string>();

/** Marks a statement text as hot: Postgres connections run it as a named prepared statement. */
export function preparedStatement(name: string, text: string): string {
  prepared.set(text, name);
  return text;
}

type QueryFn = (text: unknown, values?: unknown) => Promise<unknown>;

function prepareHotStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as QueryFn;
  (client as unknown as { query: QueryFn }).query = (text, values) => {
    const name = typeof text === 'string' ? prepared.get(text) : undefined;
    if (typeof text === 'string') dbStatements.inc({ statement: statementLabel(text, name) });
    return name ? query({ name, text, values }) : query(text, values);
  };
}
// Micro-dollar sums and counts come back as int8; they stay far below 2^53.
pg.types.setTypeParser(INT8, (v: string) => Number(v));

/**
 * PGlite's own start flags plus a smaller buffer cache. PGlite runs Postgres inside this process's
 * WebAssembly memory, and its default shared_buffers (128 MB) grew that memory to 189 MB under the
 * engine bench, against 128 MB (the module's declared minimum) with 16 MB: the data files are read
 * through the OS page cache either way, so a page missing from the buffer cache costs a read(2),
 * not a disk seek. wal_buffers follows shared_buffers (1/32 of it).
 */
export const PGLITE_SHARED_BUFFERS = '16MB';
export function pgliteStartParams(defaults: readonly string[]): string[] {
  return [...defaults, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`];
}

/** Opens Postgres at `url`, or PGlite under `dataDir` (or in memory when dataDir is 'memory://'). */
export async function openDatabase(opts: {
  url?: string | undefined;
  dataDir?: string;
  poolSize?: number;
  asyncCommit?: boolean;
  /** PGlite only: more `name=value` settings after Keyflow's (the embedded-store bench compares them). */
  pgliteSettings?: string[];
  /** PGlite only: Kysely's stock PGlite driver (query() per statement) instead of Keyflow's prepared-statement driver; the embedded-store bench compares them. */
  pgliteStockDriver?: boolean;
}): Promise<DatabaseHandle> {
  if (opts.url) {
    // asyncCommit: commits return before the WAL reaches disk (synchronous_commit=off). The rows
    // are visible to every session at once and survive any client dying; only a crash of the
    // Postgres server itself can lose the last few hundred milliseconds of them.
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10, ...(opts.asyncCommit ? { options: '-c synchronous_commit=off' } : {}) });
    pool.on('connect', (client) => {
      prepareHotStatements(client);
      // A checked-out client has no pool listener: a session killed between two queries (pg_terminate_backend,
      // a Postgres restart) would otherwise be an unhandled 'error' that kills the process. The next query on
      // it fails with its own error, and the pool drops the client when it is released.
      client.on('error', () => undefined);
    });
    pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it. Queries surface their own errors.
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const { PGlite, protocol, types } = await import('@electric-sql/pglite');
  let dataDir: string | undefined;
  if (opts.dataDir && opts.dataDir !== 'memory://') {
    mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    dataDir = join(opts.dataDir, 'pgdata');
  }
  const instance = await PGlite.create({ ...(dataDir ? { dataDir } : {}), startParams: [...pgliteStartParams(PGlite.defaultStartParams), ...(opts.pgliteSettings ?? []).flatMap((s) => ['-c', s])], parsers: { [INT8]: (v: string) => Number(v) } });
  // Counted like the Postgres pool's statements (keyflow_db_statements_total).
  const count = (sql: string) => dbStatements.inc({ statement: statementLabel(sql, prepared.get(sql)) });
  // Kysely's stock driver is counted through its query log, which sees neither begin nor commit.
  const db = opts.pgliteStockDriver
    ? new Kysely<Database>({ dialect: new PGliteDialect({ pglite: instance }), log: (e) => void (e.level === 'query' && count(e.query.sql)) })
    : new Kysely<Database>({ dialect: new PGliteProtocolDialect(instance, { serialize: protocol.serialize, parseType: types.parseType, onStatement: count }) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}
