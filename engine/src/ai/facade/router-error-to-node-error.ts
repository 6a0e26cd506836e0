// Router and provider failures in the words a node's retry policy understands: retry when a
// later try can succeed (providers down, rate limits), fail the step when it cannot (budget,
// no fitting model, a request the provider refuses, keys every provider rejected).
import { NodeError, NonRetriableNodeError, RetryAfterNodeError } from '@keyflow/nodes/contract';
import { ProviderError, type ProviderErrorKind } from '../types.ts';
import { AllProvidersFailed, BudgetExceeded, NoModelAvailable } from '../router/router-errors.ts';

const hopeless: ReadonlySet<ProviderErrorKind> = new Set(['auth', 'not_found', 'bad_request']);

/** Maps what the router threw; anything unknown is returned unchanged for the node to wrap. */
export function routerErrorToNodeError(err: unknown): unknown {
  if (err instanceof NodeError) return err;
  if (err instanceof BudgetExceeded) {
    return new NonRetriableNodeError(err.message, { cause: err, details: { code: err.code, neededMicros: err.neededMicros, remainingMicros: err.remainingMicros } });
  }
  if (err instanceof NoModelAvailable) return new NonRetriableNodeError(err.message, { cause: err, details: { code: err.code } });
  if (err instanceof AllProvidersFailed) {
    const attempts = err.attempts.map((a) => ({ provider: a.provider, model: a.model, kind: a.kind, ...(a.status !== undefined ? { status: a.status } : {}) }));
    const details = { code: err.code, attempts };
    if (attempts.length > 0 && attempts.every((a) => hopeless.has(a.kind))) return new NonRetriableNodeError(err.message, { cause: err, details });
    return new NodeError(err.message, { cause: err, details });
  }
  if (err instanceof ProviderError) {
    // Provider messages are already scrubbed of the key by the provider layer.
    const message = `${err.provider}: ${err.message}`;
    const details = { provider: err.provider, kind: err.kind, ...(err.status !== undefined ? { status: err.status } : {}) };
    if (err.kind === 'rate_limited' && err.retryAfterMs !== undefined) return new RetryAfterNodeError(message, err.retryAfterMs, { cause: err, details });
    if (err.retryable) return new NodeError(message, { cause: err, details });
    return new NonRetriableNodeError(message, { cause: err, details });
  }
  return err;
}
