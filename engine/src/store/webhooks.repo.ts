// Webhook endpoints: one per webhook trigger node, with an unguessable production path and
// test path that stay the same across versions. The signing secret is stored encrypted.
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './database.ts';

export interface WebhookRecord {
  id: string;
  ownerId: string;
  workflowId: string;
  nodeId: string;
  path: string;
  testPath: string;
  signingCiphertext: string | null;
  signature: Record<string, unknown> | null;
}

const newPath = () => randomBytes(24).toString('base64url');

/** Creates rows for webhook nodes that have none yet. Paths never change once issued. */
export async function ensureWebhooks(db: Db, ownerId: string, workflowId: string, nodeIds: string[]): Promise<void> {
  if (nodeIds.length === 0) return;
  await db
    .insertInto('webhooks')
    .values(nodeIds.map((nodeId) => ({ id: randomUUID(), owner_id: ownerId, workflow_id: workflowId, node_id: nodeId, path: newPath(), test_path: newPath(), response_mode: 'accepted' })))
    .onConflict((oc) => oc.columns(['workflow_id', 'node_id']).doNothing())
    .execute();
}

type Row = { id: string; owner_id: string; workflow_id: string; node_id: string; path: string; test_path: string; signing_ciphertext: string | null; signature: Record<string, unknown> | null };
const toRecord = (r: Row): WebhookRecord => ({ id: r.id, ownerId: r.owner_id, workflowId: r.workflow_id, nodeId: r.node_id, path: r.path, testPath: r.test_path, signingCiphertext: r.signing_ciphertext, signature: r.signature });
const columns = ['id', 'owner_id', 'workflow_id', 'node_id', 'path', 'test_path', 'signing_ciphertext', 'signature'] as const;

export async function listWebhooks(db: Db, ownerId: string, workflowId: string): Promise<WebhookRecord[]> {
  const rows = await db.selectFrom('webhooks').select(columns).where('owner_id', '=', ownerId).where('workflow_id', '=', workflowId).orderBy('node_id').execute();
  return rows.map((r) => toRecord(r as Row));
}

export async function setSignature(db: Db, ownerId: string, workflowId: string, nodeId: string, value: { signature: Record<string, unknown> | null; signingCiphertext: string | null }): Promise<boolean> {
  const r = await db
    .updateTable('webhooks')
    .set({ signature: value.signature === null ? null : JSON.stringify(value.signature), signing_ciphertext: value.signingCiphertext })
    .where('owner_id', '=', ownerId)
    .where('workflow_id', '=', workflowId)
    .where('node_id', '=', nodeId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Takes a delivery key for `ttlSeconds`; false when a live one exists (a replay or a retry of a
 * delivery that already started its run). Call it inside the transaction that writes the run:
 * when that rolls back the key is released, so the sender's retry runs. An expired key is taken
 * again. A concurrent identical delivery waits on the key's index entry, then sees it taken.
 */
export async function takeDelivery(db: Db, webhookId: string, deliveryId: string, ttlSeconds: number): Promise<boolean> {
  const expires = sql<Date>`now() + make_interval(secs => ${ttlSeconds})`;
  const row = await db
    .insertInto('webhook_deliveries')
    .values({ webhook_id: webhookId, delivery_id: deliveryId, expires_at: expires })
    .onConflict((oc) => oc.columns(['webhook_id', 'delivery_id']).doUpdateSet({ created_at: sql`now()`, expires_at: expires }).where('webhook_deliveries.expires_at', '<', sql<Date>`now()`))
    .returning('delivery_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Deletes up to `limit` expired delivery keys (space only: expired keys are re-taken anyway). */
export async function pruneDeliveries(db: Db, limit = 10_000): Promise<number> {
  const r = await sql`delete from webhook_deliveries where ctid in (select ctid from webhook_deliveries where expires_at < now() limit ${limit})`.execute(db);
  return Number(r.numAffectedRows ?? 0n);
}

export interface ResolvedHook extends WebhookRecord {
  /** The version a request on this path runs: the active one (production) or the draft (test). */
  version: number | null;
  active: boolean;
}

/** The public lookup (the path itself is the capability), in one round trip with the workflow's state. */
export async function resolveByPath(db: Db, path: string, kind: 'production' | 'test'): Promise<ResolvedHook | undefined> {
  const row = await db
    .selectFrom('webhooks as h')
    .innerJoin('workflows as w', 'w.id', 'h.workflow_id')
    .select(['h.id', 'h.owner_id', 'h.workflow_id', 'h.node_id', 'h.path', 'h.test_path', 'h.signing_ciphertext', 'h.signature', 'w.active', 'w.active_version', 'w.current_version'])
    .where(kind === 'production' ? 'h.path' : 'h.test_path', '=', path)
    .executeTakeFirst();
  if (!row) return undefined;
  return { ...toRecord(row as Row), active: row.active, version: kind === 'production' ? row.active_version : row.current_version };
}
