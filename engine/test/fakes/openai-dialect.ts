// Chat Completions as OpenAI, DeepSeek and Azure OpenAI send it. Request bodies of all three are
// checked against OpenAI's CreateChatCompletionRequest (DeepSeek and Azure publish that API).
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import type { Dialect, FakeReply, Operation, RecordedRequest } from './fake-server.ts';
import { splitText } from './split-text.ts';
import { validateJsonSchema, type SpecFile } from './validate-json-schema.ts';

export type OpenAIFlavor = 'openai' | 'deepseek' | 'azure';

const spec = JSON.parse(readFileSync(new URL('./specs/openai-chat-completions.request.json', import.meta.url), 'utf8')) as SpecFile;

const defaultUsage: Record<OpenAIFlavor, Record<string, unknown>> = {
  openai: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
  azure: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } },
  deepseek: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17, prompt_tokens_details: { cached_tokens: 0 }, prompt_cache_hit_tokens: 0, prompt_cache_miss_tokens: 12 },
};

const errorTypes: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' },
  402: { type: 'unknown_error', code: 'invalid_request_error', message: 'Insufficient Balance' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory', message: 'Country, region, or territory not supported' },
  404: { type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist or you do not have access to it.' },
  422: { type: 'invalid_request_error', code: null, message: 'Invalid parameters.' },
  429: { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests. Please try again in 2s.' },
  500: { type: 'server_error', code: null, message: 'The server had an error while processing your request. Sorry about that!' },
  503: { type: 'server_error', code: null, message: 'The engine is currently overloaded, please try again later.' },
};

const sse = (event: unknown): string => `data: ${JSON.stringify(event)}\n\n`;

function body(req: RecordedRequest): Record<string, unknown> {
  return (req.body ?? {}) as Record<string, unknown>;
}

function includeUsage(req: RecordedRequest): boolean {
  const opts = body(req).stream_options as { include_usage?: unknown } | undefined;
  return opts?.include_usage === true;
}

export function openaiDialect(flavor: OpenAIFlavor): Dialect {
  const modelOf = (req: RecordedRequest, reply: FakeReply): string =>
    reply.model ?? (flavor === 'azure' ? 'gpt-4o-mini-2024-07-18' : String(body(req).model ?? 'unknown'));
  const usageOf = (reply: FakeReply) => reply.usage ?? defaultUsage[flavor];
  const filters = flavor === 'azure' ? { content_filter_results: { hate: { filtered: false, severity: 'safe' }, violence: { filtered: false, severity: 'safe' } } } : {};
  const chunk = (req: RecordedRequest, reply: FakeReply, choices: unknown[], usage?: unknown) => ({
    id: 'chatcmpl-fake1',
    object: 'chat.completion.chunk',
    created: 1_760_000_000,
    model: modelOf(req, reply),
    system_fingerprint: 'fp_fake',
    choices,
    ...(includeUsage(req) ? { usage: usage ?? null } : {}),
  });
  return {
    name: flavor,
    authKey(headers: IncomingHttpHeaders) {
      if (flavor === 'azure') return typeof headers['api-key'] === 'string' && headers['api-key'] !== '' ? headers['api-key'] : undefined;
      const m = /^Bearer (.+)$/.exec(headers.authorization ?? '');
      return m?.[1];
    },
    operation(method: string, path: string, query: URLSearchParams): Operation | undefined {
      if (flavor === 'azure') {
        if (!query.get('api-version')) return undefined;
        if (method === 'POST' && /^\/openai\/deployments\/[^/]+\/chat\/completions$/.test(path)) return 'complete';
        if (method === 'GET' && path === '/openai/models') return 'models';
        return undefined;
      }
      const prefix = flavor === 'openai' ? '/v1' : '';
      if (method === 'POST' && path === `${prefix}/chat/completions`) return 'complete';
      if (method === 'GET' && path === `${prefix}/models`) return 'models';
      return undefined;
    },
    specErrors: (op, req) => (op === 'complete' ? validateJsonSchema(spec, req.body) : []),
    isStream: (req) => body(req).stream === true,
    completion: (req, reply) => ({
      id: 'chatcmpl-fake1',
      object: 'chat.completion',
      created: 1_760_000_000,
      model: modelOf(req, reply),
      choices: [{ index: 0, message: { role: 'assistant', content: reply.text ?? 'Hello from the fake.', refusal: null, annotations: [] }, logprobs: null, finish_reason: reply.finishReason ?? 'stop', ...filters }],
      usage: usageOf(reply),
      service_tier: 'default',
      system_fingerprint: 'fp_fake',
    }),
    streamFrames(req, reply) {
      const frames: unknown[] = [];
      if (flavor === 'azure') frames.push({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }] });
      frames.push(chunk(req, reply, [{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]));
      for (const piece of splitText(reply.text ?? 'Hello from the fake.')) {
        frames.push(chunk(req, reply, [{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null, ...filters }]));
      }
      const finish = { index: 0, delta: flavor === 'deepseek' ? { content: '' } : {}, logprobs: null, finish_reason: reply.finishReason ?? 'stop' };
      if (flavor === 'deepseek') {
        // DeepSeek puts the usage on the finish chunk itself.
        frames.push(chunk(req, reply, [finish], usageOf(reply)));
      } else {
        frames.push(chunk(req, reply, [finish]));
        if (includeUsage(req)) frames.push(chunk(req, reply, [], usageOf(reply)));
      }
      return [...frames.map(sse), 'data: [DONE]\n\n'];
    },
    frame: sse,
    models: () => ({ object: 'list', data: [{ id: flavor === 'deepseek' ? 'deepseek-chat' : 'gpt-4o-mini', object: 'model', created: 1_721_172_741, owned_by: 'system' }] }),
    errorBody(status, message, req) {
      const known = errorTypes[status] ?? errorTypes[status >= 500 ? 500 : 400]!;
      // Worst case for leaks: quote the whole key back, as proxies and some providers do.
      const text = message ?? (status === 401 ? `${known.message} You passed: ${req.key ?? '(none)'}` : known.message);
      if (flavor === 'azure') return { error: { code: String(status), message: text } };
      return { error: { message: text, type: known.type, param: null, code: known.code } };
    },
  };
}
