// Webhooks that Keyflow registered at a service for an active workflow's trigger (Trello's
// POST /1/webhooks on activation): the service's id for it, so deactivation can delete it, and
// the credential that created it, so the same one deletes it.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('trigger_registrations')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('owner_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('workflow_id', 'uuid', (c) => c.notNull().references('workflows.id').onDelete('cascade'))
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('node_type', 'text', (c) => c.notNull())
    // No foreign key: a deleted credential must not delete the record of a webhook still registered.
    .addColumn('credential_id', 'uuid', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('config', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('trigger_registrations_node_unique', ['workflow_id', 'node_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('trigger_registrations').execute();
}
