// Embedded storage, the hot path alone (issue 15 item 3): the statements one webhook run writes
// (insert the run, claim it, one checkpoint row per step, finish it) on embedded PGlite as
// Keyflow opens it (the real schema, through the real repositories), on PGlite with the run's
// statements in one transaction, and on SQLite through Node's built-in node:sqlite as a
// prototype (the same tables and statements translated by hand: TEXT for jsonb and timestamps).
// No HTTP, no executor: time and CPU per run for a 1-step and a 20-step run, in this process.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, openDatabase, runs, type Db } from '@keyflow/engine';
import { onCleanup } from './support/cleanup.ts';
import { formatTable } from './support/format-table.ts';
import { loadavg } from 'node:os';

/** Runs per measured round (after as many unmeasured ones), rounds per store and chain length. */
const RUNS = Number(process.env.KEYFLOW_BENCH_STORE_RUNS ?? 150);
const ROUNDS = 5;

interface Store {
  name: string;
  /** Writes one run of `transforms` transforms: trigger + transforms + respond checkpoints. */
  run(transforms: number): Promise<void>;
  close(): Promise<void>;
}

const payload = { name: 'x' };
const stepOutput = { greeting: 'Hello x' };

function stepRow(runId: string, ownerId: string, nodeId: string, seq: number, output: unknown) {
  const now = new Date();
  return { runId, ownerId, nodeId, scope: '', attempt: 1, status: 'succeeded' as const, input: { config: { fields: [{ name: 'greeting', value: 'Hello {{ $trigger.body.name }}' }] } }, output, error: undefined, costMicros: 0, seq, startedAt: now, finishedAt: now };
}

async function pgliteStore(dataDir: string, oneTransaction: boolean, gucs?: string[], stockDriver = false): Promise<Store> {
  const handle = await openDatabase({ dataDir, ...(gucs ? { pgliteSettings: gucs } : {}), pgliteStockDriver: stockDriver });
  await migrateToLatest(handle.db);
  const ownerId = randomUUID();
  const workflowId = randomUUID();
  await handle.db.insertInto('users').values({ id: ownerId, email: `${ownerId}@example.test`, password_hash: 'x' } as never).execute();
  await handle.db.insertInto('workflows').values({ id: workflowId, owner_id: ownerId, name: 'bench', current_version: 1 } as never).execute();
  const write = async (db: Db, transforms: number) => {
    const id = await runs.insertRun(db, { ownerId, workflowId, workflowVersion: 1, trigger: 'webhook', triggerPayload: payload });
    await runs.claimRun(db, id, 30_000);
    await runs.insertStep(db, stepRow(id, ownerId, 'hook', 1, payload));
    for (let i = 0; i < transforms; i++) await runs.insertStep(db, stepRow(id, ownerId, `shape${i + 1}`, i + 2, stepOutput));
    await runs.insertStep(db, stepRow(id, ownerId, 'reply', transforms + 2, stepOutput));
    await runs.finishRun(db, id, { status: 'succeeded', output: stepOutput, costMicros: 0, eventSeq: transforms + 3, response: { status: 200, headers: {}, body: stepOutput } });
  };
  return {
    name: stockDriver ? "PGlite through Kysely's stock driver (query() per statement)" : gucs ? `PGlite, ${gucs.join(', ')}` : oneTransaction ? 'PGlite as Keyflow opens it, one transaction per run' : 'PGlite as Keyflow opens it (prepared-statement driver, shared_buffers=16MB)',
    run: (transforms) => (oneTransaction ? handle.db.transaction().execute((tx) => write(tx, transforms)) : write(handle.db, transforms)),
    close: () => handle.close(),
  };
}

// node:sqlite ships with Node 24 (stability: release candidate); loaded only here.
interface SqliteStatement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
}
interface SqliteDb {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  close(): void;
}

async function sqliteStore(dataDir: string, synchronous: 'NORMAL' | 'FULL', oneTransaction: boolean): Promise<Store> {
  const { DatabaseSync } = (await import('node:sqlite')) as unknown as { DatabaseSync: new (path: string) => SqliteDb };
  mkdirSync(dataDir, { recursive: true });
  const db = new DatabaseSync(join(dataDir, 'keyflow.sqlite'));
  db.exec(`pragma journal_mode = wal; pragma synchronous = ${synchronous}; pragma foreign_keys = on;`);
  // The columns and keys of runs and run_steps after the migrations; jsonb and timestamptz as TEXT.
  db.exec(`
    create table users (id text primary key, email text not null unique, password_hash text not null);
    create table workflows (id text primary key, owner_id text not null references users(id) on delete cascade, name text not null, current_version integer not null);
    create table runs (id text primary key, owner_id text not null references users(id) on delete cascade, workflow_id text not null references workflows(id) on delete cascade,
      workflow_version integer not null, trigger text not null, trigger_payload text not null, status text not null, error text, cost_micros integer not null default 0,
      created_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ')), started_at text, finished_at text, resume_at text, cancel_requested integer not null default 0,
      response text, output text, rerun_of text, event_seq integer not null default 0, lease_until text, unfinished_claims integer not null default 0);
    create index runs_owner_idx on runs (owner_id, created_at);
    create index runs_workflow_idx on runs (workflow_id, created_at);
    create index runs_status_idx on runs (status, created_at);
    create index runs_waiting_idx on runs (resume_at) where status = 'waiting';
    create table run_steps (id text primary key, run_id text not null references runs(id) on delete cascade, owner_id text not null, node_id text not null, attempt integer not null,
      status text not null, input text, output text, error text, cost_micros integer not null default 0, started_at text not null, finished_at text,
      scope text not null default '', seq integer not null default 0, resume_at text, branch text, unique (run_id, node_id, scope, attempt));`);
  const ownerId = randomUUID();
  const workflowId = randomUUID();
  db.prepare('insert into users (id, email, password_hash) values (?, ?, ?)').run(ownerId, `${ownerId}@example.test`, 'x');
  db.prepare('insert into workflows (id, owner_id, name, current_version) values (?, ?, ?, 1)').run(workflowId, ownerId, 'bench');
  const insertRun = db.prepare(`insert into runs (id, owner_id, workflow_id, workflow_version, trigger, trigger_payload, status, rerun_of) values (?, ?, ?, ?, ?, ?, 'queued', ?)`);
  // The claim without Postgres's CTE snapshot trick: SQLite has one writer, so a read before the update is exact.
  const claim = db.prepare(`update runs set status = 'running', started_at = coalesce(started_at, strftime('%Y-%m-%dT%H:%M:%fZ')), resume_at = null,
      lease_until = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+' || (? / 1000.0) || ' seconds'), unfinished_claims = unfinished_claims + 1
    where id = ? and (status in ('queued', 'waiting') or (status = 'running' and (lease_until is null or lease_until < strftime('%Y-%m-%dT%H:%M:%fZ'))))
    returning id, owner_id, workflow_id, workflow_version, trigger, trigger_payload, status, error, cost_micros, created_at, started_at, finished_at, resume_at, cancel_requested, response, output, rerun_of, event_seq, unfinished_claims - 1 as crashes`);
  const insertStep = db.prepare(`insert into run_steps (id, run_id, owner_id, node_id, scope, attempt, status, input, output, error, cost_micros, seq, started_at, finished_at, resume_at, branch)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (run_id, node_id, scope, attempt) do nothing`);
  const finish = db.prepare(`update runs set status = ?, error = ?, output = ?, cost_micros = ?, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ'), event_seq = ?,
    response = coalesce(?, response), unfinished_claims = 0 where id = ?`);
  const step = (runId: string, nodeId: string, seq: number, output: unknown) => {
    const s = stepRow(runId, ownerId, nodeId, seq, output);
    insertStep.run(randomUUID(), s.runId, s.ownerId, s.nodeId, s.scope, s.attempt, s.status, JSON.stringify(s.input), JSON.stringify(s.output), null, s.costMicros, s.seq, s.startedAt.toISOString(), s.finishedAt.toISOString(), null, null);
  };
  const write = (transforms: number) => {
    const id = randomUUID();
    insertRun.run(id, ownerId, workflowId, 1, 'webhook', JSON.stringify(payload), null);
    claim.get(30_000, id);
    step(id, 'hook', 1, payload);
    for (let i = 0; i < transforms; i++) step(id, `shape${i + 1}`, i + 2, stepOutput);
    step(id, 'reply', transforms + 2, stepOutput);
    finish.run('succeeded', null, JSON.stringify(stepOutput), 0, transforms + 3, JSON.stringify({ status: 200, headers: {}, body: stepOutput }), id);
  };
  return {
    name: `node:sqlite, WAL, synchronous=${synchronous}${oneTransaction ? ', one transaction per run' : ''}`,
    run: async (transforms) => {
      if (!oneTransaction) return write(transforms);
      db.exec('begin immediate');
      try {
        write(transforms);
        db.exec('commit');
      } catch (err) {
        db.exec('rollback');
        throw err;
      }
    },
    close: async () => db.close(),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** CPU ms per run of this process over `RUNS` runs of `transforms` transforms. */
async function round(store: Store, transforms: number): Promise<{ wallMs: number; cpuMs: number }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < RUNS; i++) await store.run(transforms);
  const c = process.cpuUsage(c0);
  return { wallMs: (performance.now() - t0) / RUNS, cpuMs: (c.user + c.system) / 1000 / RUNS };
}

export async function runEmbeddedStoreBench(): Promise<void> {
  const progress = (msg: string) => process.stderr.write(`bench embedded-store: ${msg}\n`);
  const root = mkdtempSync(join(tmpdir(), 'keyflow-bench-store-'));
  onCleanup(async () => rmSync(root, { recursive: true, force: true }));
  const load0 = loadavg().map((l) => l.toFixed(1)).join(' / ');
  const makers: [string, (dir: string) => Promise<Store>][] = [
    ['pglite', (dir) => pgliteStore(dir, false)],
    ['pglite-stock', (dir) => pgliteStore(dir, false, undefined, true)],
    ['pglite-tx', (dir) => pgliteStore(dir, true)],
    ['pglite-defaults', (dir) => pgliteStore(dir, false, ['shared_buffers=128MB'])],
    ['pglite-async', (dir) => pgliteStore(dir, false, ['synchronous_commit=off'])],
    ['sqlite-normal', (dir) => sqliteStore(dir, 'NORMAL', false)],
    ['sqlite-full', (dir) => sqliteStore(dir, 'FULL', false)],
    ['sqlite-normal-tx', (dir) => sqliteStore(dir, 'NORMAL', true)],
  ];
  // KEYFLOW_BENCH_STORES=pglite,pglite-stock runs only those (keys above).
  const only = process.env.KEYFLOW_BENCH_STORES?.split(',');
  const chosen = only ? makers.filter(([key]) => only.includes(key)) : makers;
  if (chosen.length === 0) throw new Error(`KEYFLOW_BENCH_STORES names no store; the keys are ${makers.map(([key]) => key).join(', ')}`);
  const stores: Store[] = [];
  let rows: string[][] = [];
  try {
    for (const [key, make] of chosen) stores.push(await make(join(root, key)));
    // Rounds go round-robin over the stores, so a burst of other work on the machine hits them all alike.
    const figures = stores.map(() => ({ wall1: [] as number[], cpu1: [] as number[], cpu20: [] as number[] }));
    progress(`${stores.length} stores, ${ROUNDS} interleaved rounds of ${RUNS} runs of 1 and of 20 transforms, after one unmeasured round each`);
    for (const store of stores) {
      await round(store, 1);
      await round(store, 20);
    }
    for (let r = 0; r < ROUNDS; r++) {
      for (const [i, store] of stores.entries()) {
        const one = await round(store, 1);
        const twenty = await round(store, 20);
        figures[i]!.wall1.push(one.wallMs);
        figures[i]!.cpu1.push(one.cpuMs);
        figures[i]!.cpu20.push(twenty.cpuMs);
      }
      progress(`round ${r + 1} of ${ROUNDS} done`);
    }
    rows = stores.map((store, i) => {
      const f = figures[i]!;
      const cpu1 = median(f.cpu1);
      const cpu20 = median(f.cpu20);
      return [store.name, median(f.wall1).toFixed(3), cpu1.toFixed(3), String(Math.round(1000 / cpu1)), cpu20.toFixed(3), ((cpu20 - cpu1) / 19).toFixed(4)];
    });
  } finally {
    for (const store of stores) await store.close();
  }
  const out = [
    `Embedded storage hot path — node ${process.version}; load average ${load0} at the start (2 shared vCPUs: upper bounds)`,
    `per run: insert run, claim, 1 + N + 1 checkpoint rows (trigger, N transforms, respond), finish; ${ROUNDS} rounds of ${RUNS} runs, interleaved across the stores, after one unmeasured round; medians`,
    '',
    formatTable(['store', '1-step wall ms/run', '1-step CPU ms/run', 'runs/s per core', '20-step CPU ms/run', 'CPU ms per extra step'], rows),
    '',
    'PGlite runs with fsync off (its -F start flag): a commit reaches the OS, not the disk, so a killed process loses nothing and a power cut can lose recent commits.',
    'synchronous=NORMAL in WAL mode has the same exposure (power cut, not process kill); FULL syncs the WAL on every commit.',
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}
