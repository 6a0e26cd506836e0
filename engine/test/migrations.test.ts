import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createPostgresDatabase, databaseKinds } from './support/postgres.ts';
import { openDatabase } from '../src/store/database.ts';
import { migrateDownAll, migrateToLatest, pendingMigrations } from '../src/store/migrate.ts';
import { migrations } from '@keyflow/migrations';
import * as runs from '../src/store/runs.repo.ts';

// The tables of DESIGN.md's data model; later migrations may add more.
const tables = ['users', 'sessions', 'api_tokens', 'workflows', 'workflow_versions', 'credentials', 'webhooks', 'runs', 'run_steps', 'usage_events', 'owner_settings', 'audit_log', 'webhook_deliveries', 'schedules'];

async function tableNames(db: Parameters<typeof migrateToLatest>[0]): Promise<string[]> {
  const r = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' and table_name not like 'kysely_%' order by table_name`.execute(db);
  return r.rows.map((x) => x.table_name);
}

describe.each(databaseKinds)('migrations on %s', (_kind, create) => {
  it('run all up, all down, and up again', async () => {
    const t = await create({ migrate: false });
    try {
      expect(await pendingMigrations(t.db)).toEqual(Object.keys(migrations));
      await migrateToLatest(t.db);
      expect(await pendingMigrations(t.db)).toEqual([]);
      expect(await tableNames(t.db)).toEqual(expect.arrayContaining(tables));
      await migrateDownAll(t.db);
      expect(await tableNames(t.db)).toEqual([]);
      expect(await pendingMigrations(t.db)).toEqual(Object.keys(migrations));
      await migrateToLatest(t.db);
      expect(await tableNames(t.db)).toEqual(expect.arrayContaining(tables));
    } finally {
      await t.drop();
    }
  });

  it('indexes only waiting runs by wake-up time, and the sweeper still finds a parked run past it (0013)', async () => {
    const t = await create();
    try {
      const defs = await sql<{ indexname: string; indexdef: string }>`select indexname, indexdef from pg_indexes where tablename = 'runs' and indexdef like '%resume_at%'`.execute(t.db);
      expect(defs.rows.map((r) => r.indexname)).toEqual(['runs_waiting_idx']);
      expect(defs.rows[0]!.indexdef).toMatch(/WHERE \(status = 'waiting'::text\)/);
      const owner = crypto.randomUUID();
      const wf = crypto.randomUUID();
      await t.db.insertInto('users').values({ id: owner, email: `${owner}@x.test`, password_hash: 'x' }).execute();
      await t.db.insertInto('workflows').values({ id: wf, owner_id: owner, name: 'w', current_version: 1 }).execute();
      const parked = await runs.insertRun(t.db, { ownerId: owner, workflowId: wf, workflowVersion: 1, trigger: 'manual', triggerPayload: {} });
      await t.db.updateTable('runs').set({ status: 'running' }).where('id', '=', parked).execute();
      await runs.parkRun(t.db, parked, new Date(Date.now() - 60_000), 1);
      expect((await runs.findOrphanedRuns(t.db, new Date())).map((r) => r.id)).toEqual([parked]);
    } finally {
      await t.drop();
    }
  });

  it('serialises transactions that contend for one row and parses int8 as a number', async () => {
    const t = await create();
    try {
      const id = crypto.randomUUID();
      await t.db.insertInto('users').values({ id, email: `${id}@x.test`, password_hash: 'x' }).execute();
      const wf = crypto.randomUUID();
      await t.db.insertInto('workflows').values({ id: wf, owner_id: id, name: 'counter', current_version: 1 }).execute();
      // Five transactions each read the counter, wait, and write it back plus one. Unless the
      // second waits for the first to commit (row lock on Postgres, one transaction at a time
      // on PGlite's single connection), two read the same value and an increment is lost.
      const spans: [number, number][] = [];
      await Promise.all([1, 2, 3, 4, 5].map((n) => t.db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('workflows').select('current_version').where('id', '=', wf).forUpdate().executeTakeFirstOrThrow();
        const began = performance.now();
        await new Promise((r) => setTimeout(r, 15));
        await trx.updateTable('workflows').set({ current_version: row.current_version + 1 }).where('id', '=', wf).execute();
        await trx.insertInto('audit_log').values({ owner_id: id, action: `a${n}`, target_type: 't', meta: '{}' }).execute();
        spans.push([began, performance.now()]);
      })));
      const final = await t.db.selectFrom('workflows').select('current_version').where('id', '=', wf).executeTakeFirstOrThrow();
      expect(final.current_version).toBe(6);
      spans.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i++) expect(spans[i]![0], 'a transaction ran inside another one').toBeGreaterThanOrEqual(spans[i - 1]![1]);
      const failed = t.db.transaction().execute(async (trx) => {
        await trx.insertInto('audit_log').values({ owner_id: id, action: 'rolled-back', target_type: 't', meta: '{}' }).execute();
        throw new Error('boom');
      });
      await expect(failed).rejects.toThrow('boom');
      const rows = await t.db.selectFrom('audit_log').select(['action', 'id']).orderBy('action').execute();
      expect(rows.map((r) => r.action)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
      expect(typeof rows[0]!.id).toBe('number');
    } finally {
      await t.drop();
    }
  });

  it('two migrations started at once on a fresh database apply each migration once', async () => {
    const t = await create({ migrate: false });
    try {
      const results = await Promise.all([migrateToLatest(t.db), migrateToLatest(t.db)]);
      expect(results.flat().sort()).toEqual(Object.keys(migrations).map((m) => `Up ${m}`).sort());
      expect(await pendingMigrations(t.db)).toEqual([]);
    } finally {
      await t.drop();
    }
  });
});

describe('migrations on postgres, two servers at once', () => {
  // Two processes starting together on one fresh database, each with its own pool: the
  // migration lock makes one apply everything and the other find nothing left to do.
  it('apply each migration exactly once, without an error, however they interleave', async () => {
    const t = await createPostgresDatabase({ migrate: false });
    const other = await openDatabase({ url: t.url!, poolSize: 2 });
    const third = await openDatabase({ url: t.url!, poolSize: 2 });
    try {
      const results = await Promise.all([migrateToLatest(t.db), migrateToLatest(other.db), migrateToLatest(third.db)]);
      const applied = results.flat();
      expect(applied.sort()).toEqual(Object.keys(migrations).map((m) => `Up ${m}`).sort());
      // One of them did all the work: the lock is held for the whole run, not per migration.
      expect(results.filter((r) => r.length > 0)).toHaveLength(1);
      expect(await pendingMigrations(other.db)).toEqual([]);
      expect(await tableNames(other.db)).toEqual(expect.arrayContaining(tables));
    } finally {
      await other.close();
      await third.close();
      await t.drop();
    }
  });
});
