// The SSRF-guarded fetch in the shape the node contract promises: refused destinations are
// NonRetriableNodeErrors, network failures and timeouts retryable NodeErrors.
import { NodeError, NonRetriableNodeError, type SafeFetch as NodeSafeFetch } from '@keyflow/nodes/contract';
import { OutboundRequestError, type SafeFetch } from '../net/index.ts';

const REFUSED = new Set(['blocked_address', 'blocked_scheme', 'invalid_url', 'invalid_request', 'too_many_redirects', 'response_too_large']);

export function nodeFetch(safeFetch: SafeFetch): NodeSafeFetch {
  return async (url, init = {}) => {
    const signals = [init.signal, init.timeoutMs ? AbortSignal.timeout(init.timeoutMs) : undefined].filter((s): s is AbortSignal => s !== undefined);
    try {
      return await safeFetch(url, {
        ...(init.method ? { method: init.method } : {}),
        ...(init.headers ? { headers: init.headers } : {}),
        ...(init.body !== undefined ? { body: init.body } : {}),
        ...(init.followRedirects !== undefined ? { followRedirects: init.followRedirects } : {}),
        ...(signals.length ? { signal: AbortSignal.any(signals) } : {}),
      });
    } catch (err) {
      if (err instanceof OutboundRequestError) {
        if (REFUSED.has(err.code)) throw new NonRetriableNodeError(err.message, { cause: err, details: { code: err.code } });
        throw new NodeError(err.message, { cause: err, details: { code: err.code } });
      }
      throw err;
    }
  };
}
