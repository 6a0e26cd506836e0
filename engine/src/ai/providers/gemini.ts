// Google Gemini (Generative Language API, v1beta) through the official @google/genai SDK.
import { ApiError, GoogleGenAI, type Content, type GenerateContentConfig, type GenerateContentResponse, type GenerateContentResponseUsageMetadata, type Part } from '@google/genai';
import type { ChatMessage, CompletionRequest, CompletionResult, NormalizedUsage, ProviderClient, ProviderCredential } from '../types.ts';
import { startDeadline, type CallDeadline } from './call-deadline.ts';
import type { ProviderOptions } from './provider-options.ts';
import { parseDurationMs, parseRetryAfter } from './retry-after.ts';
import { toProviderError, type ErrorFacts } from './to-provider-error.ts';

/** promptTokenCount includes cachedContentTokenCount; thoughtsTokenCount is apart from candidatesTokenCount. */
export function normalizeGeminiUsage(usage: GenerateContentResponseUsageMetadata | undefined): NormalizedUsage {
  const cached = usage?.cachedContentTokenCount ?? 0;
  return {
    inputTokens: Math.max(0, (usage?.promptTokenCount ?? 0) - cached),
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    outputTokens: usage?.candidatesTokenCount ?? 0,
    reasoningTokens: usage?.thoughtsTokenCount ?? 0,
  };
}

function toParts(content: ChatMessage['content']): Part[] {
  if (typeof content === 'string') return [{ text: content }];
  return content.map((p): Part => (p.type === 'text' ? { text: p.text } : { inlineData: { mimeType: p.mediaType, data: p.base64 } }));
}

export function buildGeminiParams(req: CompletionRequest, signal: AbortSignal): { model: string; contents: Content[]; config: GenerateContentConfig } {
  const config: GenerateContentConfig = { maxOutputTokens: req.maxTokens, abortSignal: signal };
  if (req.system) config.systemInstruction = req.system;
  if (req.temperature !== undefined) config.temperature = req.temperature;
  if (req.json) {
    config.responseMimeType = 'application/json';
    // responseJsonSchema takes standard JSON Schema; responseSchema wants Google's OpenAPI subset.
    if (req.json.schema) config.responseJsonSchema = req.json.schema;
  }
  const contents = req.messages.map((m): Content => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: toParts(m.content) }));
  return { model: req.model, contents, config };
}

function visibleText(res: GenerateContentResponse): string {
  const parts = res.candidates?.[0]?.content?.parts ?? [];
  return parts.map((p) => (p.thought || typeof p.text !== 'string' ? '' : p.text)).join('');
}

interface GoogleErrorBody {
  error?: { code?: number; message?: string; status?: string; details?: Array<Record<string, unknown>> };
}

/** ApiError carries only a status and the body as JSON text; the headers come from our fetch. */
function factsOf(err: unknown, headers: Headers | undefined): ErrorFacts | undefined {
  if (!(err instanceof ApiError)) return undefined;
  let body: GoogleErrorBody = {};
  const start = err.message.indexOf('{');
  try {
    if (start >= 0) body = JSON.parse(err.message.slice(start)) as GoogleErrorBody;
  } catch {
    body = {};
  }
  const details = body.error?.details ?? [];
  const retryInfo = details.find((d) => d['@type'] === 'type.googleapis.com/google.rpc.RetryInfo');
  const reason = details.map((d) => d.reason).find((r): r is string => typeof r === 'string');
  return {
    status: err.status,
    // A bad Gemini key is a 400 INVALID_ARGUMENT whose ErrorInfo reason is API_KEY_INVALID.
    type: reason === 'API_KEY_INVALID' ? reason : body.error?.status,
    message: body.error?.message,
    retryAfterMs: parseRetryAfter(headers) ?? parseDurationMs(retryInfo?.retryDelay),
  };
}

interface GeminiCall {
  ai: GoogleGenAI;
  lastHeaders(): Headers | undefined;
}

function client(credential: ProviderCredential, opts: ProviderOptions): GeminiCall {
  let headers: Headers | undefined;
  // Our own fetch, to keep the response headers (Retry-After) that ApiError drops.
  const fetchKeepingHeaders = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const res = await fetch(input, init);
    headers = res.headers;
    return res;
  };
  const ai = new GoogleGenAI({
    vertexai: false,
    apiKey: credential.apiKey.reveal(),
    apiVersion: 'v1beta',
    // No timeout and no retryOptions: the deadline signal bounds the call, the router retries.
    httpOptions: { baseUrl: opts.baseUrl ?? credential.baseUrl ?? 'https://generativelanguage.googleapis.com', fetch: fetchKeepingHeaders },
  });
  return { ai, lastHeaders: () => headers };
}

async function run(ai: GoogleGenAI, req: CompletionRequest, deadline: CallDeadline): Promise<CompletionResult> {
  const params = buildGeminiParams(req, deadline.signal);
  if (!req.onDelta) {
    const res = await ai.models.generateContent(params);
    return { text: visibleText(res), usage: normalizeGeminiUsage(res.usageMetadata), model: res.modelVersion ?? req.model, finishReason: res.candidates?.[0]?.finishReason ?? res.promptFeedback?.blockReason ?? null };
  }
  const stream = await ai.models.generateContentStream(params);
  let text = '';
  let last: GenerateContentResponse | undefined;
  let usage: GenerateContentResponseUsageMetadata | undefined;
  let finishReason: string | null = null;
  for await (const chunk of stream) {
    last = chunk;
    // Every chunk may carry usageMetadata; the final one has the totals.
    if (chunk.usageMetadata) usage = chunk.usageMetadata;
    finishReason = chunk.candidates?.[0]?.finishReason ?? chunk.promptFeedback?.blockReason ?? finishReason;
    const piece = visibleText(chunk);
    if (piece === '') continue;
    text += piece;
    req.onDelta(piece);
  }
  if (deadline.signal.aborted) throw deadline.signal.reason;
  return { text, usage: normalizeGeminiUsage(usage), model: last?.modelVersion ?? req.model, finishReason };
}

/** Gemini API. Base URL without the version (`/v1beta` is added by the SDK). */
export function createGeminiProvider(opts: ProviderOptions): ProviderClient {
  return {
    id: 'gemini',
    async complete(req, credential) {
      const deadline = startDeadline(opts.timeoutMs, req.signal);
      const call = client(credential, opts);
      try {
        return await run(call.ai, req, deadline);
      } catch (err) {
        throw toProviderError('gemini', err, credential.apiKey.reveal(), deadline, factsOf(err, call.lastHeaders()));
      } finally {
        deadline.dispose();
      }
    },
    async testKey(credential, signal) {
      const deadline = startDeadline(opts.timeoutMs, signal);
      const call = client(credential, opts);
      try {
        await call.ai.models.list({ config: { pageSize: 1, abortSignal: deadline.signal } });
      } catch (err) {
        throw toProviderError('gemini', err, credential.apiKey.reveal(), deadline, factsOf(err, call.lastHeaders()));
      } finally {
        deadline.dispose();
      }
    },
  };
}
