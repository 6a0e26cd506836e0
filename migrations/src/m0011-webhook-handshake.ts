// Asana's webhook handshake (issue 13): creating a webhook makes Asana POST an X-Hook-Secret to
// the callback before it answers. The server accepts that secret only while the activation that
// asked for it is in progress: this column opens the window (a few seconds) and is cleared after.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('webhooks').addColumn('handshake_until', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('webhooks').dropColumn('handshake_until').execute();
}
