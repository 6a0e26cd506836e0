// The Anthropic Messages API: message JSON, the named-event SSE stream, error envelopes.
// Request bodies are checked against CreateMessageParams from the hosted spec.
import { readFileSync } from 'node:fs';
import type { Dialect, FakeReply, RecordedRequest } from './fake-server.ts';
import { splitText } from './split-text.ts';
import { validateJsonSchema, type SpecFile } from './validate-json-schema.ts';

const spec = JSON.parse(readFileSync(new URL('./specs/anthropic-messages.request.json', import.meta.url), 'utf8')) as SpecFile;

const defaultUsage = { input_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 5, service_tier: 'standard' };

const errorTypes: Record<number, [string, string]> = {
  400: ['invalid_request_error', 'messages: at least one message is required'],
  401: ['authentication_error', 'invalid x-api-key'],
  403: ['permission_error', 'Your API key does not have permission to use the specified resource.'],
  404: ['not_found_error', 'The requested resource could not be found.'],
  413: ['request_too_large', 'Request exceeds the maximum allowed number of bytes.'],
  429: ['rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit'],
  500: ['api_error', 'An unexpected error has occurred internal to Anthropic’s systems.'],
  529: ['overloaded_error', 'Overloaded'],
};

const sse = (event: unknown): string => `event: ${(event as { type: string }).type}\ndata: ${JSON.stringify(event)}\n\n`;

function forcedTool(req: RecordedRequest): string | undefined {
  const choice = (req.body as { tool_choice?: { type?: string; name?: string } }).tool_choice;
  return choice?.type === 'tool' ? choice.name : undefined;
}

function modelOf(req: RecordedRequest, reply: FakeReply): string {
  return reply.model ?? String((req.body as { model?: unknown }).model ?? 'unknown');
}

export function anthropicDialect(): Dialect {
  const textOf = (req: RecordedRequest, reply: FakeReply) => reply.text ?? (forcedTool(req) ? '{"answer":"fake"}' : 'Hello from the fake.');
  return {
    name: 'anthropic',
    // The API takes `x-api-key`; SDK 1.x sends the key as `Authorization: Bearer` instead.
    authKey: (headers) => (typeof headers['x-api-key'] === 'string' && headers['x-api-key'] !== '' ? headers['x-api-key'] : /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1]),
    operation(method, path) {
      if (method === 'POST' && path === '/v1/messages') return 'complete';
      if (method === 'GET' && path === '/v1/models') return 'models';
      return undefined;
    },
    specErrors(op, req) {
      const errors = req.headers['anthropic-version'] ? [] : ['header anthropic-version: required'];
      return op === 'complete' ? [...errors, ...validateJsonSchema(spec, req.body)] : errors;
    },
    isStream: (req) => (req.body as { stream?: unknown }).stream === true,
    completion(req, reply) {
      const tool = forcedTool(req);
      const text = textOf(req, reply);
      return {
        id: 'msg_fake01',
        type: 'message',
        role: 'assistant',
        model: modelOf(req, reply),
        content: tool ? [{ type: 'tool_use', id: 'toolu_fake01', name: tool, input: JSON.parse(text) as unknown }] : [{ type: 'text', text }],
        stop_reason: reply.finishReason ?? (tool ? 'tool_use' : 'end_turn'),
        stop_sequence: null,
        usage: reply.usage ?? defaultUsage,
      };
    },
    streamFrames(req, reply) {
      const tool = forcedTool(req);
      const usage: Record<string, unknown> = reply.usage ?? defaultUsage;
      const { output_tokens: outputTokens, output_tokens_details: details, ...startUsage } = usage;
      const events: unknown[] = [
        { type: 'message_start', message: { id: 'msg_fake01', type: 'message', role: 'assistant', model: modelOf(req, reply), content: [], stop_reason: null, stop_sequence: null, usage: { ...startUsage, output_tokens: 1 } } },
        { type: 'content_block_start', index: 0, content_block: tool ? { type: 'tool_use', id: 'toolu_fake01', name: tool, input: {} } : { type: 'text', text: '' } },
        { type: 'ping' },
        ...splitText(textOf(req, reply)).map((piece) => ({ type: 'content_block_delta', index: 0, delta: tool ? { type: 'input_json_delta', partial_json: piece } : { type: 'text_delta', text: piece } })),
        { type: 'content_block_stop', index: 0 },
        // The final counts come on message_delta; input counts were on message_start.
        { type: 'message_delta', delta: { stop_reason: reply.finishReason ?? (tool ? 'tool_use' : 'end_turn'), stop_sequence: null }, usage: { output_tokens: outputTokens, ...(details ? { output_tokens_details: details } : {}) } },
        { type: 'message_stop' },
      ];
      return events.map(sse);
    },
    frame: sse,
    models: () => ({ data: [{ type: 'model', id: 'claude-3-5-haiku-20241022', display_name: 'Claude Haiku 3.5', created_at: '2024-10-22T00:00:00Z' }], has_more: false, first_id: 'claude-3-5-haiku-20241022', last_id: 'claude-3-5-haiku-20241022' }),
    errorBody(status, message, req) {
      const [type, text] = errorTypes[status] ?? errorTypes[status >= 500 ? 500 : 400]!;
      return { type: 'error', error: { type, message: message ?? (status === 401 ? `${text}: ${req.key ?? ''}` : text) }, request_id: 'req_fake01' };
    },
  };
}
