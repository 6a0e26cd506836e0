// The one shape every AI provider speaks, and the errors that tell the router what to do.
// Providers: engine/src/ai/providers/*; the router: engine/src/ai/router/*.
import type { Secret } from '../vault/secret.ts';

export const providerIds = ['openai', 'anthropic', 'deepseek', 'gemini', 'azure_openai'] as const;
export type ProviderId = (typeof providerIds)[number];

export type ContentPart = { type: 'text'; text: string } | { type: 'image'; mediaType: string; base64: string };

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string | ContentPart[];
}

export interface CompletionRequest {
  /** The provider's own model id (e.g. "gpt-4o-mini", "claude-3-5-haiku-20241022"; for Azure the deployment name). */
  model: string;
  system?: string;
  messages: ChatMessage[];
  temperature?: number;
  maxTokens: number;
  /** Ask for JSON output; with a schema where the provider supports structured output. */
  json?: { schema?: Record<string, unknown>; name?: string };
  signal?: AbortSignal;
  /** Stream: called with each text delta. The result still carries the whole text and usage. */
  onDelta?: (text: string) => void;
}

/**
 * Token counts normalised across providers. Every count is disjoint, so
 * cost = Σ count × its price, with no double counting:
 * - inputTokens: uncached prompt tokens (Anthropic's `input_tokens` already excludes cache;
 *   OpenAI's `prompt_tokens` includes cached ones, which are subtracted);
 * - cacheReadTokens / cacheWriteTokens: prompt tokens read from / written to the cache;
 * - outputTokens: visible output, excluding reasoning;
 * - reasoningTokens: hidden thinking (OpenAI reasoning_tokens, Gemini thoughtsTokenCount).
 */
export interface NormalizedUsage {
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
}

export interface CompletionResult {
  text: string;
  usage: NormalizedUsage;
  /** Model id as the provider reported it. */
  model: string;
  finishReason: string | null;
}

/** Per-credential connection details; the key stays wrapped until the SDK call. */
export interface ProviderCredential {
  apiKey: Secret;
  /** Azure: https://<resource>.openai.azure.com; others: optional proxy / test base URL. */
  baseUrl?: string;
  /** Azure api-version. */
  apiVersion?: string;
  /**
   * Azure: the resource's deployments, deployment name → the model it serves (e.g.
   * { "prod-mini": "gpt-4o-mini" }). With a map the router offers only mapped models, prices a
   * call by the mapped model and sends the deployment's name; without one (older credentials)
   * the deployment is assumed to carry the model's name.
   */
  deployments?: Readonly<Record<string, string>>;
}

export interface ProviderClient {
  readonly id: ProviderId;
  complete(req: CompletionRequest, credential: ProviderCredential): Promise<CompletionResult>;
  /** A live, cheap call that proves the key works (e.g. list models). */
  testKey(credential: ProviderCredential, signal?: AbortSignal): Promise<void>;
}

export type ProviderErrorKind = 'rate_limited' | 'server' | 'timeout' | 'connection' | 'bad_request' | 'auth' | 'not_found' | 'other';

/** A provider call failed. `retryable` means another provider may be tried (failover). */
export class ProviderError extends Error {
  readonly provider: ProviderId;
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(provider: ProviderId, kind: ProviderErrorKind, message: string, opts: { status?: number; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'ProviderError';
    this.provider = provider;
    this.kind = kind;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }

  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'server' || this.kind === 'timeout' || this.kind === 'connection';
  }
}
