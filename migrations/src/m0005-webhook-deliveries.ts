// Webhook delivery keys expire: a key bound by a signed timestamp is needed only while the
// timestamp is inside its window, other keys for the configured replay window. An expired key
// may be taken again by a new delivery; the index lets a sweep delete expired keys cheaply.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('webhook_deliveries').addColumn('expires_at', 'timestamptz').execute();
  await sql`update webhook_deliveries set expires_at = created_at + interval '1 day'`.execute(db);
  await db.schema.alterTable('webhook_deliveries').alterColumn('expires_at', (c) => c.setNotNull()).execute();
  await db.schema.createIndex('webhook_deliveries_expires_idx').on('webhook_deliveries').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('webhook_deliveries_expires_idx').ifExists().execute();
  await db.schema.alterTable('webhook_deliveries').dropColumn('expires_at').execute();
}
