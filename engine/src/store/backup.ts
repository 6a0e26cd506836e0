// `keyflow backup <file>` / `keyflow restore <file>`. One file format for both modes:
//   line 1  "KEYFLOW-BACKUP"
//   line 2  a JSON header: the mode, the applied migrations (schema version), the Postgres version
//   rest    Postgres: pg_dump's custom format (restored by pg_restore); embedded: PGlite's own
//           dump of its data folder (dumpDataDir, a gzipped tar; restored through loadDataDir).
// Master keys are never in it: they live in KEYFLOW_ENCRYPTION_KEYS or in the data folder's
// encryption.key, outside PGlite's pgdata. A restore refuses a file from a newer schema.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { migrations } from '@keyflow/migrations';
import { ConfigError } from '../errors.ts';

const MAGIC = 'KEYFLOW-BACKUP';
const HEADER_LIMIT = 64 * 1024;

export interface BackupHeader {
  format: 1;
  kind: 'postgres' | 'pglite';
  /** The newest applied migration: the schema version of the data. */
  schema: string;
  migrations: string[];
  createdAt: string;
  /** Postgres major version of the source (server for Postgres, PGlite's for embedded). */
  postgresMajor: number;
}

export interface BackupTarget {
  databaseUrl?: string | undefined;
  dataDir: string;
}

export class BackupError extends Error {
  override name = 'BackupError';
}

/** Written by an embedded `keyflow start` into its data folder while it runs. */
export const EMBEDDED_PID_FILE = 'keyflow.pid';

/** Marks the data folder as in use by this process; returns the function that unmarks it. */
export function markDataDirInUse(dataDir: string): () => void {
  const file = join(dataDir, EMBEDDED_PID_FILE);
  writeFileSync(file, `${process.pid}\n`, { mode: 0o600 });
  return () => {
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
}

/** PGlite is one process per data folder: a backup or restore beside a running server could corrupt it. */
function refuseDataDirInUse(dataDir: string): void {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, EMBEDDED_PID_FILE), 'utf8').trim());
  } catch {
    return;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return; // left by a process that died
  }
  throw new BackupError(`a Keyflow server (pid ${pid}) is using ${dataDir}; stop it first (embedded mode has one process per data folder)`);
}

/** Connection settings for the pg tools: the password goes by environment, never on a command line. */
function pgEnv(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const u = new URL(databaseUrl);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  u.password = '';
  return { url: u.toString(), env };
}

function toolMajor(tool: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, ['--version'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', (err) => reject(new BackupError(`${tool} was not found (${err.message}); install the PostgreSQL client tools of the server's version`)));
    child.on('exit', () => {
      const m = /(\d+)(?:\.\d+)?/.exec(out);
      if (!m) reject(new BackupError(`could not read the version of ${tool}: "${out.trim()}"`));
      else resolve(Number(m[1]));
    });
  });
}

async function runTool(tool: string, args: string[], env: NodeJS.ProcessEnv, io: { stdin?: NodeJS.ReadableStream; stdout?: NodeJS.WritableStream }): Promise<void> {
  const child = spawn(tool, args, { env, stdio: [io.stdin ? 'pipe' : 'ignore', io.stdout ? 'pipe' : 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const done = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const pipes: Promise<void>[] = [];
  if (io.stdin) pipes.push(pipeline(io.stdin, child.stdin!));
  if (io.stdout) pipes.push(pipeline(child.stdout!, io.stdout, { end: false }));
  const [[code]] = await Promise.all([done, ...pipes]);
  if (code !== 0) throw new BackupError(`${tool} failed (exit ${code}): ${stderr.trim().replace(/postgres(ql)?:\/\/[^\s"]*/g, '<database url>')}`);
}

type Queryable = { query<T>(sql: string): Promise<{ rows: T[] }> };

async function appliedMigrations(q: Queryable): Promise<string[]> {
  const exists = await q.query<{ t: string | null }>("select to_regclass('public.kysely_migration')::text as t");
  if (!exists.rows[0]?.t) return [];
  return (await q.query<{ name: string }>('select name from kysely_migration order by name')).rows.map((r) => r.name);
}

function header(kind: BackupHeader['kind'], applied: string[], postgresMajor: number): BackupHeader {
  const schema = applied.at(-1);
  if (!schema) throw new BackupError('the database has no Keyflow schema to back up (run "keyflow migrate" first)');
  return { format: 1, kind, schema, migrations: applied, createdAt: new Date().toISOString(), postgresMajor };
}

/** Reads the header; the payload starts at `offset`. */
export async function readBackupHeader(file: string): Promise<{ header: BackupHeader; offset: number }> {
  const fh = await open(file, 'r').catch((err: Error) => {
    throw new BackupError(`cannot read ${file}: ${err.message}`);
  });
  try {
    const buf = Buffer.alloc(HEADER_LIMIT);
    const { bytesRead } = await fh.read(buf, 0, HEADER_LIMIT, 0);
    const text = buf.subarray(0, bytesRead).toString('latin1');
    const first = text.indexOf('\n');
    const second = text.indexOf('\n', first + 1);
    if (text.slice(0, first) !== MAGIC || second < 0) throw new BackupError(`${file} is not a Keyflow backup (made by "keyflow backup")`);
    const h = JSON.parse(buf.subarray(first + 1, second).toString('utf8')) as BackupHeader;
    if (h.format !== 1 || (h.kind !== 'postgres' && h.kind !== 'pglite') || !Array.isArray(h.migrations)) throw new BackupError(`${file} has an unknown backup format`);
    return { header: h, offset: second + 1 };
  } finally {
    await fh.close();
  }
}

/** Refuses a backup whose schema this Keyflow does not know (a newer one). */
export function checkSchema(h: BackupHeader): void {
  const known = Object.keys(migrations);
  const unknown = h.migrations.filter((m) => !known.includes(m));
  if (unknown.length) throw new BackupError(`the backup is from a newer schema (${h.schema}; unknown migrations: ${unknown.join(', ')}); this Keyflow knows up to ${known.at(-1)}. Restore it with that Keyflow version or newer`);
}

function headerBytes(h: BackupHeader): Buffer {
  return Buffer.from(`${MAGIC}\n${JSON.stringify(h)}\n`, 'utf8');
}

/** Writes to `file.partial` and renames at the end: a failed backup never leaves a file that looks whole. */
async function writeAtomically(file: string, write: (out: NodeJS.WritableStream) => Promise<void>): Promise<void> {
  const partial = `${file}.partial`;
  const out = createWriteStream(partial, { mode: 0o600 });
  try {
    await write(out);
    out.end();
    await once(out, 'finish');
    renameSync(partial, file);
  } catch (err) {
    out.destroy();
    rmSync(partial, { force: true });
    throw err;
  }
}

async function withPg<T>(databaseUrl: string, fn: (q: Queryable) => Promise<T>): Promise<T> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client as unknown as Queryable);
  } finally {
    await client.end();
  }
}

async function pgliteAt(dataDir: string, load?: Blob) {
  const { PGlite } = await import('@electric-sql/pglite');
  return PGlite.create({ dataDir: join(dataDir, 'pgdata'), ...(load ? { loadDataDir: load } : {}) });
}

/** `keyflow backup <file>`. Embedded mode: stop the server first (PGlite has one process per data folder). */
export async function backup(target: BackupTarget, file: string): Promise<BackupHeader> {
  if (target.databaseUrl) {
    const { url, env } = pgEnv(target.databaseUrl);
    const { applied, serverMajor } = await withPg(target.databaseUrl, async (q) => ({
      applied: await appliedMigrations(q),
      serverMajor: Math.floor(Number((await q.query<{ v: string }>('show server_version_num')).rows[0]?.v) / 10000),
    }));
    const dumpMajor = await toolMajor('pg_dump');
    if (dumpMajor < serverMajor) throw new BackupError(`pg_dump ${dumpMajor} is older than the server (PostgreSQL ${serverMajor}); install pg_dump ${serverMajor}`);
    const h = header('postgres', applied, serverMajor);
    await writeAtomically(file, async (out) => {
      out.write(headerBytes(h));
      await runTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--dbname=${url}`], env, { stdout: out });
    });
    return h;
  }
  if (!existsSync(join(target.dataDir, 'pgdata'))) throw new BackupError(`no embedded database in ${target.dataDir} (KEYFLOW_DATA_DIR)`);
  refuseDataDirInUse(target.dataDir);
  const pg = await pgliteAt(target.dataDir);
  try {
    const applied = await appliedMigrations(pg);
    const major = Math.floor(Number((await pg.query<{ v: string }>('show server_version_num')).rows[0]?.v) / 10000);
    const h = header('pglite', applied, major);
    const dump = await pg.dumpDataDir('gzip');
    const bytes = Buffer.from(await dump.arrayBuffer());
    await writeAtomically(file, async (out) => {
      out.write(headerBytes(h));
      out.write(bytes);
    });
    return h;
  } finally {
    await pg.close();
  }
}

/**
 * `keyflow restore <file>`: into an empty database (or data folder); `force` replaces what is
 * there. Afterwards `keyflow migrate` (or `start`) brings an older schema up to date.
 */
export async function restore(target: BackupTarget, file: string, opts: { force?: boolean } = {}): Promise<BackupHeader> {
  const { header: h, offset } = await readBackupHeader(file);
  checkSchema(h);
  if (h.kind === 'postgres') {
    if (!target.databaseUrl) throw new ConfigError('DATABASE_URL', 'is required to restore a Postgres backup (embedded backups restore into KEYFLOW_DATA_DIR)');
    const { url, env } = pgEnv(target.databaseUrl);
    const tables = await withPg(target.databaseUrl, async (q) => Number((await q.query<{ n: string }>("select count(*) as n from information_schema.tables where table_schema = 'public'")).rows[0]?.n));
    if (tables > 0 && !opts.force) throw new BackupError(`the target database is not empty (${tables} tables); restore into a new database, or pass --force to replace its contents`);
    const restoreMajor = await toolMajor('pg_restore');
    if (restoreMajor < h.postgresMajor) throw new BackupError(`pg_restore ${restoreMajor} is older than the backup's PostgreSQL ${h.postgresMajor}`);
    const args = ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${url}`];
    if (opts.force) args.push('--clean', '--if-exists');
    await runTool('pg_restore', args, env, { stdin: createReadStream(file, { start: offset }) });
    return h;
  }
  if (target.databaseUrl) throw new ConfigError('DATABASE_URL', 'is set, but this is an embedded (PGlite) backup: unset DATABASE_URL and set KEYFLOW_DATA_DIR to restore it');
  const pgdata = join(target.dataDir, 'pgdata');
  refuseDataDirInUse(target.dataDir);
  if (existsSync(pgdata) && readdirSync(pgdata).length > 0 && !opts.force) throw new BackupError(`${pgdata} already holds a database; restore into a new KEYFLOW_DATA_DIR, or pass --force to replace it`);
  const payload = (await readFile(file)).subarray(offset);
  // Loaded beside the old folder first, swapped in only once PGlite has opened it.
  mkdirSync(target.dataDir, { recursive: true, mode: 0o700 });
  const staging = join(target.dataDir, `restore-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { mode: 0o700 });
  const pg = await pgliteAt(staging, new Blob([payload]));
  try {
    await appliedMigrations(pg);
  } finally {
    await pg.close();
  }
  rmSync(pgdata, { recursive: true, force: true });
  renameSync(join(staging, 'pgdata'), pgdata);
  rmSync(staging, { recursive: true, force: true });
  return h;
}
