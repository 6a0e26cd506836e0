import { describe, expect, it } from 'vitest';
import {
  createTestContext,
  NodeError,
  NonRetriableNodeError,
  parseNodeConfig,
  RetryAfterNodeError,
  TEST_NOW,
  type SafeFetch,
  type SafeFetchInit,
  type SafeFetchResponse,
} from '../contract/index.ts';
import { httpNode } from './http.node.ts';

interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  url?: string;
}

function reply({ status = 200, headers = {}, body = '', url = 'https://api.example.com/x' }: FakeReply): SafeFetchResponse {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const text = () => new TextDecoder().decode(bytes);
  return { status, headers, url, body: bytes, text, json: () => JSON.parse(text()) as unknown };
}

/** A fetch that records its calls and answers with `answer`. */
function fakeFetch(answer: FakeReply | Error) {
  const calls: { url: string; init: SafeFetchInit | undefined }[] = [];
  const fetch: SafeFetch = async (url, init) => {
    calls.push({ url, init });
    if (answer instanceof Error) throw answer;
    return reply(answer);
  };
  return { fetch, calls };
}

async function call(config: Record<string, unknown>, answer: FakeReply | Error) {
  const { fetch, calls } = fakeFetch(answer);
  const run = httpNode.run(createTestContext(parseNodeConfig(httpNode, config), { fetch }));
  return { run, calls };
}

describe('core.http request', () => {
  it('sends method, headers, query and a JSON body', async () => {
    const { run, calls } = await call(
      { method: 'POST', url: 'https://api.example.com/items?x=1', headers: { Authorization: 'Bearer t' }, query: { page: 2, q: 'a b' }, body: { name: 'Ada' } },
      { status: 201, headers: { 'content-type': 'application/json' }, body: '{"id":7}' },
    );
    const { output } = await run;
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('https://api.example.com/items?x=1&page=2&q=a+b');
    expect(calls[0]!.init).toMatchObject({
      method: 'POST',
      headers: { Authorization: 'Bearer t', 'content-type': 'application/json' },
      body: '{"name":"Ada"}',
      timeoutMs: 30_000,
      followRedirects: true,
    });
    expect(calls[0]!.init?.signal).toBeInstanceOf(AbortSignal);
    expect(output).toEqual({ status: 201, headers: { 'content-type': 'application/json' }, url: 'https://api.example.com/x', body: { id: 7 } });
  });

  it('sends a string body as is and keeps a given content type', async () => {
    const { run, calls } = await call({ method: 'PUT', url: 'https://a.example/', headers: { 'Content-Type': 'text/csv' }, body: 'a,b' }, {});
    await run;
    expect(calls[0]!.init?.body).toBe('a,b');
    expect(calls[0]!.init?.headers).toMatchObject({ 'Content-Type': 'text/csv' });
  });

  it('sends the step idempotency key unless the config sets one', async () => {
    const plain = await call({ method: 'POST', url: 'https://a.example/', body: 'x' }, {});
    await plain.run;
    expect((plain.calls[0]!.init?.headers as Record<string, string>)['idempotency-key']).toMatch(/.+/);
    const own = await call({ method: 'POST', url: 'https://a.example/', headers: { 'Idempotency-Key': 'mine' }, body: 'x' }, {});
    await own.run;
    expect(own.calls[0]!.init?.headers).toEqual({ 'Idempotency-Key': 'mine' });
  });

  it.each<[string, FakeReply, unknown]>([
    ['text', { headers: { 'content-type': 'text/plain' }, body: 'hi' }, 'hi'],
    ['broken JSON as text', { headers: { 'content-type': 'application/json' }, body: '{nope' }, '{nope'],
    ['an empty body as null', { status: 204 }, null],
    ['bytes as base64', { headers: { 'content-type': 'image/png' }, body: new Uint8Array([0, 255, 1]) }, { encoding: 'base64', data: 'AP8B' }],
  ])('returns %s', async (_name, answer, body) => {
    const { run } = await call({ method: 'GET', url: 'https://a.example/' }, answer);
    expect((await run).output).toMatchObject({ body });
  });

  it('never outputs credential headers', async () => {
    const headers = { 'set-cookie': 'sid=secret', authorization: 'Bearer echo', 'x-request-id': 'r1' };
    const { run } = await call({ method: 'GET', url: 'https://a.example/' }, { headers });
    const { output } = await run;
    expect(output).toMatchObject({ headers: { 'x-request-id': 'r1' } });
    expect(JSON.stringify(output)).not.toMatch(/secret|echo/);
  });
});

describe('core.http errors', () => {
  it.each<[number, abstract new (...args: never[]) => NodeError]>([
    [400, NonRetriableNodeError],
    [401, NonRetriableNodeError],
    [404, NonRetriableNodeError],
    [422, NonRetriableNodeError],
    [408, NodeError],
    [500, NodeError],
    [503, NodeError],
    [429, RetryAfterNodeError],
  ])('HTTP %s throws %O', async (status, kind) => {
    const { run } = await call({ method: 'GET', url: 'https://api.example.com/x?key=sk-secret' }, { status, body: 'nope' });
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(kind);
    const nodeError = error as NodeError;
    expect(nodeError.retryable).toBe(status >= 500 || status === 408 || status === 429);
    expect(nodeError.message).toBe(`HTTP ${status} from api.example.com`);
    expect(nodeError.details).toEqual({ status, host: 'api.example.com', body: 'nope' });
  });

  it.each([
    ['seconds', '120', 120_000],
    ['an HTTP date', new Date(TEST_NOW.getTime() + 5_000).toUTCString(), 5_000],
    ['a date in the past', new Date(0).toUTCString(), 0],
    ['garbage', 'soon', 30_000],
  ])('429 waits for Retry-After given as %s', async (_name, header, ms) => {
    const { run } = await call({ method: 'GET', url: 'https://a.example/' }, { status: 429, headers: { 'retry-after': header } });
    await expect(run).rejects.toMatchObject({ retryAfterMs: ms });
  });

  it('wraps network failures as retryable, naming the host only', async () => {
    const cause = new TypeError('fetch failed');
    const { run } = await call({ method: 'GET', url: 'https://a.example/p?token=sk-secret' }, cause);
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeError);
    expect(error).not.toBeInstanceOf(NonRetriableNodeError);
    expect((error as NodeError).message).toBe('request to a.example failed');
    expect((error as NodeError).cause).toBe(cause);
  });

  it('passes on a refusal from the SSRF guard untouched', async () => {
    const refusal = new NonRetriableNodeError('destination not allowed');
    const { run } = await call({ method: 'GET', url: 'http://10.0.0.1/' }, refusal);
    await expect(run).rejects.toBe(refusal);
  });
});

describe('core.http config', () => {
  it.each([
    ['no url', { method: 'GET' }, ['url']],
    ['no method', { url: 'https://a.example/' }, ['method']],
    ['a relative url', { method: 'GET', url: '/path' }, ['url']],
    ['a file url', { method: 'GET', url: 'file:///etc/passwd' }, ['url']],
    ['credentials in the url', { method: 'GET', url: 'https://u:p@a.example/' }, ['url']],
    ['a GET with a body', { method: 'GET', url: 'https://a.example/', body: 'x' }, ['body']],
    ['a timeout over 5 minutes', { method: 'GET', url: 'https://a.example/', timeoutMs: 300_001 }, ['timeoutMs']],
    ['a header with a line break', { method: 'GET', url: 'https://a.example/', headers: { a: 'b\nc' } }, ['headers', 'a']],
  ])('rejects %s', (_name, config, path) => {
    const result = httpNode.config.safeParse(config);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(path);
  });
});
