// Triggers that register a webhook at their service when the workflow is activated (Trello's
// board webhooks) and delete it on deactivation, through the integration's TriggerActivation.
// The credential is lent like a node's (the trigger's credentialId, or the owner's only one).
import { createCredentialLender, NotFound, AppError, workflows, type Db } from '@keyflow/engine';
import { findActivation, findInbound, serviceCallFor, type Integration, type TriggerActivation } from '@keyflow/nodes';
import { NodeError } from '@keyflow/nodes/contract';
import type { Services } from '../http/types.ts';
import { sql } from 'kysely';

type GraphNode = { id: string; type: string; disabled?: boolean; config?: unknown };
export type ActivationLookup = (type: string) => { integration: Integration; activation: TriggerActivation } | undefined;

const CALL_TIMEOUT_MS = 20_000;
/** How long a handshake may take to arrive once the service call that causes it has started. */
const HANDSHAKE_WINDOW_SECONDS = 30;

async function graphOf(db: Db, ownerId: string, workflowId: string, version: number): Promise<GraphNode[]> {
  return ((await workflows.getVersion(db, ownerId, workflowId, version)).graph as { nodes?: GraphNode[] }).nodes ?? [];
}

function callFor(services: Services, integration: Integration) {
  const lend = createCredentialLender(services.db, services.keyring, services.integrations.lender);
  return async (ownerId: string, config: unknown) => {
    const wanted = typeof (config as { credentialId?: unknown } | null)?.credentialId === 'string' ? (config as { credentialId: string }).credentialId : undefined;
    const credential = await lend(ownerId, integration.service, wanted);
    if (!credential) throw new AppError('credential_missing', 409, `no ${integration.service} credential: connect ${integration.title} first`);
    return serviceCallFor(integration, credential, services.integrations.settings, AbortSignal.timeout(CALL_TIMEOUT_MS), services.integrations.fetch);
  };
}

function failure(err: unknown, nodeId: string): AppError {
  if (err instanceof AppError) return err;
  const message = err instanceof NodeError ? err.message : 'the service could not be reached';
  return new AppError('trigger_activation_failed', 502, `trigger "${nodeId}" could not register its webhook: ${message}`);
}

/** Deletes what an earlier activation registered for this workflow (best effort per trigger; failures are logged). */
export async function deactivateTriggers(services: Services, ownerId: string, workflowId: string, version: number | null, lookup: ActivationLookup = findActivation): Promise<void> {
  const rows = await services.db.selectFrom('webhooks').select(['id', 'node_id', 'external_id']).where('owner_id', '=', ownerId).where('workflow_id', '=', workflowId).where('external_id', 'is not', null).execute();
  if (rows.length === 0) return;
  const nodes = version === null ? [] : await graphOf(services.db, ownerId, workflowId, version).catch(() => [] as GraphNode[]);
  for (const row of rows) {
    const node = nodes.find((n) => n.id === row.node_id);
    const found = node ? lookup(node.type) : undefined;
    try {
      if (node && found) await found.activation.deactivate(await callFor(services, found.integration)(ownerId, node.config), { config: node.config, externalId: row.external_id! });
    } catch (err) {
      services.log.warn({ workflowId, nodeId: row.node_id, err: err instanceof Error ? err.name : typeof err }, 'could not delete a trigger webhook at its service');
    }
    await services.db.updateTable('webhooks').set({ external_id: null }).where('id', '=', row.id).execute();
  }
}

/**
 * Registers the webhooks of the version's activation triggers. All or nothing: when one fails,
 * those registered so far are deleted again and the error names the trigger.
 */
export async function activateTriggers(services: Services, ownerId: string, workflowId: string, version: number, lookup: ActivationLookup = findActivation): Promise<void> {
  const nodes = (await graphOf(services.db, ownerId, workflowId, version)).filter((n) => !n.disabled && lookup(n.type));
  if (nodes.length === 0) return;
  const origin = services.config.webhookUrl ?? services.config.publicUrl;
  for (const node of nodes) {
    const { integration, activation } = lookup(node.type)!;
    const hook = await services.db.selectFrom('webhooks').select(['id', 'path']).where('owner_id', '=', ownerId).where('workflow_id', '=', workflowId).where('node_id', '=', node.id).executeTakeFirst();
    if (!hook) throw new NotFound(`webhook of trigger ${node.id}`);
    // A service whose webhook creation delivers the signing secret (Asana's handshake) may do so only now.
    const handshake = findInbound(node.type)?.handshake !== undefined;
    try {
      const call = await callFor(services, integration)(ownerId, node.config);
      if (handshake) await services.db.updateTable('webhooks').set({ handshake_until: sql<Date>`now() + make_interval(secs => ${HANDSHAKE_WINDOW_SECONDS})` }).where('id', '=', hook.id).execute();
      const { externalId, secret } = await activation.activate(call, { config: node.config, callbackUrl: `${origin}/hooks/${hook.path}` });
      // A secret Keyflow generated and gave the service (Telegram's secret_token): sealed like an owner-stored one.
      const sealed = secret !== undefined ? { signing_ciphertext: services.keyring.encrypt(ownerId, secret).ciphertext, signature: null } : {};
      await services.db.updateTable('webhooks').set({ external_id: externalId, handshake_until: null, ...sealed }).where('id', '=', hook.id).where('owner_id', '=', ownerId).execute();
    } catch (err) {
      if (handshake) await services.db.updateTable('webhooks').set({ handshake_until: null }).where('id', '=', hook.id).execute();
      await deactivateTriggers(services, ownerId, workflowId, version, lookup);
      throw failure(err, node.id);
    }
  }
}
