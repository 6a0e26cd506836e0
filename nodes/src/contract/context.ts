// What a node sees of the world. Everything here is an interface the engine implements;
// the contract imports nothing of the engine, so nodes stay testable with a fake context.

/** Owner's decrypted credential, lent for the duration of one run() call. */
export interface NodeCredential {
  readonly id: string;
  /** e.g. 'openai', 'slack'. */
  readonly provider: string;
  /** The raw secret. Call it at the point of use; never log, return or put it in an error. */
  reveal(): string;
  /**
   * OAuth credentials only: asks the engine for a new access token (after a 401). Resolves true
   * when reveal() now answers a fresh token, false when there is nothing to refresh. One refresh
   * runs at a time per credential across every worker; a refresh token the service refuses
   * marks the credential invalid and rejects with a CredentialRejectedError.
   */
  refresh?(): Promise<boolean>;
  /**
   * OAuth credentials only, when the service reported them: the scopes the token was granted
   * (Google's `scope` in the token answer). Lets a node name a missing scope before calling.
   */
  readonly grantedScopes?: readonly string[];
}

/**
 * Operator settings for integrations, from the engine's configuration (never process.env in a
 * node): the API base URL of a service when the operator overrides it (KEYFLOW_<SERVICE>_BASE_URL,
 * for proxies and tests). Undefined means the service's official host.
 */
export interface ServiceSettings {
  /** `service` is the integration's id, e.g. 'slack'. */
  baseUrl(service: string): string | undefined;
}

export interface AiCompleteRequest {
  prompt: string;
  system?: string;
  tier?: 'economy' | 'balanced' | 'premium';
  /** '<provider>/<model>' to pin a model; otherwise the router picks the cheapest fit. */
  model?: string;
  /** What the call does; scores are compared in its categories. Default: inferred (JSON schema → extraction). */
  task?: 'general' | 'writing' | 'extraction' | 'classification' | 'summarization' | 'coding' | 'reasoning' | 'vision';
  /** '<provider>/<model>': route to the cheapest model at least as good as this one. */
  referenceModel?: string;
  credentialIds?: string[];
  /** JSON Schema the answer must satisfy; implies JSON output. */
  jsonSchema?: Record<string, unknown>;
  maxTokens?: number;
  temperature?: number;
  /** Pass ctx.signal: cancellation and the node's timeout then stop the provider call too. */
  signal?: AbortSignal;
}

/** Why the router chose what it chose: the eligible models cheapest first, and the reason. */
export interface AiDecision {
  candidates: { provider: string; model: string; expectedCostMicros: number; skipped?: string; scores?: { benchmark: string; value: number; reference: number; floor: number }[] }[];
  chosen: { provider: string; model: string };
  why: string;
  /** Under the quality rule: the task, the reference and its expected cost, the cheaper models refused and why. */
  quality?: {
    task: string;
    categories: string[];
    margin: string;
    marginLabel: string;
    reference: { ref: string; expectedCostMicros: number | null; origin: string };
    rejected: { provider: string; model: string; expectedCostMicros: number; reason: string }[];
  };
}

export interface AiCompleteResult {
  text: string;
  /** Present when jsonSchema was asked for. */
  json?: unknown;
  provider: string;
  model: string;
  usage: { inputTokens: number; outputTokens: number; cachedTokens?: number; costMicros: number };
  decision?: AiDecision;
}

/**
 * The AI router as a node sees it: one call, the router chooses provider and fails over.
 * Rejects with a NodeError: NonRetriableNodeError when a retry cannot help (budget, no fitting
 * model, a request the provider refuses, invalid JSON, an answer that still misses jsonSchema after
 * one repair request), plain NodeError when every provider failed.
 */
export interface AiFacade {
  complete(request: AiCompleteRequest): Promise<AiCompleteResult>;
}

export interface SafeFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  timeoutMs?: number;
  /** Default true; every hop is re-checked by the SSRF guard. */
  followRedirects?: boolean;
  /** Combined with the context's signal by the implementation. */
  signal?: AbortSignal;
}

export interface SafeFetchResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /** The final URL after redirects. */
  url: string;
  body: Uint8Array;
  text(): string;
  /** Throws on invalid JSON. */
  json(): unknown;
}

/**
 * fetch with the SSRF guard and a body-size cap. It resolves for every HTTP status (the
 * node decides what a 4xx means). It rejects with a NonRetriableNodeError when the
 * destination is refused (private address, bad scheme) and with any other error for
 * network failures and timeouts.
 */
export type SafeFetch = (url: string, init?: SafeFetchInit) => Promise<SafeFetchResponse>;

/** A logger whose implementation redacts secrets; fields must be serialisable. */
export interface NodeLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface RunInfo {
  readonly id: string;
  readonly workflowId: string;
  readonly ownerId: string;
}

/**
 * The context of one run() call.
 *
 * `input` is the output of the upstream node (via the edge that fed this node); for a
 * trigger it is undefined; for a merge node it is a MergeInput; for the first node of a
 * loop body it is the current item.
 */
export interface NodeContext<C> {
  /** The node's config after expression resolution, parsed by the node's config schema. */
  readonly config: C;
  readonly input: unknown;
  /** The trigger's payload ($trigger): for a webhook { method, headers, query, body }. */
  readonly trigger: unknown;
  /**
   * Outputs of the nodes that have run before this one, by node id: what `$node["<id>"].output`
   * reads in expressions, for nodes that take data rather than expressions (core.code).
   */
  readonly nodes?: Readonly<Record<string, { output: unknown }>>;
  readonly run: RunInfo;
  readonly nodeId: string;
  /** 1 for the first try, 2 for the first retry… */
  readonly attempt: number;
  /** Present when the definition declares `credential` and the owner has one. */
  readonly credential?: NodeCredential;
  /** Operator settings for integrations (base URLs); absent in contexts that have none. */
  readonly services?: ServiceSettings;
  /** Present for nodes that call AI (the router bound to the owner). */
  readonly ai?: AiFacade;
  readonly fetch: SafeFetch;
  readonly log: NodeLogger;
  /** Aborted on cancellation and on the node's timeout; pass it on to every await. */
  readonly signal: AbortSignal;
  /** Stable across retries of this step (run id + node id + loop index): send it to APIs. */
  readonly idempotencyKey: string;
  now(): Date;
}

/** A merge node's input: upstream outputs keyed by source node id, in edge order. */
export type MergeInput = Record<string, unknown>;
