// A service's failure, normalised by the integration's own error mapping into a ServiceProblem,
// becomes one of the engine's error classes here, with a message a person can act on:
// - auth: the credential is refused → CredentialRejectedError (no retry, marked invalid,
//   names the credential and how to fix it)
// - scope: a permission is missing → no retry, names the scope
// - not_found: names what (channel, database, list) → no retry
// - rate_limited: retry after the service's own delay → RetryAfterNodeError
// - server, network: retry with backoff → NodeError
// - validation: no retry, the service's message (scrubbed of the secret) passed through
import { CredentialRejectedError, NodeError, NonRetriableNodeError, RetryAfterNodeError, type NodeCredential } from '../../contract/index.ts';

export type ProblemKind = 'auth' | 'scope' | 'not_found' | 'rate_limited' | 'server' | 'network' | 'validation';

export interface ServiceProblem {
  kind: ProblemKind;
  /** The service's own message or code (e.g. Slack's `channel_not_found`); scrubbed before use. */
  message: string;
  status?: number;
  /** The service's error code, kept in details. */
  code?: string;
  /** rate_limited: the delay the service asked for. */
  retryAfterMs?: number;
  /** scope: the missing scope(s), e.g. Slack's `needed`. */
  scope?: string;
  /** not_found: what was missing, e.g. 'channel C123'. */
  what?: string;
}

/** Thrown by service clients: a failure already classified, not yet worded for a person. */
export class ServiceProblemError extends Error {
  readonly problem: ServiceProblem;
  constructor(problem: ServiceProblem, options?: { cause?: unknown }) {
    super(`${problem.kind}: ${problem.message}`, options);
    this.name = 'ServiceProblemError';
    this.problem = problem;
  }
}

/** Longest service message passed on: enough to act on, not a whole HTML error page. */
const MAX_SERVICE_MESSAGE = 500;

/**
 * Removes the secret (and its parts: Trello's key and token, a Bearer value) from text the
 * service sent back, so an echoing API cannot leak it into a step row.
 */
export function scrubSecret(text: string, credential: NodeCredential | undefined): string {
  let out = text.length > MAX_SERVICE_MESSAGE ? `${text.slice(0, MAX_SERVICE_MESSAGE)}…` : text;
  if (credential) {
    const secret = credential.reveal();
    const parts = [secret, ...secret.split(':')].filter((p) => p.length >= 6).sort((a, b) => b.length - a.length);
    for (const p of parts) out = out.split(p).join('[redacted]');
  }
  // Token shapes of the services we speak to, in case a partial or another token is echoed.
  return out.replace(/\bxox[a-z]-[A-Za-z0-9-]+/g, '[redacted]').replace(/\b(ntn|secret)_[A-Za-z0-9]{16,}/g, '[redacted]').replace(/\bya29\.[A-Za-z0-9._-]+|\b1\/\/[A-Za-z0-9._-]{20,}/g, '[redacted]');
}

export interface ErrorSubject {
  /** e.g. 'Slack' */
  title: string;
  credential: NodeCredential | undefined;
  /** How to fix a refused credential, e.g. 'reconnect Slack under Connections or paste a new bot token'. */
  fixAuth: string;
}

/** Turns a classified problem into the NodeError the executor understands. */
export function problemToNodeError(problem: ServiceProblem, subject: ErrorSubject, cause?: unknown): NodeError {
  const message = scrubSecret(problem.message, subject.credential);
  const details: Record<string, unknown> = { service: subject.title.toLowerCase(), kind: problem.kind };
  if (problem.status !== undefined) details.status = problem.status;
  if (problem.code !== undefined) details.code = scrubSecret(problem.code, subject.credential);
  const opts = { details, ...(cause !== undefined ? { cause } : {}) };
  switch (problem.kind) {
    case 'auth': {
      if (!subject.credential) return new NonRetriableNodeError(`${subject.title} refused the request: no credential was sent (${message})`, opts);
      const { id, provider } = subject.credential;
      return new CredentialRejectedError(`${subject.title} rejected credential ${id} (${message}); ${subject.fixAuth}`, { id, provider }, opts);
    }
    case 'scope': {
      const scope = problem.scope ? scrubSecret(problem.scope, subject.credential) : undefined;
      if (scope) details.scope = scope;
      return new NonRetriableNodeError(
        scope
          ? `${subject.title} needs the "${scope}" permission, which this credential lacks: add the scope to the app and reconnect (${message})`
          : `${subject.title} refused: this credential lacks a permission (${message})`,
        opts,
      );
    }
    case 'not_found': {
      const what = problem.what ? scrubSecret(problem.what, subject.credential) : 'the resource';
      details.what = what;
      return new NonRetriableNodeError(`${subject.title}: ${what} was not found or is not shared with this credential (${message})`, opts);
    }
    case 'rate_limited':
      // The executor shows the credential as rate limited on the connections page.
      if (subject.credential) details.credentialId = subject.credential.id;
      return new RetryAfterNodeError(`${subject.title} is rate limiting this credential (${message}); retrying after its delay`, problem.retryAfterMs ?? 1_000, opts);
    case 'server':
      return new NodeError(`${subject.title} had a server error${problem.status !== undefined ? ` (HTTP ${problem.status})` : ''}: ${message}`, opts);
    case 'network':
      return new NodeError(`could not reach ${subject.title}: ${message}`, opts);
    case 'validation':
      return new NonRetriableNodeError(`${subject.title} refused the request: ${message}`, opts);
  }
}

/** Seconds (Retry-After's usual form) or an HTTP date, as milliseconds; `fallbackMs` when absent or garbled. */
export function retryAfterMs(header: string | null | undefined, now: Date, fallbackMs = 1_000): number {
  if (!header) return fallbackMs;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, 15 * 60_000);
  const at = Date.parse(trimmed);
  if (Number.isFinite(at)) return Math.min(Math.max(0, at - now.getTime()), 15 * 60_000);
  return fallbackMs;
}
