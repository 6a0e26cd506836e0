import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp('postgres');
});
afterAll(() => t.close());

function cookieOf(res: Response): string {
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

describe('accounts', () => {
  it('signs up with an HttpOnly SameSite cookie and never stores the password in clear', async () => {
    const res = await t.request('POST', '/api/auth/signup', { body: { email: 'Ada@Example.test', password: 'a long enough password' } });
    expect(res.status).toBe(201);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const body = (await res.json()) as { user: { email: string }; csrfToken: string };
    expect(body.user.email).toBe('ada@example.test');
    const row = await t.db.db.selectFrom('users').selectAll().where('email', '=', 'ada@example.test').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain('a long enough password');
  });

  it('refuses a duplicate email without saying it is taken, and a weak password with 422 naming the field', async () => {
    const dup = await t.request('POST', '/api/auth/signup', { body: { email: 'ada@example.test', password: 'another long password' } });
    expect(dup.status).toBe(400);
    expect(dup.headers.get('set-cookie')).toBeNull();
    const body = (await dup.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('signup_refused');
    // Nothing that names the address or says why: "taken", "exists", "already" would all tell.
    expect(JSON.stringify(body)).not.toMatch(/ada@|exist|taken|already|409|conflict/i);
    const weak = await t.request('POST', '/api/auth/signup', { body: { email: 'weak@example.test', password: 'short' } });
    expect(weak.status).toBe(422);
    const err = (await weak.json()) as { error: { issues: { path: unknown[] }[] } };
    expect(err.error.issues[0]!.path).toEqual(['body', 'password']);
    // The refused attempt changed nothing: the owner still logs in with the first password.
    expect((await t.request('POST', '/api/auth/login', { body: { email: 'ada@example.test', password: 'a long enough password' } })).status).toBe(200);
  });

  it('logs in, requires the CSRF token on cookie writes, and logs out', async () => {
    const login = await t.request('POST', '/api/auth/login', { body: { email: 'ada@example.test', password: 'a long enough password' } });
    expect(login.status).toBe(200);
    const cookie = cookieOf(login);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const me = await t.request('GET', '/api/auth/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    const noCsrf = await t.request('POST', '/api/tokens', { body: { name: 'x' }, headers: { cookie } });
    expect(noCsrf.status).toBe(403);
    const wrongCsrf = await t.request('POST', '/api/tokens', { body: { name: 'x' }, headers: { cookie, 'x-csrf-token': 'nope' } });
    expect(wrongCsrf.status).toBe(403);
    const ok = await t.request('POST', '/api/tokens', { body: { name: 'x' }, headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(ok.status).toBe(201);
    const out = await t.request('POST', '/api/auth/logout', { headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(out.status).toBe(204);
    expect((await t.request('GET', '/api/auth/me', { headers: { cookie } })).status).toBe(401);
  });

  it('answers the same 401 for an unknown email and a wrong password', async () => {
    const a = await t.request('POST', '/api/auth/login', { body: { email: 'nobody@example.test', password: 'whatever it is' } });
    const b = await t.request('POST', '/api/auth/login', { body: { email: 'ada@example.test', password: 'wrong password!' } });
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(await a.json()).toEqual(await b.json());
  });

  it('slows down repeated wrong passwords for one email from one client, with Retry-After', async () => {
    const email = 'target@example.test';
    await t.request('POST', '/api/auth/signup', { body: { email, password: 'the real password' } });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await t.request('POST', '/api/auth/login', { body: { email, password: `guess number ${i}` } });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // From the same client, even the right password waits: else the backoff would not slow guessing.
    const blocked = await t.request('POST', '/api/auth/login', { body: { email, password: 'the real password' } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('ends every session on password change but keeps the caller signed in', async () => {
    const email = 'rotate@example.test';
    const signup = await t.request('POST', '/api/auth/signup', { body: { email, password: 'first password ok' } });
    const other = cookieOf(await t.request('POST', '/api/auth/login', { body: { email, password: 'first password ok' } }));
    const cookie = cookieOf(signup);
    const { csrfToken } = (await signup.json()) as { csrfToken: string };
    const wrong = await t.request('POST', '/api/auth/password', { body: { currentPassword: 'not it at all', newPassword: 'second password ok' }, headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(wrong.status).toBe(401);
    const changed = await t.request('POST', '/api/auth/password', { body: { currentPassword: 'first password ok', newPassword: 'second password ok' }, headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(changed.status).toBe(200);
    expect((await t.request('GET', '/api/auth/me', { headers: { cookie: other } })).status).toBe(401);
    expect((await t.request('GET', '/api/auth/me', { headers: { cookie } })).status).toBe(401);
    expect((await t.request('GET', '/api/auth/me', { headers: { cookie: cookieOf(changed) } })).status).toBe(200);
    expect((await t.request('POST', '/api/auth/login', { body: { email, password: 'second password ok' } })).status).toBe(200);
  });
});

describe('API tokens and password changes', () => {
  async function sessionOf(email: string, password: string): Promise<{ cookie: string; csrfToken: string }> {
    const res = await t.request('POST', '/api/auth/login', { body: { email, password } });
    expect(res.status).toBe(200);
    return { cookie: cookieOf(res), csrfToken: ((await res.json()) as { csrfToken: string }).csrfToken };
  }

  it('keep working after a password change unless revokeTokens is set, and the answer says which', async () => {
    const user = await t.signup();
    const s1 = await sessionOf(user.email, 'correct horse battery');
    const kept = await t.request('POST', '/api/auth/password', { body: { currentPassword: 'correct horse battery', newPassword: 'second horse battery' }, headers: { cookie: s1.cookie, 'x-csrf-token': s1.csrfToken } });
    expect(kept.status).toBe(200);
    expect(await kept.json()).toMatchObject({ tokensRevoked: 0, tokensKept: 1 });
    expect((await t.request('GET', '/api/auth/me', { token: user.token })).status).toBe(200);

    const s2 = await sessionOf(user.email, 'second horse battery');
    const revoked = await t.request('POST', '/api/auth/password', { body: { currentPassword: 'second horse battery', newPassword: 'third horse battery', revokeTokens: true }, headers: { cookie: s2.cookie, 'x-csrf-token': s2.csrfToken } });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ tokensRevoked: 1, tokensKept: 0 });
    expect((await t.request('GET', '/api/auth/me', { token: user.token })).status).toBe(401);
    expect((await t.request('GET', '/api/auth/me', { headers: { cookie: cookieOf(revoked) } })).status).toBe(200);
  });

  it('DELETE /api/tokens revokes every token of the caller and no one else\'s', async () => {
    const alice = await t.signup();
    const bob = await t.signup();
    const second = (await (await t.request('POST', '/api/tokens', { token: alice.token, body: { name: 'ci' } })).json()) as { token: string };
    const res = await t.request('DELETE', '/api/tokens', { token: alice.token });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ revoked: 2 });
    expect((await t.request('GET', '/api/auth/me', { token: alice.token })).status).toBe(401);
    expect((await t.request('GET', '/api/auth/me', { token: second.token })).status).toBe(401);
    expect((await t.request('GET', '/api/auth/me', { token: bob.token })).status).toBe(200);
  });


  it('are shown once, stored hashed, listed without the secret, and revocable', async () => {
    const user = await t.signup();
    const me = await t.request('GET', '/api/auth/me', { token: user.token });
    expect(me.status).toBe(200);
    const list = (await (await t.request('GET', '/api/tokens', { token: user.token })).json()) as { items: { id: string; prefix: string }[] };
    expect(JSON.stringify(list)).not.toContain(user.token);
    expect(list.items[0]!.prefix).toBe(user.token.slice(0, 8));
    const rows = await t.db.db.selectFrom('api_tokens').select('token_hash').execute();
    expect(rows.map((r) => r.token_hash)).not.toContain(user.token);
    const del = await t.request('DELETE', `/api/tokens/${list.items[0]!.id}`, { token: user.token });
    expect(del.status).toBe(204);
    expect((await t.request('GET', '/api/auth/me', { token: user.token })).status).toBe(401);
  });

  it('rejects a malformed Authorization header with a clear message', async () => {
    const res = await t.request('GET', '/api/workflows', { headers: { authorization: 'Basic abc' } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/Bearer/);
  });
});
