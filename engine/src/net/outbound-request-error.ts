export type OutboundErrorCode =
  | 'blocked_address'
  | 'blocked_scheme'
  | 'too_many_redirects'
  | 'timeout'
  | 'aborted'
  | 'response_too_large'
  | 'connection_failed'
  | 'invalid_url'
  | 'invalid_request';

/**
 * Every failure of a guarded outbound request. The message names the target host and never
 * the request headers or body, so it is safe to log and to show to the workflow's owner.
 */
export class OutboundRequestError extends Error {
  readonly code: OutboundErrorCode;
  /** The hostname of the hop that failed, when there was one. */
  readonly host: string | undefined;

  constructor(code: OutboundErrorCode, message: string, options?: { host?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OutboundRequestError';
    this.code = code;
    this.host = options?.host;
  }
}

/** Finds an OutboundRequestError raised inside undici (it may arrive wrapped in `cause`). */
export function findOutboundError(err: unknown): OutboundRequestError | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof OutboundRequestError) return current;
    current = current instanceof AggregateError && current.errors.length > 0 ? current.errors[0] : current.cause;
  }
  return undefined;
}
