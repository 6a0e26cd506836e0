// Integrations: how a credential authenticates (a pasted token or OAuth 2.0 with its access
// token's expiry), its health as the last identity check or run saw it, and the single-use
// OAuth `state` values of connect flows in progress.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('credentials')
    .addColumn('auth_kind', 'text', (c) => c.notNull().defaultTo('token'))
    .addColumn('token_expires_at', 'timestamptz')
    .addColumn('health', 'text', (c) => c.notNull().defaultTo('unknown'))
    .addColumn('health_checked_at', 'timestamptz')
    .addColumn('health_latency_ms', 'integer')
    .addColumn('health_error', 'text')
    .addColumn('health_next_at', 'timestamptz')
    .execute();
  // The periodic check picks the credentials due first.
  await db.schema.createIndex('credentials_health_next_idx').on('credentials').column('health_next_at').execute();

  // A trigger that registered a webhook at its service on activation (Trello) keeps the service's id here, to delete it on deactivation.
  await db.schema.alterTable('webhooks').addColumn('external_id', 'text').execute();

  await db.schema
    .createTable('oauth_states')
    // sha256 of the state value sent to the service: a leaked table row cannot complete a flow.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // The session that started the flow (sessions.id): a state carried to another session is refused.
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    // The PKCE verifier, sealed with the owner's key.
    .addColumn('verifier_ciphertext', 'text')
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('oauth_states_expires_idx').on('oauth_states').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oauth_states').execute();
  await db.schema.alterTable('webhooks').dropColumn('external_id').execute();
  await db.schema.dropIndex('credentials_health_next_idx').execute();
  await db.schema
    .alterTable('credentials')
    .dropColumn('auth_kind')
    .dropColumn('token_expires_at')
    .dropColumn('health')
    .dropColumn('health_checked_at')
    .dropColumn('health_latency_ms')
    .dropColumn('health_error')
    .dropColumn('health_next_at')
    .execute();
}
