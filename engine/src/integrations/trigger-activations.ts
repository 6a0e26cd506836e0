// Triggers that need a webhook registered at their service (Trello's trello.event) get it when
// their workflow is activated, and lose it when it is deactivated or deleted. The integration's
// `activations` entry does the service calls; this keeps the record (trigger_registrations) of
// what was registered, with which credential, so the same credential deletes it later.
//
// Activation is all or nothing: when one trigger cannot be registered, the ones registered a
// moment ago are removed again and the caller reports the error (the workflow stays inactive).
// Deactivation is best effort per trigger: a registration the service no longer knows, or whose
// credential the service refuses (Trello deletes the webhooks of a revoked token), is forgotten;
// any other failure keeps the record, so the next activation or deactivation tries again.
import { randomUUID } from 'node:crypto';
import { CredentialRejectedError, NodeError, type ServiceSettings } from '@keyflow/nodes/contract';
import { findIntegration, serviceCallFor, type Integration, type TriggerActivation } from '@keyflow/nodes';
import { createCredentialLender, openForCheck, type LenderOptions } from '../engine/credential-lender.ts';
import { Invalid } from '../errors.ts';
import type { Db } from '../store/database.ts';
import type { Keyring } from '../vault/keyring.ts';

export interface ActivationDeps {
  db: Db;
  keyring: Keyring;
  lender: LenderOptions;
  settings: ServiceSettings;
  fetch?: typeof fetch;
}

export interface TriggerNode {
  id: string;
  type: string;
  config?: unknown;
  disabled?: boolean;
}

const CALL_TIMEOUT_MS = 30_000;

function activationOf(type: string): { integration: Integration; activation: TriggerActivation } | undefined {
  const integration = findIntegration(type.slice(0, type.indexOf('.')));
  const activation = integration?.activations?.[type];
  return integration && activation ? { integration, activation } : undefined;
}

/** True when the graph holds a trigger that registers a webhook at its service. */
export function needsRegistration(nodes: readonly TriggerNode[]): boolean {
  return nodes.some((n) => !n.disabled && activationOf(n.type) !== undefined);
}

function credentialIdOf(config: unknown): string | undefined {
  const id = (config as { credentialId?: unknown } | null | undefined)?.credentialId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Registers a webhook for every trigger of `nodes` that needs one, after removing the
 * workflow's earlier registrations (a new version may watch something else).
 * `callbackUrlOf` answers the published production URL of a trigger node.
 */
export async function registerTriggers(deps: ActivationDeps, ownerId: string, workflowId: string, nodes: readonly TriggerNode[], callbackUrlOf: (nodeId: string) => string): Promise<void> {
  await unregisterTriggers(deps, ownerId, workflowId);
  const lend = createCredentialLender(deps.db, deps.keyring, deps.lender);
  const done: string[] = [];
  try {
    for (const node of nodes) {
      if (node.disabled) continue;
      const found = activationOf(node.type);
      if (!found) continue;
      const { integration, activation } = found;
      let externalId: string;
      let credentialId: string;
      try {
        const credential = await lend(ownerId, integration.service, credentialIdOf(node.config));
        if (!credential) throw new Invalid(`trigger ${node.id} (${node.type}) needs a ${integration.title} credential to register its webhook: add one under Keys`);
        credentialId = credential.id;
        ({ externalId } = await activation.activate(serviceCallFor(integration, credential, deps.settings, AbortSignal.timeout(CALL_TIMEOUT_MS), deps.fetch), { config: node.config, callbackUrl: callbackUrlOf(node.id) }));
      } catch (err) {
        if (err instanceof NodeError) throw new Invalid(`trigger ${node.id} (${node.type}): ${integration.title} did not register the webhook: ${err.message}`);
        throw err;
      }
      await deps.db
        .insertInto('trigger_registrations')
        .values({ id: randomUUID(), owner_id: ownerId, workflow_id: workflowId, node_id: node.id, node_type: node.type, credential_id: credentialId, external_id: externalId, config: JSON.stringify(node.config ?? {}) })
        .execute();
      done.push(node.id);
    }
  } catch (err) {
    if (done.length > 0) await unregisterTriggers(deps, ownerId, workflowId);
    throw err;
  }
}

/** Deletes the workflow's registered webhooks at their services; answers the node ids it could not remove. */
export async function unregisterTriggers(deps: ActivationDeps, ownerId: string, workflowId: string): Promise<string[]> {
  const rows = await deps.db.selectFrom('trigger_registrations').selectAll().where('owner_id', '=', ownerId).where('workflow_id', '=', workflowId).execute();
  const kept: string[] = [];
  for (const row of rows) {
    const found = activationOf(row.node_type);
    let forget = true;
    if (found) {
      try {
        const credential = await openForCheck(deps.db, deps.keyring, deps.lender, ownerId, row.credential_id);
        // Without its credential the webhook cannot be deleted by us; the service drops it after failed deliveries.
        if (credential) {
          await found.activation.deactivate(serviceCallFor(found.integration, credential, deps.settings, AbortSignal.timeout(CALL_TIMEOUT_MS), deps.fetch), { config: row.config, externalId: row.external_id });
        }
      } catch (err) {
        forget = err instanceof CredentialRejectedError;
      }
    }
    if (forget) await deps.db.deleteFrom('trigger_registrations').where('id', '=', row.id).execute();
    else kept.push(row.node_id);
  }
  return kept;
}
