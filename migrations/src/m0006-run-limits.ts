// Poison runs: each claim of a run counts up, each clean end of that execution (finish, park, an
// orderly shutdown that hands it back) sets the count back. A claim that finds the count at N
// knows the run's last N executions died with their process: the run is failed, not resumed.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('runs').addColumn('unfinished_claims', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('runs').dropColumn('unfinished_claims').execute();
}
