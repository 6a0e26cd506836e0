// Anthropic Messages through the official SDK. JSON output is tool-based: one tool whose
// input_schema is the requested schema, forced with tool_choice. It works on every Claude
// model (prefill is refused by the newest ones, output_config.format by the older ones), and
// the tool input streams as input_json_delta, so JSON streams like text.
import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import type { ContentBlockParam, MessageCreateParamsBase, MessageDeltaUsage, Tool, Usage } from '@anthropic-ai/sdk/resources/messages';
import { ProviderError, type ChatMessage, type CompletionRequest, type CompletionResult, type NormalizedUsage, type ProviderClient, type ProviderCredential } from '../types.ts';
import { startDeadline, type CallDeadline } from './call-deadline.ts';
import type { ProviderOptions } from './provider-options.ts';
import { parseRetryAfter } from './retry-after.ts';
import { toProviderError, type ErrorFacts } from './to-provider-error.ts';

type AnthropicUsage = Partial<Pick<Usage, 'input_tokens' | 'output_tokens' | 'cache_read_input_tokens' | 'cache_creation_input_tokens' | 'output_tokens_details'>>;

/** input_tokens already excludes cache reads and writes; thinking tokens are inside output_tokens. */
export function normalizeAnthropicUsage(usage: AnthropicUsage | null | undefined): NormalizedUsage {
  const thinking = usage?.output_tokens_details?.thinking_tokens ?? 0;
  return {
    inputTokens: usage?.input_tokens ?? 0,
    cacheReadTokens: usage?.cache_read_input_tokens ?? 0,
    cacheWriteTokens: usage?.cache_creation_input_tokens ?? 0,
    outputTokens: Math.max(0, (usage?.output_tokens ?? 0) - thinking),
    reasoningTokens: thinking,
  };
}

const imageTypes = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
type ImageMediaType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';

function toBlocks(content: ChatMessage['content']): string | ContentBlockParam[] {
  if (typeof content === 'string') return content;
  return content.map((part): ContentBlockParam => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    if (!imageTypes.has(part.mediaType)) throw new ProviderError('anthropic', 'bad_request', `Anthropic does not accept images of type ${part.mediaType}`);
    return { type: 'image', source: { type: 'base64', media_type: part.mediaType as ImageMediaType, data: part.base64 } };
  });
}

interface JsonTool {
  tool: Tool;
  /** The schema's root was not an object, so it sits under `value` (input_schema must be an object). */
  wrapped: boolean;
}

function jsonTool(json: NonNullable<CompletionRequest['json']>): JsonTool {
  const name = (json.name ?? 'json_output').replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'json_output';
  const schema = json.schema ?? { type: 'object' };
  const wrapped = schema.type !== 'object';
  const inputSchema = wrapped ? { type: 'object' as const, properties: { value: schema }, required: ['value'] } : { ...schema, type: 'object' as const };
  return { tool: { name, description: 'Return the answer as this tool input.', input_schema: inputSchema }, wrapped };
}

/**
 * SDK 1.x dropped `temperature` from its types (Anthropic deprecated sampling parameters); the
 * API still reads it, so it is sent, under its spec name, only when the caller asks.
 */
type AnthropicBody = MessageCreateParamsBase & { temperature?: number };

export function buildAnthropicBody(req: CompletionRequest): { body: AnthropicBody; json: JsonTool | undefined } {
  const body: AnthropicBody = {
    model: req.model,
    max_tokens: req.maxTokens,
    messages: req.messages.map((m) => ({ role: m.role, content: toBlocks(m.content) })),
  };
  if (req.system) body.system = req.system;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  const json = req.json ? jsonTool(req.json) : undefined;
  if (json) {
    body.tools = [json.tool];
    body.tool_choice = { type: 'tool', name: json.tool.name };
  }
  return { body, json };
}

function unwrap(inputJson: string, json: JsonTool): string {
  if (!json.wrapped) return inputJson;
  const parsed: unknown = JSON.parse(inputJson === '' ? '{}' : inputJson);
  return JSON.stringify((parsed as { value?: unknown }).value ?? null);
}

function factsOf(err: unknown): ErrorFacts | undefined {
  if (err instanceof APIConnectionTimeoutError) return { timeout: true };
  if (err instanceof APIConnectionError) return { connection: true };
  if (!(err instanceof APIError)) return undefined;
  return { status: err.status, type: err.type ?? undefined, message: err.apiMessage ?? undefined, retryAfterMs: parseRetryAfter(err.headers) };
}

function client(credential: ProviderCredential, opts: ProviderOptions): Anthropic {
  return new Anthropic({
    apiKey: credential.apiKey.reveal(),
    baseURL: opts.baseUrl ?? credential.baseUrl ?? 'https://api.anthropic.com',
    maxRetries: 0,
    timeout: opts.timeoutMs,
    logLevel: 'off',
  });
}

async function run(anthropic: Anthropic, req: CompletionRequest, deadline: CallDeadline, timeoutMs: number): Promise<CompletionResult> {
  const { body, json } = buildAnthropicBody(req);
  const options = { signal: deadline.signal, timeout: timeoutMs, maxRetries: 0 };
  if (!req.onDelta) {
    const msg = await anthropic.messages.create({ ...body, stream: false }, options);
    let text = '';
    for (const block of msg.content) {
      if (json && block.type === 'tool_use' && block.name === json.tool.name) text = unwrap(JSON.stringify(block.input), json);
      else if (!json && block.type === 'text') text += block.text;
    }
    return { text, usage: normalizeAnthropicUsage(msg.usage), model: msg.model, finishReason: msg.stop_reason };
  }
  const stream = await anthropic.messages.create({ ...body, stream: true }, options);
  let text = '';
  let model = req.model;
  let finishReason: string | null = null;
  let usage: AnthropicUsage = {};
  for await (const event of stream) {
    if (event.type === 'message_start') {
      model = event.message.model;
      usage = { ...event.message.usage };
    } else if (event.type === 'content_block_delta') {
      const piece = event.delta.type === 'text_delta' && !json ? event.delta.text : event.delta.type === 'input_json_delta' && json ? event.delta.partial_json : '';
      if (piece === '') continue;
      text += piece;
      if (!json?.wrapped) req.onDelta(piece);
    } else if (event.type === 'message_delta') {
      finishReason = event.delta.stop_reason ?? finishReason;
      usage = mergeUsage(usage, event.usage);
    }
  }
  if (deadline.signal.aborted) throw deadline.signal.reason;
  if (json?.wrapped) {
    text = unwrap(text, json);
    req.onDelta(text);
  }
  return { text, usage: normalizeAnthropicUsage(usage), model, finishReason };
}

/** message_delta carries the final cumulative counts; null fields keep message_start's. */
function mergeUsage(start: AnthropicUsage, delta: MessageDeltaUsage): AnthropicUsage {
  return {
    input_tokens: delta.input_tokens ?? start.input_tokens,
    cache_read_input_tokens: delta.cache_read_input_tokens ?? start.cache_read_input_tokens,
    cache_creation_input_tokens: delta.cache_creation_input_tokens ?? start.cache_creation_input_tokens,
    output_tokens: delta.output_tokens,
    output_tokens_details: delta.output_tokens_details ?? start.output_tokens_details,
  };
}

/** Anthropic Messages API. Base URL without `/v1`. */
export function createAnthropicProvider(opts: ProviderOptions): ProviderClient {
  return {
    id: 'anthropic',
    async complete(req, credential) {
      const deadline = startDeadline(opts.timeoutMs, req.signal);
      try {
        return await run(client(credential, opts), req, deadline, opts.timeoutMs);
      } catch (err) {
        throw toProviderError('anthropic', err, credential.apiKey.reveal(), deadline, factsOf(err));
      } finally {
        deadline.dispose();
      }
    },
    async testKey(credential, signal) {
      const deadline = startDeadline(opts.timeoutMs, signal);
      try {
        await client(credential, opts).models.list({ limit: 1 }, { signal: deadline.signal });
      } catch (err) {
        throw toProviderError('anthropic', err, credential.apiKey.reveal(), deadline, factsOf(err));
      } finally {
        deadline.dispose();
      }
    },
  };
}
