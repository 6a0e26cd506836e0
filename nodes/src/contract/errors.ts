// Node errors tell the executor what to do next, so a node never has to know about queues:
// NodeError → retry with backoff, NonRetriableNodeError → fail the step now,
// RetryAfterNodeError → retry, but not before `retryAfterMs`.

export interface NodeErrorOptions {
  cause?: unknown;
  /** Serialisable facts for the run view (status, field). Never secrets. */
  details?: Record<string, unknown>;
}

/** A failure worth retrying (5xx, network, timeout). */
export class NodeError extends Error {
  readonly retryable: boolean = true;
  readonly details: Record<string, unknown> | undefined;

  constructor(message: string, options: NodeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NodeError';
    this.details = options.details;
  }
}

/** A failure that will fail again: bad input or config, 4xx, missing or rejected credentials. */
export class NonRetriableNodeError extends NodeError {
  override readonly retryable: boolean = false;

  constructor(message: string, options: NodeErrorOptions = {}) {
    super(message, options);
    this.name = 'NonRetriableNodeError';
  }
}

/** Rate limited (429 and friends): retry after the delay the service asked for. */
export class RetryAfterNodeError extends NodeError {
  readonly retryAfterMs: number;

  constructor(message: string, retryAfterMs: number, options: NodeErrorOptions = {}) {
    super(message, options);
    this.name = 'RetryAfterNodeError';
    this.retryAfterMs = Number.isFinite(retryAfterMs) && retryAfterMs > 0 ? Math.ceil(retryAfterMs) : 0;
  }
}

/**
 * The service refused the credential itself (revoked, expired, wrong): no retry can help, and
 * the executor marks the credential invalid so the connections page shows it broken before
 * the next run tries it. The message names the credential and says how to fix it.
 */
export class CredentialRejectedError extends NonRetriableNodeError {
  readonly credentialId: string;
  readonly provider: string;

  constructor(message: string, credential: { id: string; provider: string }, options: NodeErrorOptions = {}) {
    super(message, { ...options, details: { ...options.details, credentialId: credential.id, provider: credential.provider } });
    this.name = 'CredentialRejectedError';
    this.credentialId = credential.id;
    this.provider = credential.provider;
  }
}

/**
 * Normalises anything a node threw into a NodeError, for the executor. Unknown errors are
 * treated as retryable (a bug retried a few times costs little; a lost transient failure
 * costs a run), with the original kept as `cause`.
 */
export function toNodeError(error: unknown): NodeError {
  if (error instanceof NodeError) return error;
  const message = error instanceof Error ? error.message : 'node failed with a non-Error value';
  return new NodeError(message, { cause: error });
}
