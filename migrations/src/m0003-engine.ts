// Execution state: parked runs (delay), cancellation, the webhook response, loop scopes for
// steps, an event sequence for SSE resume, and webhook delivery ids for replay protection.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('runs')
    .addColumn('resume_at', 'timestamptz')
    .addColumn('cancel_requested', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('response', 'jsonb')
    .addColumn('output', 'jsonb')
    .addColumn('rerun_of', 'uuid')
    .addColumn('event_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('run_steps')
    .addColumn('scope', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('resume_at', 'timestamptz')
    .addColumn('branch', 'text')
    .execute();
  await db.schema.alterTable('run_steps').dropConstraint('run_steps_attempt_uq').execute();
  await db.schema.alterTable('run_steps').addUniqueConstraint('run_steps_scope_attempt_uq', ['run_id', 'node_id', 'scope', 'attempt']).execute();
  await db.schema.createIndex('runs_parked_idx').on('runs').columns(['status', 'resume_at']).execute();
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('webhook_id', 'uuid', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('webhook_deliveries_pk', ['webhook_id', 'delivery_id'])
    .execute();
  await db.schema
    .createTable('schedules')
    .addColumn('workflow_id', 'uuid', (c) => c.notNull().references('workflows.id').onDelete('cascade'))
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'uuid', (c) => c.notNull())
    .addColumn('cron', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('last_fired_at', 'timestamptz')
    .addPrimaryKeyConstraint('schedules_pk', ['workflow_id', 'node_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('schedules').ifExists().execute();
  await db.schema.dropTable('webhook_deliveries').ifExists().execute();
  await db.schema.dropIndex('runs_parked_idx').ifExists().execute();
  await db.schema.alterTable('run_steps').dropConstraint('run_steps_scope_attempt_uq').execute();
  await db.schema.alterTable('run_steps').addUniqueConstraint('run_steps_attempt_uq', ['run_id', 'node_id', 'attempt']).execute();
  await db.schema.alterTable('run_steps').dropColumn('scope').dropColumn('seq').dropColumn('resume_at').dropColumn('branch').execute();
  await db.schema.alterTable('runs').dropColumn('resume_at').dropColumn('cancel_requested').dropColumn('response').dropColumn('output').dropColumn('rerun_of').dropColumn('event_seq').execute();
}
