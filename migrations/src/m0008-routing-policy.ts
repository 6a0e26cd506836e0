// The owner's routing policy (issue 12): how strict the quality rule is (margin), preferred and
// excluded providers or models, and a data-residency filter. One JSON document, validated by the
// server's schema on save and read defensively by the engine (settings.repo.ts).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('owner_settings').addColumn('routing_policy', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`)).execute();
  // Savings under the quality rule: each routed call priced on the reference it had to match.
  await db.schema.alterTable('usage_events').addColumn('reference_model', 'text').addColumn('reference_cost_micros', 'int8').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('usage_events').dropColumn('reference_model').dropColumn('reference_cost_micros').execute();
  await db.schema.alterTable('owner_settings').dropColumn('routing_policy').execute();
}
