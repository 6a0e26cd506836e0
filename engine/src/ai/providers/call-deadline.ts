/**
 * One signal for an SDK call that fires on the caller's abort or on our own deadline, and
 * remembers which: a deadline is a `timeout` (retryable), a caller's abort is not a provider
 * failure at all. The deadline also covers reading a stream, which SDK timeouts do not.
 */
export interface CallDeadline {
  readonly signal: AbortSignal;
  timedOut(): boolean;
  callerAborted(): boolean;
  /** The caller's abort reason, to rethrow unchanged. */
  callerReason(): unknown;
  dispose(): void;
}

export function startDeadline(timeoutMs: number, caller?: AbortSignal): CallDeadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException('The provider call timed out', 'TimeoutError'));
  }, timeoutMs);
  const onAbort = (): void => controller.abort(caller?.reason);
  if (caller?.aborted) onAbort();
  else caller?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    callerAborted: () => !timedOut && caller?.aborted === true,
    callerReason: () => caller?.reason,
    dispose: () => {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
    },
  };
}
