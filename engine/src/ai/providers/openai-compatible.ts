// The Chat Completions call shared by OpenAI, DeepSeek (OpenAI-compatible) and Azure OpenAI,
// all through the official `openai` SDK. Each flavour says how it builds its client, which
// max-tokens field and JSON mode it speaks, and how its usage reads.
import type OpenAI from 'openai';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import type { ChatCompletionContentPart, ChatCompletionCreateParamsBase, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { ChatMessage, CompletionRequest, CompletionResult, NormalizedUsage, ProviderCredential, ProviderId } from '../types.ts';
import { startDeadline, type CallDeadline } from './call-deadline.ts';
import { parseRetryAfter } from './retry-after.ts';
import { toProviderError, type ErrorFacts } from './to-provider-error.ts';

export interface ChatFlavor {
  readonly id: ProviderId;
  /** Builds a client for one call; the only place the key is revealed. */
  client(credential: ProviderCredential, timeoutMs: number): OpenAI;
  /** OpenAI and Azure take `max_completion_tokens` (required by reasoning models); DeepSeek only `max_tokens`. */
  readonly maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /** False: a schema is sent as an instruction with `json_object` mode (DeepSeek). */
  readonly jsonSchema: boolean;
  normalizeUsage(usage: CompletionUsage | null | undefined): NormalizedUsage;
}

/** The SDK options every flavour shares: no SDK retries, nothing read from the environment. */
export function baseClientOptions(timeoutMs: number) {
  return { maxRetries: 0, timeout: timeoutMs, organization: null, project: null, adminAPIKey: null, webhookSecret: null, logLevel: 'off' } as const;
}

const jsonInstruction = 'Respond with a single JSON value only, no prose and no code fences.';

function toOpenAIContent(content: ChatMessage['content']): string | ChatCompletionContentPart[] {
  if (typeof content === 'string') return content;
  return content.map((part): ChatCompletionContentPart =>
    part.type === 'text' ? { type: 'text', text: part.text } : { type: 'image_url', image_url: { url: `data:${part.mediaType};base64,${part.base64}` } },
  );
}

function schemaName(name: string | undefined): string {
  const clean = (name ?? 'output').replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
  return clean === '' ? 'output' : clean;
}

/** The request body without `stream`, exactly as the flavour names its fields. */
export function buildChatBody(flavor: ChatFlavor, req: CompletionRequest): ChatCompletionCreateParamsBase {
  let system = req.system;
  let responseFormat: ChatCompletionCreateParamsBase['response_format'];
  if (req.json) {
    if (req.json.schema && flavor.jsonSchema) {
      responseFormat = { type: 'json_schema', json_schema: { name: schemaName(req.json.name), schema: req.json.schema } };
    } else {
      // json_object mode is refused unless the prompt mentions JSON; the schema, if any, rides along as text.
      const schemaText = req.json.schema ? `\nThe JSON must match this JSON Schema:\n${JSON.stringify(req.json.schema)}` : '';
      system = [system, jsonInstruction + schemaText].filter(Boolean).join('\n\n');
      responseFormat = { type: 'json_object' };
    }
  }
  const messages: ChatCompletionMessageParam[] = [];
  if (system) messages.push({ role: 'system', content: system });
  for (const m of req.messages) {
    messages.push(m.role === 'user' ? { role: 'user', content: toOpenAIContent(m.content) } : { role: 'assistant', content: typeof m.content === 'string' ? m.content : m.content.flatMap((p) => (p.type === 'text' ? [{ type: 'text' as const, text: p.text }] : [])) });
  }
  const body: ChatCompletionCreateParamsBase = { model: req.model, messages, [flavor.maxTokensField]: req.maxTokens };
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (responseFormat) body.response_format = responseFormat;
  return body;
}

/** Usage as OpenAI reports it: cached and cache-write tokens inside prompt_tokens, reasoning inside completion_tokens. */
export function normalizeOpenAIUsage(usage: CompletionUsage | null | undefined): NormalizedUsage {
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  const written = usage?.prompt_tokens_details?.cache_write_tokens ?? 0;
  const reasoning = usage?.completion_tokens_details?.reasoning_tokens ?? 0;
  return {
    inputTokens: Math.max(0, (usage?.prompt_tokens ?? 0) - cached - written),
    cacheReadTokens: cached,
    cacheWriteTokens: written,
    outputTokens: Math.max(0, (usage?.completion_tokens ?? 0) - reasoning),
    reasoningTokens: reasoning,
  };
}

function factsOf(err: unknown): ErrorFacts | undefined {
  if (err instanceof APIConnectionTimeoutError) return { timeout: true };
  if (err instanceof APIConnectionError) return { connection: true };
  if (!(err instanceof APIError)) return undefined;
  const body = (err.error ?? {}) as { message?: unknown; type?: unknown; code?: unknown };
  const type = typeof body.type === 'string' ? body.type : typeof body.code === 'string' ? body.code : undefined;
  return {
    status: err.status,
    type,
    message: typeof body.message === 'string' ? body.message : undefined,
    retryAfterMs: parseRetryAfter(err.headers),
  };
}

async function run(flavor: ChatFlavor, client: OpenAI, req: CompletionRequest, deadline: CallDeadline, timeoutMs: number): Promise<CompletionResult> {
  const body = buildChatBody(flavor, req);
  const options = { signal: deadline.signal, timeout: timeoutMs, maxRetries: 0 };
  if (!req.onDelta) {
    const res = await client.chat.completions.create({ ...body, stream: false }, options);
    const choice = res.choices[0];
    return { text: choice?.message.content ?? '', usage: flavor.normalizeUsage(res.usage), model: res.model, finishReason: choice?.finish_reason ?? null };
  }
  const stream = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } }, options);
  let text = '';
  let model = req.model;
  let finishReason: string | null = null;
  let usage: CompletionUsage | null | undefined;
  for await (const chunk of stream) {
    // Azure opens with a prompt-filter chunk that has no choices and no model.
    if (chunk.model) model = chunk.model;
    // DeepSeek puts usage on the finish chunk, OpenAI on a trailing chunk with no choices.
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) continue;
    const delta = choice.delta.content;
    if (delta) {
      text += delta;
      req.onDelta(delta);
    }
    if (choice.finish_reason) finishReason = choice.finish_reason;
  }
  // The SDK ends an aborted stream quietly; a cut-off text must not pass for a whole one.
  if (deadline.signal.aborted) throw deadline.signal.reason;
  return { text, usage: flavor.normalizeUsage(usage), model, finishReason };
}

/** One completion through the flavour's client, with errors mapped to ProviderError. */
export async function chatComplete(flavor: ChatFlavor, req: CompletionRequest, credential: ProviderCredential, timeoutMs: number): Promise<CompletionResult> {
  const deadline = startDeadline(timeoutMs, req.signal);
  try {
    return await run(flavor, flavor.client(credential, timeoutMs), req, deadline, timeoutMs);
  } catch (err) {
    throw toProviderError(flavor.id, err, credential.apiKey.reveal(), deadline, factsOf(err));
  } finally {
    deadline.dispose();
  }
}

/** Lists models: the cheapest call that proves the key. */
export async function chatTestKey(flavor: ChatFlavor, credential: ProviderCredential, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = startDeadline(timeoutMs, signal);
  try {
    await flavor.client(credential, timeoutMs).models.list({ signal: deadline.signal });
  } catch (err) {
    throw toProviderError(flavor.id, err, credential.apiKey.reveal(), deadline, factsOf(err));
  } finally {
    deadline.dispose();
  }
}
