// The request middleware's logging (server/src/app.ts): every request's access line carries its
// request id, and a handler's own log lines (here an unhandled error) carry the same id, though
// the child logger holding it is only made when a handler logs.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support.ts';

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const l of chunk.toString('utf8').split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
    done();
  },
});

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await createTestApp('postgres', {}, { log: pino({ level: 'info' }, sink) });
  token = (await t.signup()).token;
});
afterAll(() => t.close());

const pos = { x: 0, y: 0 };

describe('request logging', () => {
  it('writes one access line per request with its request id, method, path and status', async () => {
    const res = await t.request('GET', '/healthz', { headers: { 'x-request-id': 'probe-123' } });
    expect(res.headers.get('x-request-id')).toBe('probe-123');
    await new Promise((r) => setTimeout(r, 50));
    const access = lines.filter((l) => l.msg === 'request' && l.requestId === 'probe-123');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ method: 'GET', path: '/healthz', status: 200 });
  });

  it("a handler's error line carries the request id of the answer", async () => {
    // A respond node whose header value no HTTP writer takes: the answer fails in the handler.
    const graph = {
      nodes: [
        { id: 'hook', type: 'core.webhook', version: 1, config: { responseMode: 'wait', timeoutMs: 5000 }, position: pos },
        { id: 'reply', type: 'core.respond', version: 1, config: { status: 200, headers: { 'x-bad': 'a\u0001b' }, body: 'x' }, position: pos },
      ],
      edges: [{ id: 'e1', source: 'hook', target: 'reply' }],
    };
    const wf = (await (await t.request('POST', '/api/workflows', { token, body: { name: 'bad header', graph } })).json()) as { id: string };
    expect((await t.request('POST', `/api/workflows/${wf.id}/activate`, { token })).status).toBe(200);
    const [hook] = (await (await t.request('GET', `/api/workflows/${wf.id}/webhooks`, { token })).json()) as { url: string }[];
    const res = await t.request('POST', new URL(hook!.url).pathname, { body: {} });
    expect(res.status).toBe(500);
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(id!);
    await new Promise((r) => setTimeout(r, 50));
    expect(lines.filter((l) => l.msg === 'unhandled error' && l.requestId === id)).toHaveLength(1);
    expect(lines.filter((l) => l.msg === 'request' && l.requestId === id && l.status === 500)).toHaveLength(1);
  });
});
