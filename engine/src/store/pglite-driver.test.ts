import { isAbortedTransactionError, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from './database.ts';
import { PREPARED_LIMIT } from './pglite-driver.ts';

describe("embedded PGlite's prepared-statement driver", () => {
  let store: DatabaseHandle;
  const db = () => store.db;
  const preparedCount = async (like: string) =>
    (await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements where statement like ${like}`.execute(db())).rows[0]!.n;

  beforeAll(async () => {
    store = await openDatabase({ dataDir: 'memory://' });
  });
  afterAll(async () => {
    await store.close();
  });

  it('prepares a statement text once and runs it again with its parameters', async () => {
    const first = await sql<{ v: number }>`select ${1}::int + 1 as v /* reuse */`.execute(db());
    const second = await sql<{ v: number }>`select ${41}::int + 1 as v /* reuse */`.execute(db());
    expect([first.rows, second.rows]).toEqual([[{ v: 2 }], [{ v: 42 }]]);
    expect(await preparedCount('%/* reuse */%')).toBe(1);
  });

  it('serialises and parses values by their column types (jsonb, timestamptz, int8, null)', async () => {
    const at = new Date('2026-12-03T10:00:00.123Z');
    const { rows } = await sql<{ j: unknown; t: Date; n: number; z: null }>`select ${JSON.stringify({ a: [1, 'x'] })}::jsonb as j, ${at}::timestamptz as t, ${9_007_199_254_740_991}::int8 as n, ${null}::text as z`.execute(db());
    expect(rows).toEqual([{ j: { a: [1, 'x'] }, t: at, n: 9_007_199_254_740_991, z: null }]);
  });

  it('reports affected rows, and rows from returning', async () => {
    await sql`create table affected (id int primary key)`.execute(db());
    const inserted = await db().insertInto('affected' as never).values([{ id: 1 }, { id: 2 }] as never).returning('id' as never).execute();
    const deleted = await db().deleteFrom('affected' as never).executeTakeFirst();
    expect(inserted).toEqual([{ id: 1 }, { id: 2 }]);
    expect(deleted.numDeletedRows).toBe(2n);
  });

  it('forgets its statements after DDL, so a changed table is read with its new columns', async () => {
    await sql`create table widened (a int)`.execute(db());
    await sql`insert into widened values (1)`.execute(db());
    expect((await sql`select * from widened`.execute(db())).rows).toEqual([{ a: 1 }]);
    await sql`alter table widened add column b text default 'x'`.execute(db());
    expect((await sql`select * from widened`.execute(db())).rows).toEqual([{ a: 1, b: 'x' }]);
  });

  it('keeps no statement that failed to parse, and names the error', async () => {
    await expect(sql`select * from not_yet`.execute(db())).rejects.toMatchObject({ code: '42P01', message: 'relation "not_yet" does not exist' });
    await sql`create table not_yet (a int)`.execute(db());
    expect((await sql`select * from not_yet`.execute(db())).rows).toEqual([]);
  });

  it('closes the least recently used statements past its limit, keeping one in use', async () => {
    const hot = () => sql`select 1 as v /* hot */`.execute(db());
    await hot();
    for (let i = 0; i < PREPARED_LIMIT + 20; i++) {
      await sql`select ${i}::int as v /* many */, ${sql.raw(String(i))} as k`.execute(db());
      if (i % 50 === 0) await hot();
    }
    // The statements evicted last are closed with the next one prepared.
    expect(await preparedCount('%/* many */%')).toBeLessThanOrEqual(PREPARED_LIMIT);
    expect(await preparedCount('%/* many */%')).toBeGreaterThan(PREPARED_LIMIT / 2);
    expect(await preparedCount('%/* hot */%')).toBe(1);
  });

  it('makes a query from outside a transaction wait for it, rather than join it and be rolled back with it', async () => {
    await sql`create table outside (who text)`.execute(db());
    let outsider: Promise<unknown> | undefined;
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await sql`insert into outside values ('inside')`.execute(trx);
          outsider = sql`insert into outside values ('outside')`.execute(db());
          await new Promise((resolve) => setTimeout(resolve, 20));
          throw new Error('roll back');
        }),
    ).rejects.toThrow('roll back');
    await outsider;
    expect((await sql`select who from outside`.execute(db())).rows).toEqual([{ who: 'outside' }]);
  });

  it('fails the commit of a transaction an error aborted', async () => {
    const err = await db()
      .transaction()
      .execute(async (trx) => {
        await sql`select 1 / 0`.execute(trx).catch(() => undefined);
      })
      .catch((e: unknown) => e);
    expect(isAbortedTransactionError(err)).toBe(true);
    expect((await sql<{ v: number }>`select 1 as v`.execute(db())).rows).toEqual([{ v: 1 }]);
  });
});
