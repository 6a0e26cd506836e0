import { describe, it, expect, beforeAll, afterAll, afterEach, vi } from 'vitest';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { parseAllowList } from './allow-list.ts';
import { createSafeFetch } from './safe-fetch.ts';
import type { SafeFetch, SafeFetchOptions } from './safe-fetch.ts';
import { OutboundRequestError } from './outbound-request-error.ts';
import type { Resolver } from './guarded-connector.ts';

// Every packet in this file goes to 127.0.0.1; other addresses are only ever refused.
type Seen = { url: string; method: string; headers: IncomingHttpHeaders; body: string };
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function startServer(handler: Handler): Promise<{ server: Server; port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port, seen };
}

let main: Awaited<ReturnType<typeof startServer>>;
let other: Awaited<ReturnType<typeof startServer>>;
let base: string;
const fetchers: SafeFetch[] = [];

function make(opts: SafeFetchOptions = {}): SafeFetch {
  const f = createSafeFetch(opts);
  fetchers.push(f);
  return f;
}
const loopbackAllowed = (extra: Partial<SafeFetchOptions> = {}) => make({ allow: parseAllowList('127.0.0.1'), ...extra });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OutboundRequestError);
  return (err as OutboundRequestError).code;
}

beforeAll(async () => {
  main = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const to = url.searchParams.get('to');
    if (url.pathname === '/redirect' && to) {
      res.writeHead(Number(url.searchParams.get('status') ?? 302), { location: to }).end();
    } else if (url.pathname === '/loop') {
      res.writeHead(302, { location: '/loop' }).end();
    } else if (url.pathname === '/big') {
      res.writeHead(200, { 'content-length': 5000 }).end(Buffer.alloc(5000, 97));
    } else if (url.pathname === '/big-chunked') {
      res.writeHead(200);
      for (let i = 0; i < 5; i++) res.write(Buffer.alloc(1000, 98));
      res.end();
    } else if (url.pathname === '/hang') {
      // never answers: the client's timeout or signal must end the request
    } else if (url.pathname === '/json') {
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] }).end('{"ok":true}');
    } else if (url.pathname === '/close') {
      res.writeHead(200, { connection: 'close' }).end('closing');
    } else {
      res.writeHead(200).end(`hello ${req.method} ${url.pathname}`);
    }
  });
  other = await startServer((_req, res) => res.writeHead(200).end('other'));
  base = `http://127.0.0.1:${main.port}`;
});

afterEach(async () => {
  await Promise.all(fetchers.splice(0).map((f) => f.close()));
  main.seen.length = 0;
  other.seen.length = 0;
});

afterAll(async () => {
  main.server.closeAllConnections();
  await Promise.all([main, other].map(({ server }) => new Promise((resolve) => server.close(resolve))));
});

describe('refused by default', () => {
  it.each(['127.0.0.1', '127.1', '2130706433', '0x7f000001', '0177.0.0.1', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '0.0.0.0', 'localhost'])(
    'http://%s:<port>/ is refused before any connection',
    async (host) => {
      const err = await make()(`http://${host}:${main.port}/`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OutboundRequestError);
      expect((err as OutboundRequestError).code).toBe('blocked_address');
      expect(main.seen).toHaveLength(0);
    },
  );

  it.each(['file:///etc/passwd', 'ftp://127.0.0.1/x', 'data:text/plain,hi', 'gopher://127.0.0.1:70/_x', 'javascript:alert(1)', 'ws://127.0.0.1/'])(
    'refuses the scheme of %s',
    async (url) => {
      const err = await make({ allow: parseAllowList('127.0.0.1') })(url).catch((e: unknown) => e);
      expect((err as OutboundRequestError).code).toBe('blocked_scheme');
      expect((err as Error).message).toMatch(/refused scheme/);
    },
  );

  it.each(['not a url', '', 'http://'])('rejects the invalid URL %j', async (url) => {
    expect(await codeOf(make()(url))).toBe('invalid_url');
  });
});

describe('allowed by the operator allow-list', () => {
  it('GETs and POSTs to an admitted loopback server', async () => {
    const f = loopbackAllowed();
    const got = await f(`${base}/json`);
    expect(got.status).toBe(200);
    expect(got.json()).toEqual({ ok: true });
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['set-cookie']).toBe('a=1, b=2');
    expect(got.url).toBe(`${base}/json`);

    const posted = await f(`${base}/echo`, { method: 'post', headers: { 'content-type': 'text/plain', 'X-Id': '7' }, body: 'payload' });
    expect(posted.text()).toBe('hello POST /echo');
    expect(main.seen[1]).toMatchObject({ method: 'POST', body: 'payload', headers: { 'x-id': '7', 'user-agent': 'Keyflow' } });
  });

  it('admits a hostname by name through the injected resolver', async () => {
    const lookup = vi.fn<Resolver>(async () => [{ address: '127.0.0.1', family: 4 }]);
    const res = await make({ allow: parseAllowList('svc.test'), lookup })(`http://svc.test:${main.port}/named`);
    expect(res.text()).toBe('hello GET /named');
    expect(lookup).toHaveBeenCalledWith('svc.test');
  });
});

describe('the resolved address is what is judged', () => {
  it('refuses a name whose resolver answers a private address, without connecting', async () => {
    const lookup = vi.fn<Resolver>(async () => [{ address: '10.0.0.1', family: 4 }]);
    const err = await make({ allow: parseAllowList('127.0.0.1'), lookup })('http://internal.test/').catch((e: unknown) => e);
    expect((err as OutboundRequestError).code).toBe('blocked_address');
    expect((err as Error).message).toBe('refused to connect to internal.test: it resolves to private address 10.0.0.1');
    expect(lookup).toHaveBeenCalledTimes(1);
  });

  it('refuses a name when any one of its addresses is refused', async () => {
    const lookup: Resolver = async () => [
      { address: '127.0.0.1', family: 4 },
      { address: '::ffff:169.254.169.254', family: 6 },
    ];
    expect(await codeOf(loopbackAllowed({ lookup })(`http://mixed.test:${main.port}/`))).toBe('blocked_address');
    expect(main.seen).toHaveLength(0);
  });

  it('re-checks on every new connection, so a rebinding name is caught at connect', async () => {
    const answers = ['127.0.0.1', '127.0.0.2'];
    const lookup = vi.fn<Resolver>(async () => [{ address: answers.shift() ?? '127.0.0.2', family: 4 }]);
    const f = loopbackAllowed({ lookup });
    expect((await f(`http://rebind.test:${main.port}/close`)).text()).toBe('closing');
    expect(await codeOf(f(`http://rebind.test:${main.port}/again`))).toBe('blocked_address');
    expect(lookup).toHaveBeenCalledTimes(2);
    expect(main.seen.map((s) => s.url)).toEqual(['/close']);
  });

  it('reports a resolver failure as connection_failed', async () => {
    const lookup: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    expect(await codeOf(make({ lookup })('http://nowhere.test/'))).toBe('connection_failed');
  });
});

describe('redirects', () => {
  it('follows a chain of relative and absolute redirects', async () => {
    const second = encodeURIComponent(`${base}/final`);
    const res = await loopbackAllowed()(`${base}/redirect?to=${encodeURIComponent(`/redirect?to=${second}`)}`);
    expect(res.status).toBe(200);
    expect(res.text()).toBe('hello GET /final');
    expect(res.url).toBe(`${base}/final`);
  });

  it('refuses a hop to a loopback address the allow-list does not admit', async () => {
    const target = encodeURIComponent(`http://127.0.0.2:${main.port}/secret`);
    const err = await loopbackAllowed()(`${base}/redirect?to=${target}`).catch((e: unknown) => e);
    expect((err as OutboundRequestError).code).toBe('blocked_address');
    expect((err as OutboundRequestError).host).toBe('127.0.0.2');
    expect(main.seen.map((s) => s.url.split('?')[0])).toEqual(['/redirect']);
  });

  it.each(['file:///etc/passwd', 'gopher://127.0.0.1/', 'data:,x'])('refuses a hop to %s', async (to) => {
    expect(await codeOf(loopbackAllowed()(`${base}/redirect?to=${encodeURIComponent(to)}`))).toBe('blocked_scheme');
  });

  it('stops after maxRedirects', async () => {
    expect(await codeOf(loopbackAllowed({ maxRedirects: 3 })(`${base}/loop`))).toBe('too_many_redirects');
    expect(main.seen).toHaveLength(4);
  });

  it('drops credentials when the origin changes, keeps them on the same origin', async () => {
    const headers = { Authorization: 'Bearer t', Cookie: 'c=1', 'Proxy-Authorization': 'Basic x', 'X-Keep': 'yes' };
    const f = loopbackAllowed();
    await f(`${base}/redirect?to=/same`, { headers });
    expect(main.seen[1]?.headers).toMatchObject({ authorization: 'Bearer t', cookie: 'c=1', 'x-keep': 'yes' });

    await f(`${base}/redirect?to=${encodeURIComponent(`http://127.0.0.1:${other.port}/x`)}`, { headers });
    const crossed = other.seen[0]?.headers;
    expect(crossed?.['x-keep']).toBe('yes');
    expect(crossed).not.toHaveProperty('authorization');
    expect(crossed).not.toHaveProperty('cookie');
    expect(crossed).not.toHaveProperty('proxy-authorization');
  });

  it.each<[number, string, string]>([
    [303, 'GET', ''],
    [302, 'GET', ''],
    [307, 'POST', 'data'],
    [308, 'POST', 'data'],
  ])('a %i after POST continues as %s', async (status, method, body) => {
    await loopbackAllowed()(`${base}/redirect?status=${status}&to=/next`, { method: 'POST', body: 'data', headers: { 'content-type': 'text/plain' } });
    expect(main.seen[1]).toMatchObject({ url: '/next', method, body });
  });

  it('returns the 3xx itself when followRedirects is false', async () => {
    const res = await loopbackAllowed()(`${base}/redirect?to=/next`, { followRedirects: false });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/next');
    expect(main.seen).toHaveLength(1);
  });
});

describe('limits', () => {
  it.each(['/big', '/big-chunked'])('caps the response size (%s)', async (path) => {
    const err = await loopbackAllowed({ maxResponseBytes: 4096 })(`${base}${path}`).catch((e: unknown) => e);
    expect((err as OutboundRequestError).code).toBe('response_too_large');
    expect((err as Error).message).toBe('response from 127.0.0.1 exceeds 4096 bytes');
  });

  it('accepts a body at the cap', async () => {
    const res = await loopbackAllowed({ maxResponseBytes: 5000 })(`${base}/big-chunked`);
    expect(res.body).toHaveLength(5000);
  });

  it('times out a request that never answers', async () => {
    expect(await codeOf(loopbackAllowed({ timeoutMs: 150 })(`${base}/hang`))).toBe('timeout');
  });

  it('honours the caller AbortSignal', async () => {
    const controller = new AbortController();
    const pending = loopbackAllowed()(`${base}/hang`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect(await codeOf(pending)).toBe('aborted');
  });

  it('rejects header injection before sending', async () => {
    expect(await codeOf(loopbackAllowed()(`${base}/`, { headers: { 'x-a': 'v\r\nInjected: 1' } }))).toBe('invalid_request');
    expect(main.seen).toHaveLength(0);
  });
});

describe('errors never carry request secrets', () => {
  it.each([
    ['blocked', () => `http://127.0.0.1:${main.port}/`],
    ['scheme', () => 'file:///etc/passwd'],
  ])('%s', async (_label, url) => {
    const err = await make()(url(), { method: 'POST', headers: { authorization: 'Bearer sk-canary-1234' }, body: 'sk-canary-body' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundRequestError);
    const dump = `${String(err)} ${JSON.stringify(err)} ${(err as Error).stack ?? ''}`;
    expect(dump).not.toContain('sk-canary');
  });
});
