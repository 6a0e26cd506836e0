// The usage report's quality-savings section (`usage.qualityByReference`) sums the calls routed
// under the quality rule: `reference_model` and `reference_cost_micros` set. `usage_owner_cover_idx`
// does not carry `reference_model`, so the query fetched every call of the owner's period from the
// heap (3,200 pages and 38 ms for a month of 3,750 calls at 500,000 events) to find those few. A
// partial index of the routed calls alone, carrying what the query sums, makes it an index-only
// scan of exactly those rows; calls without a reference (most) pay no entry in it.
//
// (0014 is reserved for another change in flight.) On a large live database, build it first,
// outside a transaction (docs/scaling.md):
//   create index concurrently if not exists usage_quality_idx on usage_events (owner_id, created_at)
//     include (reference_model, cost_micros, reference_cost_micros) where reference_cost_micros is not null and reference_model is not null;
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists usage_quality_idx on usage_events (owner_id, created_at)
    include (reference_model, cost_micros, reference_cost_micros) where reference_cost_micros is not null and reference_model is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists usage_quality_idx`.execute(db);
}
