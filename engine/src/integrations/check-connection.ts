// A credential's identity call (Slack auth.test, Notion users.me, Trello members/me) and what
// its outcome means for the connections page. Used by POST /api/credentials/:id/test, the
// periodic check, and nothing else: a failing run records its own finding (run-node.ts).
import { CredentialRejectedError, NodeError, RetryAfterNodeError, type ServiceSettings } from '@keyflow/nodes/contract';
import { findIntegration, serviceCallFor, type Identity } from '@keyflow/nodes';
import { openForCheck, type LenderOptions } from '../engine/credential-lender.ts';
import { NotFound } from '../errors.ts';
import { recordHealth, type Health } from '../store/credential-health.repo.ts';
import type { Db } from '../store/database.ts';
import type { Keyring } from '../vault/keyring.ts';

export interface CheckDeps {
  db: Db;
  keyring: Keyring;
  lender: LenderOptions;
  settings: ServiceSettings;
  fetch?: typeof fetch;
  now?: () => Date;
  /** Where the next periodic check goes; omitted: leave it. */
  nextAt?: (now: Date) => Date;
}

export interface CheckResult {
  health: Health | 'not_configured';
  latencyMs?: number;
  /** What to tell the person; ours, built from the service's error code, never a raw body. */
  message: string;
  identity?: Identity;
}

const CHECK_TIMEOUT_MS = 20_000;

/** True when this provider has an identity call Keyflow can run. */
export function hasIdentityCheck(provider: string): boolean {
  return findIntegration(provider) !== undefined;
}

export async function checkConnection(deps: CheckDeps, ownerId: string, credentialId: string): Promise<CheckResult> {
  const now = deps.now ?? (() => new Date());
  const row = await deps.db.selectFrom('credentials').select(['provider']).where('owner_id', '=', ownerId).where('id', '=', credentialId).executeTakeFirst();
  if (!row) throw new NotFound('credential');
  const integration = findIntegration(row.provider);
  if (!integration) return { health: 'not_configured', message: `no live check for ${row.provider} here` };
  const started = performance.now();
  let result: CheckResult;
  try {
    const credential = await openForCheck(deps.db, deps.keyring, deps.lender, ownerId, credentialId);
    if (!credential) throw new NotFound('credential');
    const identity = await integration.identity(serviceCallFor(integration, credential, deps.settings, AbortSignal.timeout(CHECK_TIMEOUT_MS), deps.fetch));
    result = { health: 'healthy', message: `connected as ${identity.name}`, identity };
  } catch (err) {
    if (err instanceof NotFound) throw err;
    if (err instanceof CredentialRejectedError) result = { health: 'invalid', message: err.message };
    else if (err instanceof RetryAfterNodeError) result = { health: 'rate_limited', message: err.message };
    else if (err instanceof NodeError) result = { health: 'error', message: err.message };
    else if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) result = { health: 'error', message: `${integration.title} did not answer in time` };
    else result = { health: 'error', message: `the ${integration.title} check failed unexpectedly` };
  }
  const latencyMs = Math.round(performance.now() - started);
  const at = now();
  if (result.health !== 'not_configured') {
    await recordHealth(deps.db, ownerId, credentialId, { health: result.health, latencyMs, error: result.message, at, ...(deps.nextAt ? { nextAt: deps.nextAt(at) } : {}) });
  }
  return { ...result, latencyMs };
}
