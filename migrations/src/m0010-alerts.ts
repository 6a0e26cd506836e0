// Alerts (issue 14): each owner's alert settings (rules and channels; the signed webhook's
// secret sealed apart from the JSON), and the alerts raised, one row per dedupe key: a new
// alert under a key is delivered only once its window has passed; inside the window it is
// counted as suppressed. Additive only (expand/contract): running code never reads these tables.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('alert_settings')
    .addColumn('owner_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('config', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('webhook_secret_ciphertext', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('alert_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('owner_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    .addColumn('window_until', 'timestamptz', (c) => c.notNull())
    .addColumn('suppressed', 'int4', (c) => c.notNull().defaultTo(0))
    .addColumn('deliveries', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('alert_events_owner_key_uq', ['owner_id', 'dedupe_key'])
    .execute();
  await db.schema.createIndex('alert_events_owner_created_idx').on('alert_events').columns(['owner_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('alert_events').ifExists().execute();
  await db.schema.dropTable('alert_settings').ifExists().execute();
}
