// Polling triggers (an integration's PollTrigger, e.g. gmail.new_message): their state rows
// (poll_triggers, m0009) and one poll. A poll reads the row, asks the service for what is new
// after the row's cursor, then in ONE transaction moves the cursor (compare-and-set on `seq`),
// remembers the new ids and inserts a queued run per new item. So a crash before the commit
// repeats the poll (nothing was written) and a crash after it loses nothing (the sweeper
// enqueues runs left queued): across restarts, no item starts two runs and none is skipped.
import { findPoll, serviceCallFor, type Integration, type PollTrigger } from '@keyflow/nodes';
import { CredentialRejectedError, NodeError, RetryAfterNodeError, type ServiceSettings } from '@keyflow/nodes/contract';
import type { Logger } from 'pino';
import type { CredentialHealthSink, CredentialLender } from '../executor/types.ts';
import type { ScheduleSpec } from '../queue/run-queue.ts';
import type { Db } from '../store/database.ts';
import * as runs from '../store/runs.repo.ts';

/** Ids kept per trigger to refuse repeats; far more than one poll may add (see gmail's cap). */
export const SEEN_CAP = 2000;
const CALL_TIMEOUT_MS = 60_000;

export interface PollDeps {
  db: Db;
  credentials: CredentialLender;
  services?: ServiceSettings;
  log: Logger;
  /** The guarded fetch integration clients use (tests inject; default global fetch). */
  fetch?: typeof globalThis.fetch;
  /** Told when a poll learns the credential was refused or rate limited (the connections page). */
  credentialHealth?: CredentialHealthSink;
}

export interface PollNode {
  id: string;
  type: string;
  config: unknown;
}

export interface PollOutcome {
  /** Runs written (queued), in the order the service reported their items. */
  runIds: string[];
  note?: string;
  /** Why nothing was written, when nothing was. */
  skipped?: 'inactive' | 'no_state' | 'no_credential' | 'failed' | 'overtaken';
}

function credentialIdOf(config: unknown): string | undefined {
  const id = (config as { credentialId?: unknown } | null)?.credentialId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

async function callFor(deps: PollDeps, integration: Integration, ownerId: string, config: unknown) {
  const credential = await deps.credentials(ownerId, integration.service, credentialIdOf(config));
  if (!credential) return undefined;
  return serviceCallFor(integration, credential, deps.services, AbortSignal.timeout(CALL_TIMEOUT_MS), deps.fetch);
}

/** The polling trigger nodes of a graph, with their PollTrigger. */
export function pollNodesOf(nodes: readonly { id: string; type: string; disabled?: boolean; config?: unknown }[]): { node: PollNode; integration: Integration; poll: PollTrigger }[] {
  const out: { node: PollNode; integration: Integration; poll: PollTrigger }[] = [];
  for (const n of nodes) {
    if (n.disabled) continue;
    const found = findPoll(n.type);
    if (found) out.push({ node: { id: n.id, type: n.type, config: n.config ?? {} }, ...found });
  }
  return out;
}

/**
 * Makes sure the node has a state row: a new one gets its starting cursor from the service
 * (activation), an existing one of the same type keeps its cursor (a new version of the
 * workflow misses nothing). Throws the NodeError of a failed start.
 */
export async function ensurePollState(deps: PollDeps, ownerId: string, workflowId: string, entry: { node: PollNode; integration: Integration; poll: PollTrigger }): Promise<ScheduleSpec> {
  const everyMs = entry.poll.intervalMs(entry.node.config);
  const spec: ScheduleSpec = { workflowId, nodeId: entry.node.id, ownerId, cron: '', timezone: 'UTC', everyMs, poll: true };
  const row = await deps.db.selectFrom('poll_triggers').select(['node_type']).where('workflow_id', '=', workflowId).where('node_id', '=', entry.node.id).executeTakeFirst();
  if (row?.node_type === entry.node.type) {
    await deps.db.updateTable('poll_triggers').set({ interval_ms: everyMs }).where('workflow_id', '=', workflowId).where('node_id', '=', entry.node.id).execute();
    return spec;
  }
  const call = await callFor(deps, entry.integration, ownerId, entry.node.config);
  if (!call) throw new NodeError(`no ${entry.integration.service} credential: connect ${entry.integration.title} first`);
  const { cursor } = await entry.poll.start(call, { config: entry.node.config });
  await deps.db.insertInto('poll_triggers')
    .values({ workflow_id: workflowId, node_id: entry.node.id, owner_id: ownerId, node_type: entry.node.type, interval_ms: everyMs, cursor, seen_ids: '[]' })
    .onConflict((oc) => oc.columns(['workflow_id', 'node_id']).doUpdateSet({ node_type: entry.node.type, interval_ms: everyMs, cursor, seen_ids: '[]', seq: 0, last_note: null, last_error: null }))
    .execute();
  return spec;
}

/** The seen ids to keep after a poll: the newest first, at most SEEN_CAP. */
export function rememberSeen(seen: readonly string[], added: readonly string[]): string[] {
  const fresh = new Set(added);
  return [...[...added].reverse(), ...seen.filter((id) => !fresh.has(id))].slice(0, SEEN_CAP);
}

/** One poll of one trigger node of the workflow's active version. */
export async function pollOnce(deps: PollDeps, args: { ownerId: string; workflowId: string; version: number; node: PollNode }): Promise<PollOutcome> {
  const { ownerId, workflowId, node } = args;
  const found = findPoll(node.type);
  const row = await deps.db.selectFrom('poll_triggers').select(['cursor', 'seen_ids', 'seq', 'node_type']).where('workflow_id', '=', workflowId).where('node_id', '=', node.id).where('owner_id', '=', ownerId).executeTakeFirst();
  if (!found || !row || row.node_type !== node.type) return { runIds: [], skipped: 'no_state' };
  const seenList = (Array.isArray(row.seen_ids) ? row.seen_ids : []) as string[];
  const setError = (message: string) => deps.db.updateTable('poll_triggers').set({ last_error: message.slice(0, 500), last_polled_at: new Date() }).where('workflow_id', '=', workflowId).where('node_id', '=', node.id).execute();
  const call = await callFor(deps, found.integration, ownerId, node.config);
  if (!call) {
    await setError(`no ${found.integration.service} credential: connect ${found.integration.title} first`);
    return { runIds: [], skipped: 'no_credential' };
  }
  let result;
  try {
    result = await found.poll.poll(call, { config: node.config, cursor: row.cursor, seen: new Set(seenList) });
  } catch (err) {
    // The service's message, as the integration phrased it (never a secret); the next tick tries again.
    const message = err instanceof NodeError ? err.message : `the ${found.integration.title} poll failed unexpectedly`;
    deps.log.warn({ workflowId, nodeId: node.id, err: err instanceof Error ? err.name : typeof err }, 'poll failed');
    await setError(message);
    const health = err instanceof CredentialRejectedError ? 'invalid' : err instanceof RetryAfterNodeError ? 'rate_limited' : undefined;
    if (health) await deps.credentialHealth?.(ownerId, call.credential.id, { health, error: message }).catch(() => undefined);
    return { runIds: [], skipped: 'failed' };
  }
  const seen = new Set(seenList);
  const items = result.items.filter((item, i, all) => !seen.has(item.id) && all.findIndex((o) => o.id === item.id) === i);
  if (result.note) deps.log.info({ workflowId, nodeId: node.id, note: result.note }, 'poll note');
  const runIds = await deps.db.transaction().execute(async (trx) => {
    const moved = await trx.updateTable('poll_triggers')
      .set({ cursor: result.cursor, seen_ids: JSON.stringify(rememberSeen(seenList, items.map((i) => i.id))), seq: String(BigInt(row.seq) + 1n), last_polled_at: new Date(), last_note: result.note ?? null, last_error: null })
      .where('workflow_id', '=', workflowId).where('node_id', '=', node.id).where('seq', '=', row.seq)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) return undefined;
    const ids: string[] = [];
    for (const item of items) ids.push(await runs.insertRun(trx, { ownerId, workflowId, workflowVersion: args.version, trigger: 'poll', triggerPayload: item.payload }));
    return ids;
  });
  if (!runIds) return { runIds: [], skipped: 'overtaken' };
  return { runIds, ...(result.note ? { note: result.note } : {}) };
}
