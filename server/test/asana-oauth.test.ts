// Connect Asana with OAuth 2.0 against the fake Asana's token endpoint (form-encoded,
// client_secret_post, PKCE S256, the user in the answer's `data`): the consent URL asks for the
// nodes' scopes, the callback stores the tokens sealed as the owner's credential, its identity
// runs with the access token, and a revoked access token is refreshed once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAsana, type FakeAsana } from '@keyflow/nodes/testing/fake-asana';
import { createTestApp, type TestApp } from './support.ts';

let asana: FakeAsana;
let t: TestApp;

beforeAll(async () => {
  asana = await startFakeAsana();
  t = await createTestApp('postgres', {
    KEYFLOW_PUBLIC_URL: 'http://keyflow.test',
    KEYFLOW_ASANA_CLIENT_ID: asana.oauthClient.id,
    KEYFLOW_ASANA_CLIENT_SECRET: asana.oauthClient.secret,
    KEYFLOW_ASANA_OAUTH_URL: asana.oauthUrl,
    KEYFLOW_ASANA_BASE_URL: asana.url,
  });
});
afterAll(async () => {
  await t.close();
  await asana.close();
});

describe('Asana OAuth', () => {
  it('consent → callback stores the credential; identity uses the access token; a revoked token is refreshed once', async () => {
    const email = `asana-${Date.now()}@example.test`;
    const signup = await t.request('POST', '/api/auth/signup', { body: { email, password: 'correct horse battery' } });
    const ownerId = ((await signup.json()) as { user: { id: string } }).user.id;
    const login = await t.request('POST', '/api/auth/login', { body: { email, password: 'correct horse battery' } });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    const get = (path: string) => t.request('GET', path, { headers: { cookie } });

    const start = await get('/api/oauth/asana/start');
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin + authorize.pathname).toBe(`${asana.oauthUrl}/-/oauth_authorize`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('scope')!.split(' ')).toEqual(expect.arrayContaining(['tasks:write', 'webhooks:write', 'users:read']));
    expect(authorize.searchParams.get('redirect_uri')).toBe('http://keyflow.test/api/oauth/asana/callback');

    const code = asana.issueCode(authorize.href);
    const done = await get(`/api/oauth/asana/callback?code=${code}&state=${encodeURIComponent(authorize.searchParams.get('state')!)}`);
    expect(done.status).toBe(302);
    const back = new URL(done.headers.get('location')!);
    expect(back.searchParams.get('connected')).toBe('asana');
    const id = back.searchParams.get('credentialId')!;
    const exchange = asana.tokenRequests.at(-1)!;
    expect(exchange).toMatchObject({ grant_type: 'authorization_code', client_id: asana.oauthClient.id });
    expect(exchange.code_verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    const row = await t.db.db.selectFrom('credentials').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ owner_id: ownerId, provider: 'asana', auth_kind: 'oauth2', label: 'Asana (Ada Lovelace)' });
    const issued = asana.tokens.at(-1)!;
    expect(row.ciphertext).not.toContain(issued.token);

    const test = async () => (await (await t.request('POST', `/api/credentials/${id}/test`, { headers: { cookie, 'x-csrf-token': csrf } })).json()) as { status: string; message: string };
    expect(await test()).toMatchObject({ status: 'valid', message: 'connected as Acme / Ada Lovelace' });
    expect(asana.requests.at(-1)!.headers.authorization).toBe(`Bearer ${issued.token}`);

    // Asana revokes the access token early; the refresh token still works.
    asana.tokens.splice(asana.tokens.indexOf(issued), 1);
    expect(await test()).toMatchObject({ status: 'valid' });
    expect(asana.tokenRequests.at(-1)).toMatchObject({ grant_type: 'refresh_token' });
    expect(asana.requests.at(-1)!.headers.authorization).toBe(`Bearer ${asana.tokens.at(-1)!.token}`);
  });
});
