// The Gemini API (v1beta): generateContent, streamGenerateContent?alt=sse and google.rpc errors.
// Google publishes no OpenAPI for it; the request check below is written from the REST reference
// (ai.google.dev/api/generate-content) for the fields Keyflow sends, and rejects any other.
import { z } from 'zod';
import type { Dialect, FakeReply, RecordedRequest } from './fake-server.ts';
import { splitText } from './split-text.ts';

const part = z.union([
  z.strictObject({ text: z.string() }),
  z.strictObject({ inlineData: z.strictObject({ mimeType: z.string().min(1), data: z.base64() }) }),
]);
const content = z.strictObject({ role: z.enum(['user', 'model']).optional(), parts: z.array(part).min(1) });
const generateContentRequest = z.strictObject({
  contents: z.array(content).min(1),
  systemInstruction: content.optional(),
  generationConfig: z
    .strictObject({
      temperature: z.number().min(0).max(2).optional(),
      maxOutputTokens: z.number().int().positive().optional(),
      responseMimeType: z.enum(['text/plain', 'application/json', 'text/x.enum']).optional(),
      responseJsonSchema: z.record(z.string(), z.unknown()).optional(),
      responseSchema: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
});

const defaultUsage = { promptTokenCount: 12, candidatesTokenCount: 5, totalTokenCount: 17, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 12 }] };

const statusWords: Record<number, [string, string]> = {
  400: ['INVALID_ARGUMENT', 'Request contains an invalid argument.'],
  401: ['UNAUTHENTICATED', 'Request had invalid authentication credentials.'],
  403: ['PERMISSION_DENIED', 'Method doesn\'t allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.'],
  404: ['NOT_FOUND', 'models/unknown is not found for API version v1beta, or is not supported for generateContent.'],
  429: ['RESOURCE_EXHAUSTED', 'You exceeded your current quota, please check your plan and billing details.'],
  500: ['INTERNAL', 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting'],
  503: ['UNAVAILABLE', 'The model is overloaded. Please try again later.'],
  504: ['DEADLINE_EXCEEDED', 'Deadline expired before operation could complete.'],
};

// Gemini frames its SSE events with CRLF.
const sse = (event: unknown): string => `data: ${JSON.stringify(event)}\r\n\r\n`;
const modelPath = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

function modelOf(req: RecordedRequest, reply: FakeReply): string {
  return reply.model ?? modelPath.exec(req.path)?.[1] ?? 'unknown';
}

function candidate(text: string, finishReason: string | undefined) {
  return { content: { parts: [{ text }], role: 'model' }, ...(finishReason ? { finishReason } : {}), index: 0 };
}

export function geminiDialect(): Dialect {
  return {
    name: 'gemini',
    authKey: (headers) => (typeof headers['x-goog-api-key'] === 'string' && headers['x-goog-api-key'] !== '' ? headers['x-goog-api-key'] : undefined),
    operation(method, path, query) {
      const m = modelPath.exec(path);
      if (method === 'POST' && m?.[2] === 'generateContent') return 'complete';
      if (method === 'POST' && m?.[2] === 'streamGenerateContent' && query.get('alt') === 'sse') return 'complete';
      if (method === 'GET' && path === '/v1beta/models') return 'models';
      return undefined;
    },
    specErrors(op, req) {
      if (op !== 'complete') return [];
      const parsed = generateContentRequest.safeParse(req.body);
      return parsed.success ? [] : parsed.error.issues.map((i) => `$.${i.path.join('.')}: ${i.message}`);
    },
    isStream: (req) => req.path.endsWith(':streamGenerateContent'),
    completion: (req, reply) => ({
      candidates: [candidate(reply.text ?? 'Hello from the fake.', reply.finishReason ?? 'STOP')],
      usageMetadata: reply.usage ?? defaultUsage,
      modelVersion: modelOf(req, reply),
      responseId: 'fake-response-1',
    }),
    streamFrames(req, reply) {
      const usage: Record<string, unknown> = reply.usage ?? defaultUsage;
      const pieces = splitText(reply.text ?? 'Hello from the fake.');
      return pieces.map((piece, i) => {
        const last = i === pieces.length - 1;
        // Intermediate chunks carry the prompt count only; the last one has the totals.
        const partial = { promptTokenCount: usage.promptTokenCount, totalTokenCount: usage.promptTokenCount };
        return sse({ candidates: [candidate(piece, last ? (reply.finishReason ?? 'STOP') : undefined)], usageMetadata: last ? usage : partial, modelVersion: modelOf(req, reply), responseId: 'fake-response-1' });
      });
    },
    frame: sse,
    models: () => ({ models: [{ name: 'models/gemini-2.5-flash', version: '001', displayName: 'Gemini 2.5 Flash', inputTokenLimit: 1_048_576, outputTokenLimit: 65_536, supportedGenerationMethods: ['generateContent', 'countTokens'] }], nextPageToken: 'fake-next' }),
    errorBody(status, message) {
      const [word, text] = statusWords[status] ?? statusWords[status >= 500 ? 500 : 400]!;
      const details = status === 429
        ? [{ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }] }, { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '20s' }]
        : undefined;
      return { error: { code: status, message: message ?? text, status: word, ...(details ? { details } : {}) } };
    },
  };
}

/** Gemini's answer to a key it does not know: 400, not 401. */
export function geminiInvalidKeyBody(): unknown {
  return { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } }] } };
}
