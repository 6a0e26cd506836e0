// Indexes for reads that must stay flat as history grows (issue 15, `npm run bench -- scale`):
// a run list filtered by status or trigger walks the owner's runs of that status or trigger
// newest first instead of every run of the owner; a run's provider calls (the run detail) are
// found by run instead of by scanning the owner's usage; a usage report reads only the index
// (every column it sums is in it), not one heap page per AI call. That covering index replaces
// usage_owner_idx (same leading columns: every query that used it can use this one).
//
// Plain CREATE INDEX (the migrator runs in a transaction): it blocks writes to the table while
// it builds. On a large live database, build them first with CONCURRENTLY under the same names
// (docs/scaling.md lists the statements); `if not exists` then skips them here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists runs_owner_status_idx on runs (owner_id, status, created_at)`.execute(db);
  await sql`create index if not exists runs_owner_trigger_idx on runs (owner_id, trigger, created_at)`.execute(db);
  await sql`create index if not exists usage_events_run_idx on usage_events (run_id) where run_id is not null`.execute(db);
  await sql`create index if not exists usage_owner_cover_idx on usage_events (owner_id, created_at)
    include (workflow_id, provider, model, tokens_in, tokens_out, tokens_cache_read, tokens_cache_write, tokens_reasoning, cost_micros, baseline_cost_micros, reference_cost_micros)`.execute(db);
  await sql`drop index if exists usage_owner_idx`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists usage_owner_idx on usage_events (owner_id, created_at)`.execute(db);
  await sql`drop index if exists usage_owner_cover_idx`.execute(db);
  await sql`drop index if exists usage_events_run_idx`.execute(db);
  await sql`drop index if exists runs_owner_trigger_idx`.execute(db);
  await sql`drop index if exists runs_owner_status_idx`.execute(db);
}
