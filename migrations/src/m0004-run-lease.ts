// A lease on a running run, for runs a server executes itself (webhook "wait" mode): while the
// lease holds no one else claims the run; once it lapses the sweeper hands it to a worker.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('runs').addColumn('lease_until', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('runs').dropColumn('lease_until').execute();
}
