// The sweeper finds parked runs past their wake-up time by `resume_at`, and only waiting runs
// are ever looked up that way. `runs_parked_idx (status, resume_at)` held every run, so each
// run's insert and each of its status changes (no HOT update: status is indexed) paid an entry
// in it; a partial index on waiting runs alone holds only the few that are parked, and the
// sweeper's plan is unchanged (a bitmap scan of it under the same BitmapOr).
//
// On a large live database, build the new index first, outside a transaction (docs/scaling.md):
//   create index concurrently if not exists runs_waiting_idx on runs (resume_at) where status = 'waiting';
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists runs_waiting_idx on runs (resume_at) where status = 'waiting'`.execute(db);
  await sql`drop index if exists runs_parked_idx`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists runs_parked_idx on runs (status, resume_at)`.execute(db);
  await sql`drop index if exists runs_waiting_idx`.execute(db);
}
