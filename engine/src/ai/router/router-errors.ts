// What the router throws besides a provider's own bad_request. Messages name providers, models
// and amounts only: never a key, never a prompt.
import { AppError } from '../../errors.ts';
import type { ProviderErrorKind, ProviderId } from '../types.ts';

function dollars(micros: number): string {
  return `$${(micros / 1_000_000).toFixed(6)}`;
}

/** The call's worst-case cost does not fit in what is left of the owner's monthly budget. */
export class BudgetExceeded extends AppError {
  readonly neededMicros: number;
  /** Null when the owner has no budget (never thrown then, kept for the type). */
  readonly remainingMicros: number | null;
  constructor(neededMicros: number, remainingMicros: number | null) {
    super('budget_exceeded', 402, `AI budget exceeded: this call may cost up to ${dollars(neededMicros)} but ${dollars(Math.max(0, remainingMicros ?? 0))} is left this month`);
    this.neededMicros = neededMicros;
    this.remainingMicros = remainingMicros;
  }
}

/** No catalog model of a provider the owner has a key for meets the call's needs. */
export class NoModelAvailable extends AppError {
  constructor(reason: string) {
    super('no_model', 422, `no AI model available: ${reason}`);
  }
}

export interface FailedAttempt {
  provider: ProviderId;
  model: string;
  kind: ProviderErrorKind;
  status?: number | undefined;
}

/** Every candidate was tried (or skipped) and none answered. */
export class AllProvidersFailed extends AppError {
  readonly attempts: FailedAttempt[];
  constructor(attempts: FailedAttempt[], skipped: string[] = []) {
    const tried = attempts.map((a) => `${a.provider}/${a.model}: ${a.kind}${a.status ? ` (${a.status})` : ''}`);
    const detail = [...tried, ...skipped].join('; ') || 'nothing to try';
    super('ai_unavailable', 502, `every AI provider failed: ${detail}`);
    this.attempts = attempts;
  }
}
