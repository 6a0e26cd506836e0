// The API client against a scripted fetch: the CSRF header on state-changing calls (learnt from
// /api/auth/me or a log-in), the API's error JSON as ApiError with field paths, and the
// session-expired hook on a mid-session 401 but not on a wrong password.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, onSessionExpired, setCsrfToken } from './client.ts';

type Call = { url: string; method: string; headers: Record<string, string>; body?: string };
let calls: Call[];
let answers: Map<string, () => Response>;

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

beforeEach(() => {
  calls = [];
  answers = new Map();
  setCsrfToken(undefined);
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    calls.push({ url, method, headers: { ...(init.headers as Record<string, string>) }, ...(typeof init.body === 'string' ? { body: init.body } : {}) });
    const answer = answers.get(`${method} ${url}`);
    if (!answer) throw new Error(`unexpected ${method} ${url}`);
    return answer();
  });
});
afterEach(() => vi.unstubAllGlobals());

describe('api()', () => {
  it('sends the CSRF token from /api/auth/me on state-changing calls, never on GET', async () => {
    answers.set('GET /api/auth/me', () => json(200, { user: { id: 'u', email: 'a@b.c' }, csrfToken: 'tok-1' }));
    answers.set('POST /api/workflows', () => json(201, { id: 'w' }));
    answers.set('GET /api/workflows', () => json(200, { items: [] }));
    await api('POST', '/api/workflows', { name: 'x' });
    await api('GET', '/api/workflows');
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.headers['x-csrf-token']).toBe('tok-1');
    expect(post.headers['content-type']).toBe('application/json');
    expect(post.body).toBe('{"name":"x"}');
    expect(calls.filter((c) => c.method === 'GET' && c.url === '/api/workflows')[0]!.headers['x-csrf-token']).toBeUndefined();
    // The token is kept: one /api/auth/me for many writes.
    await api('POST', '/api/workflows', { name: 'y' });
    expect(calls.filter((c) => c.url === '/api/auth/me')).toHaveLength(1);
  });

  it('takes the token a log-in returns and forgets it on log-out', async () => {
    answers.set('POST /api/auth/login', () => json(200, { user: { id: 'u', email: 'a@b.c' }, csrfToken: 'from-login' }));
    answers.set('DELETE /api/tokens', () => json(200, { revoked: 0 }));
    answers.set('POST /api/auth/logout', () => new Response(null, { status: 204 }));
    answers.set('GET /api/auth/me', () => json(401, { error: { code: 'unauthorized', message: 'authentication required' } }));
    await api('POST', '/api/auth/login', { email: 'a@b.c', password: 'p' });
    expect(calls[0]!.headers['x-csrf-token']).toBeUndefined();
    await api('DELETE', '/api/tokens');
    expect(calls[1]!.headers['x-csrf-token']).toBe('from-login');
    expect(await api('POST', '/api/auth/logout')).toBeUndefined();
    await expect(api('DELETE', '/api/tokens')).resolves.toEqual({ revoked: 0 });
    // After log-out the client asks /api/auth/me again instead of reusing the old token.
    expect(calls.at(-1)!.headers['x-csrf-token']).toBeUndefined();
  });

  it('turns the error JSON into ApiError with dotted field paths', async () => {
    setCsrfToken('t');
    answers.set('PUT /api/workflows/w', () => json(422, { error: { code: 'invalid', message: 'the graph has problems', issues: [{ path: ['body', 'graph', 'nodes', 0, 'config', 'url'], message: 'must be a URL' }] } }));
    const err = await api('PUT', '/api/workflows/w', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(422);
    expect(e.code).toBe('invalid');
    expect(e.message).toBe('the graph has problems');
    expect(e.fields).toEqual([{ path: 'body.graph.nodes.0.config.url', message: 'must be a URL' }]);
    expect(e.fieldMessage('body.graph.nodes.0.config.url')).toBe('must be a URL');
  });

  it('says what happened when the body is not the API\'s JSON, or the network is down', async () => {
    answers.set('GET /api/x', () => new Response('<html>Bad gateway</html>', { status: 502 }));
    const e = (await api('GET', '/api/x').catch((x: unknown) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(502);
    expect(e.message).toBe('request failed (HTTP 502)');
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const n = (await api('GET', '/api/x').catch((x: unknown) => x)) as ApiError;
    expect(n.status).toBe(0);
    expect(n.code).toBe('network');
  });

  it('calls the session-expired handler on a mid-session 401, not on a wrong password', async () => {
    const expired = vi.fn();
    const remove = onSessionExpired(expired);
    setCsrfToken('t');
    const unauthorized = () => json(401, { error: { code: 'unauthorized', message: 'authentication required' } });
    answers.set('GET /api/workflows?limit=25', unauthorized);
    answers.set('POST /api/auth/login', () => json(401, { error: { code: 'unauthorized', message: 'wrong email or password' } }));
    answers.set('POST /api/auth/password', unauthorized);

    await expect(api('POST', '/api/auth/login', { email: 'a', password: 'b' })).rejects.toMatchObject({ status: 401, message: 'wrong email or password' });
    await expect(api('POST', '/api/auth/password', {})).rejects.toMatchObject({ status: 401 });
    expect(expired).not.toHaveBeenCalled();

    await expect(api('GET', '/api/workflows?limit=25')).rejects.toBeInstanceOf(ApiError);
    expect(expired).toHaveBeenCalledTimes(1);
    remove();
    await expect(api('GET', '/api/workflows?limit=25')).rejects.toBeInstanceOf(ApiError);
    expect(expired).toHaveBeenCalledTimes(1);
  });
});
