import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { databaseKinds } from './support/postgres.ts';
import { migrateDownAll, migrateToLatest, pendingMigrations } from '../src/store/migrate.ts';
import { migrations } from '@keyflow/migrations';

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

  it('serialises transactions and parses int8 as a number', async () => {
    const t = await create();
    try {
      const id = crypto.randomUUID();
      await t.db.insertInto('users').values({ id, email: `${id}@x.test`, password_hash: 'x' }).execute();
      // Two transactions racing on one row: each sees its own writes only after commit.
      await Promise.all([1, 2].map((n) => t.db.transaction().execute(async (trx) => {
        await trx.insertInto('audit_log').values({ owner_id: id, action: `a${n}`, target_type: 't', meta: '{}' }).execute();
      })));
      const failed = t.db.transaction().execute(async (trx) => {
        await trx.insertInto('audit_log').values({ owner_id: id, action: 'rolled-back', target_type: 't', meta: '{}' }).execute();
        throw new Error('boom');
      });
      await expect(failed).rejects.toThrow('boom');
      const rows = await t.db.selectFrom('audit_log').select(['action', 'id']).orderBy('action').execute();
      expect(rows.map((r) => r.action)).toEqual(['a1', 'a2']);
      expect(typeof rows[0]!.id).toBe('number');
    } finally {
      await t.drop();
    }
  });
});
