import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createProviders } from '../src/ai/providers/index.ts';
import { ProviderError, providerIds, type CompletionRequest, type ProviderErrorKind, type ProviderId } from '../src/ai/types.ts';
import { geminiInvalidKeyBody, type FakeReply } from './fakes/index.ts';
import { models, startProviderFixture, type ProviderFixture } from './fakes/provider-fixture.ts';

let f: ProviderFixture;
beforeAll(async () => {
  f = await startProviderFixture();
});
afterEach(() => f.fakes.reset());
afterAll(async () => f.fakes.close());

const ask = (id: ProviderId, extra: Partial<CompletionRequest> = {}): CompletionRequest => ({ model: models[id], maxTokens: 20, messages: [{ role: 'user', content: 'hi' }], ...extra });

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

type Row = [ProviderId, FakeReply, ProviderErrorKind, number | undefined];
const common: Array<[FakeReply, ProviderErrorKind, number | undefined]> = [
  [{ status: 429, headers: { 'retry-after': '2' } }, 'rate_limited', 2000],
  [{ status: 500 }, 'server', undefined],
  [{ status: 503 }, 'server', undefined],
  [{ status: 400 }, 'bad_request', undefined],
  [{ status: 422 }, 'bad_request', undefined],
  [{ status: 401 }, 'auth', undefined],
  [{ status: 403 }, 'auth', undefined],
  [{ status: 404 }, 'not_found', undefined],
];
const rows: Row[] = [
  ...providerIds.flatMap((id) => common.map(([reply, kind, ms]): Row => [id, reply, kind, ms])),
  ['anthropic', { status: 529, headers: { 'retry-after': '7' } }, 'server', 7000],
  ['azure_openai', { status: 429, headers: { 'retry-after-ms': '1500', 'retry-after': '2' } }, 'rate_limited', 1500],
  ['gemini', { status: 429 }, 'rate_limited', 20_000],
  ['gemini', { status: 400, body: geminiInvalidKeyBody() }, 'auth', undefined],
  ['deepseek', { status: 402 }, 'auth', undefined],
];

describe('HTTP errors map to kinds', () => {
  it.each(rows)('%s %j → %s', async (id, reply, kind, retryAfterMs) => {
    f.fakes.servers[id].enqueue(reply);
    const err = await failure(f.providers[id].complete(ask(id), f.credential(id)));
    expect(err).toMatchObject({ provider: id, kind, status: reply.status, retryAfterMs });
    expect(err.retryable).toBe(kind === 'rate_limited' || kind === 'server');
    expect(err.message).toContain(String(reply.status));
  });
});

describe('no SDK retries: failover is the router’s', () => {
  it.each(providerIds.flatMap((id) => [[id, 500], [id, 429]] as Array<[ProviderId, number]>))('%s sends exactly one request on a %i', async (id, status) => {
    f.fakes.servers[id].setHandler(() => ({ status, headers: { 'retry-after': '0' } }));
    await failure(f.providers[id].complete(ask(id), f.credential(id)));
    await failure(f.providers[id].complete(ask(id, { onDelta: () => {} }), f.credential(id)));
    expect(f.fakes.servers[id].requests).toHaveLength(2);
  });
});

describe('timeouts', () => {
  let quick: ReturnType<typeof createProviders>;
  beforeAll(() => {
    quick = createProviders({ baseUrls: f.fakes.baseUrls, timeoutMs: 300 });
  });

  it.each(providerIds)('%s: a provider that never answers is a timeout', async (id) => {
    f.fakes.servers[id].enqueue({ hang: true });
    const err = await failure(quick[id].complete(ask(id), f.credential(id)));
    expect(err).toMatchObject({ kind: 'timeout', retryable: true });
    expect(f.fakes.servers[id].requests).toHaveLength(1);
  });

  it.each(providerIds)('%s: a stream that stalls midway is a timeout, not a short answer', async (id) => {
    f.fakes.servers[id].enqueue({ text: 'one two three four five six', stallAfterFrames: 2 });
    const err = await failure(quick[id].complete(ask(id, { onDelta: () => {} }), f.credential(id)));
    expect(err.kind).toBe('timeout');
  });
});

describe('connection failures', () => {
  it.each(providerIds)('%s: connection refused (closed port)', async (id) => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const closed = createProviders({ baseUrls: { [id]: id === 'openai' ? `${origin}/v1` : origin }, timeoutMs: 2_000 });
    const err = await failure(closed[id].complete(ask(id), f.credential(id)));
    expect(err).toMatchObject({ kind: 'connection', retryable: true, status: undefined });
    expect(err.message).toContain('ECONNREFUSED');
  });

  it.each(providerIds)('%s: connection dropped without an answer', async (id) => {
    f.fakes.servers[id].enqueue({ reset: true });
    const err = await failure(f.providers[id].complete(ask(id), f.credential(id)));
    expect(err).toMatchObject({ kind: 'connection', retryable: true });
  });
});

describe('errors inside a stream', () => {
  const cases: Array<[ProviderId, unknown[], ProviderErrorKind]> = [
    ['anthropic', [{ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: models.anthropic, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } } }, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }], 'server'],
    ['openai', [{ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: 'Hel' }, finish_reason: null }] }, { error: { message: 'The server had an error', type: 'server_error', param: null, code: null } }], 'server'],
    ['gemini', [{ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } }], 'server'],
  ];
  it.each(cases)('%s', async (id, stream, kind) => {
    f.fakes.servers[id].enqueue({ stream });
    const err = await failure(f.providers[id].complete(ask(id, { onDelta: () => {} }), f.credential(id)));
    expect(err).toMatchObject({ provider: id, kind, retryable: true });
  });
});

describe('a caller abort is not a provider failure', () => {
  it.each(providerIds)('%s rejects with the caller’s own reason', async (id) => {
    const controller = new AbortController();
    const reason = new Error('run cancelled');
    f.fakes.servers[id].setHandler(() => {
      controller.abort(reason);
      return { hang: true };
    });
    const err = await f.providers[id].complete(ask(id, { signal: controller.signal }), f.credential(id)).then(() => undefined, (e: unknown) => e);
    expect(err).toBe(reason);
  });
});
