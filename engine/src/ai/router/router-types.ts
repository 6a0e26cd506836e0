// Shapes the router takes and gives. Kept apart so callers (the AI node facade, the run worker,
// cost reports) can import them without the router's code.
import type { Tier } from '../catalog/catalog.ts';
import type { Task } from '../catalog/quality/quality.ts';
import type { QualityMargin } from './quality-gate.ts';
import type { CompletionRequest, CompletionResult, NormalizedUsage, ProviderCredential, ProviderErrorKind, ProviderId } from '../types.ts';

/** What the call needs. `tier` means "at least this class": economy accepts any model, balanced
 *  accepts balanced or premium, premium only premium. Absent = economy (cheapest that fits). */
export interface Needs {
  tier?: Tier;
  json?: boolean;
  tools?: boolean;
  vision?: boolean;
}

export interface OwnerCredential {
  id: string;
  provider: ProviderId;
  credential: ProviderCredential;
}

export interface RouteCall {
  ownerId: string;
  runId?: string;
  stepId?: string;
  workflowId?: string;
  request: Omit<CompletionRequest, 'model'>;
  needs: Needs;
  /** '<provider>/<model>': only this model is tried (tier is not checked, other needs are). */
  pinnedModel?: string;
  /** The owner's usable keys; a provider without one is never a candidate. */
  credentials: OwnerCredential[];
  /** Owner preference; breaks ties between equally priced candidates. */
  providerOrder?: ProviderId[];
  /** '<provider>/<model>' every call is compared against for "saved" when no quality rule applies. */
  baselineModel?: string | null;
  /**
   * The quality rule (quality-gate.ts). Absent: cheapest capable by price tier alone. With it,
   * candidates must be at least as good as `referenceModel` (or the tier's reference) for `task`,
   * and "saved" is measured against that reference.
   */
  quality?: QualityCall;
}

export interface QualityCall {
  task: Task;
  /** '<provider>/<model>': "at least as good as this one"; default: the tier's reference. */
  referenceModel?: string | undefined;
  margin: QualityMargin;
  /** The owner's routing policy (excluded providers/models): false drops a model. */
  allow?: ((ref: string) => boolean) | undefined;
  /** Owner's preferred providers/models: among equal-cost, equal-score candidates these go first. */
  prefer?: ((ref: string) => boolean) | undefined;
}

export type AttemptOutcome = 'ok' | ProviderErrorKind;

export interface UsageEvent {
  ownerId: string;
  runId: string | null;
  stepId: string | null;
  workflowId: string | null;
  credentialId: string;
  provider: ProviderId;
  model: string;
  usage: NormalizedUsage;
  costMicros: number;
  /** The same usage priced on `baselineModel`; null when the owner set no (known) baseline. */
  baselineCostMicros: number | null;
  baselineModel: string | null;
  /** Under the quality rule: the reference the model had to match, and this usage priced on it. */
  referenceModel?: string | null;
  referenceCostMicros?: number | null;
  latencyMs: number;
  outcome: AttemptOutcome;
}

export interface UsageSink {
  record(event: UsageEvent): Promise<void>;
}

export interface AttemptRecord {
  provider: ProviderId;
  model: string;
  credentialId: string;
  outcome: AttemptOutcome;
  status?: number | undefined;
  latencyMs: number;
  costMicros: number;
}

export type SkipReason = 'circuit_open' | 'no_valid_credential' | 'no_client' | 'over_budget';

export interface ScoreView {
  /** e.g. "LiveBench 2025-04-25, instruction following". */
  benchmark: string;
  value: number;
  reference: number;
  floor: number;
}

export interface CandidateView {
  provider: ProviderId;
  model: string;
  expectedCostMicros: number;
  skipped?: SkipReason;
  /** Under the quality rule: the scores that admitted it, against the reference's. */
  scores?: ScoreView[];
}

export interface RejectedView {
  provider: ProviderId;
  model: string;
  expectedCostMicros: number;
  reason: string;
}

/** What the quality rule compared: shown in the step so a user can check the choice. */
export interface QualityExplanation {
  task: Task;
  categories: string[];
  margin: QualityMargin;
  marginLabel: string;
  reference: { ref: string; expectedCostMicros: number | null; origin: 'reference model' | 'tier reference' };
  /** Capable models cheaper than the winner that the rule turned down, cheapest first (at most 10). */
  rejected: RejectedView[];
}

export interface RouteDecision {
  /** Eligible models in the order they were (or would have been) tried. */
  candidates: CandidateView[];
  chosen: { provider: ProviderId; model: string };
  why: string;
  quality?: QualityExplanation;
}

export interface RouteResult {
  result: CompletionResult;
  provider: ProviderId;
  model: string;
  costMicros: number;
  attempts: AttemptRecord[];
  decision: RouteDecision;
}
