// The bridge from a node's context to a service call: the lent credential, the base URL the
// operator allows, the run's signal; and the one rule every action follows for auth: on a
// refused OAuth token, refresh once and try again, then give up with a CredentialRejectedError.
import { NonRetriableNodeError, type NodeContext, type NodeCredential, type ServiceSettings } from '../../contract/index.ts';
import { serviceBaseUrl } from './base-url.ts';
import { problemToNodeError, ServiceProblemError, type ErrorSubject } from './errors.ts';
import type { Integration, ServiceCall } from './types.ts';

/** The service call for a node's run() (the executor has lent the credential). */
export function serviceCall(ctx: NodeContext<unknown>, integration: Pick<Integration, 'service' | 'title' | 'defaultBaseUrl'>, fetchImpl: typeof globalThis.fetch = globalThis.fetch): ServiceCall {
  if (!ctx.credential) throw new NonRetriableNodeError(`no ${integration.service} credential: connect ${integration.title} under Connections`);
  if (ctx.credential.provider !== integration.service) throw new NonRetriableNodeError(`credential ${ctx.credential.id} is a ${ctx.credential.provider} credential, not ${integration.service}`);
  return { credential: ctx.credential, baseUrl: serviceBaseUrl(integration, ctx.services), signal: ctx.signal, log: ctx.log, fetch: fetchImpl };
}

/** The same outside a run (health checks, option lists), from the server's side. */
export function serviceCallFor(integration: Pick<Integration, 'service' | 'defaultBaseUrl'>, credential: NodeCredential, settings: ServiceSettings | undefined, signal: AbortSignal, fetchImpl: typeof globalThis.fetch = globalThis.fetch): ServiceCall {
  return { credential, baseUrl: serviceBaseUrl(integration, settings), signal, fetch: fetchImpl };
}

/**
 * Runs `fn` and maps its ServiceProblemError into the engine's classes. An `auth` problem with an
 * OAuth credential refreshes once (credential.refresh) and calls `fn` again.
 */
export async function callService<T>(call: ServiceCall, subject: Omit<ErrorSubject, 'credential'>, fn: (call: ServiceCall) => Promise<T>): Promise<T> {
  const full: ErrorSubject = { ...subject, credential: call.credential };
  try {
    return await fn(call);
  } catch (err) {
    if (!(err instanceof ServiceProblemError)) throw err;
    if (err.problem.kind === 'auth' && call.credential.refresh && (await call.credential.refresh())) {
      try {
        return await fn(call);
      } catch (again) {
        if (again instanceof ServiceProblemError) throw problemToNodeError(again.problem, full, again);
        throw again;
      }
    }
    throw problemToNodeError(err.problem, full, err);
  }
}

/** Splits a Trello-style `"<API key>:<token>"` credential; the message never quotes it. */
export function keyAndToken(credential: NodeCredential): { key: string; token: string } {
  const raw = credential.reveal();
  const at = raw.indexOf(':');
  if (at <= 0 || at === raw.length - 1) throw new NonRetriableNodeError(`credential ${credential.id} is not in the "<API key>:<token>" form: enter it again under Keys`);
  return { key: raw.slice(0, at), token: raw.slice(at + 1) };
}
