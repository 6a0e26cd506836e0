// Monthly AI spend ledger per owner: the router reserves a call's worst-case cost here before
// the call and settles the real cost after, with one conditional UPDATE so that concurrent
// workers can never push an owner past the monthly budget.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ai_budget_months')
    .addColumn('owner_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('month', 'text', (c) => c.notNull().check(sql`month ~ '^[0-9]{4}-[0-9]{2}$'`))
    .addColumn('spent_micros', 'int8', (c) => c.notNull().defaultTo(0))
    .addColumn('reserved_micros', 'int8', (c) => c.notNull().defaultTo(0).check(sql`reserved_micros >= 0`))
    .addPrimaryKeyConstraint('ai_budget_months_pk', ['owner_id', 'month'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ai_budget_months').ifExists().execute();
}
