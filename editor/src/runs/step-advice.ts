// What a person can do about a failed step, from the error the engine stored ({ name, message,
// retryable, retryAfterMs?, details?: { code?, kind?, provider?, status? } }).

export interface StepError {
  name?: string;
  message?: string;
  retryable?: boolean;
  retryAfterMs?: number;
  details?: { code?: string; kind?: string; provider?: string; status?: number; attempts?: unknown[] } & Record<string, unknown>;
}

export function asStepError(e: unknown): StepError | undefined {
  if (typeof e !== 'object' || e === null) return typeof e === 'string' ? { message: e } : undefined;
  return e as StepError;
}

/** The error's kind as a short word: the provider's kind, the router's code, or the error's class. */
export function errorKind(e: StepError): string {
  return e.details?.kind ?? e.details?.code ?? e.name ?? 'error';
}

const ADVICE: [RegExp, string][] = [
  [/rate_limited|429/i, 'The provider is rate limiting this key. Wait and re-run, add a second key or provider so the router can fail over, or lower the concurrency.'],
  [/auth|invalid_key|credential|401|403/i, 'The key was refused. Replace it on the Keys page (test it there), then re-run from this node.'],
  [/budget/i, 'This month’s AI budget is used up. Raise it in the cost settings, or wait for next month, then re-run from this node.'],
  [/no_model|NoModelAvailable/i, 'No model of your providers fits this node (tier, context or capabilities). Add a key for another provider or change the node’s tier.'],
  [/timeout|timed out/i, 'The call took too long. Raise the node’s timeout, or re-run if the service was slow for a moment.'],
  [/server|5\d\d|overloaded/i, 'The service failed on its side. Re-run from this node; if it persists, the router fails over when another provider is available.'],
  [/expression|render|undefined/i, 'An expression in this node’s config did not resolve. Check the fields against the input shown here.'],
  [/invalid|schema|config/i, 'The node’s configuration was refused. Fix the field named in the message, save, and re-run from this node.'],
];

export function errorAdvice(e: StepError): string {
  const text = `${errorKind(e)} ${e.message ?? ''}`;
  for (const [re, advice] of ADVICE) if (re.test(text)) return advice;
  return e.retryable ? 'The failure may be passing: re-run from this node.' : 'The failure will repeat as is: fix its cause (see the message), then re-run from this node.';
}
