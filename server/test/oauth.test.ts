// OAuth 2.0 for Slack against the fake Slack (its oauth.v2.access speaks Slack's wire format:
// HTTP 200 with ok:false on errors, token_type "bot", rotating refresh tokens).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthRefresher } from '@keyflow/engine';
import { startFakeSlack, type FakeSlack } from '@keyflow/nodes/testing/fake-slack';
import { createTestApp, type TestApp } from './support.ts';

let slack: FakeSlack;
let t: TestApp;

beforeAll(async () => {
  slack = await startFakeSlack();
  slack.channels = [{ id: 'C0001', name: 'general' }];
  t = await createTestApp('postgres', {
    KEYFLOW_PUBLIC_URL: 'http://keyflow.test',
    KEYFLOW_SLACK_CLIENT_ID: slack.oauthClient.id,
    KEYFLOW_SLACK_CLIENT_SECRET: slack.oauthClient.secret,
    KEYFLOW_SLACK_OAUTH_URL: slack.url,
    KEYFLOW_SLACK_BASE_URL: slack.apiUrl,
  });
});
afterAll(async () => {
  await t.close();
  await slack.close();
});

const people: Record<string, { id: string; email: string }> = {};
/**
 * A person signed in in a browser: a fresh session cookie (and CSRF token for writes). Sign-ups
 * are rate limited per client, so each name is one account, logged in anew and emptied of
 * credentials for each test.
 */
async function browser(name = 'alice') {
  let person = people[name];
  if (!person) {
    const email = `${name}-${Date.now()}@example.test`;
    const signup = await t.request('POST', '/api/auth/signup', { body: { email, password: 'correct horse battery' } });
    expect(signup.status).toBe(201);
    person = people[name] = { id: ((await signup.json()) as { user: { id: string } }).user.id, email };
  }
  await t.db.db.deleteFrom('credentials').where('owner_id', '=', person.id).execute();
  const session = await anotherSession(person.email);
  return { ...person, ...session };
}
async function anotherSession(email: string) {
  const login = await t.request('POST', '/api/auth/login', { body: { email, password: 'correct horse battery' } });
  return { cookie: login.headers.get('set-cookie')!.split(';')[0]!, csrfToken: ((await login.json()) as { csrfToken: string }).csrfToken };
}
const get = (path: string, cookie: string) => t.request('GET', path, { headers: { cookie } });

/** Start → consent (the fake issues a code) → the callback URL the browser would follow. */
async function consent(cookie: string): Promise<{ authorizeUrl: URL; callback: string }> {
  const start = await get('/api/oauth/slack/start', cookie);
  expect(start.status).toBe(302);
  const authorizeUrl = new URL(start.headers.get('location')!);
  const code = slack.issueCode(authorizeUrl.href);
  const state = authorizeUrl.searchParams.get('state')!;
  return { authorizeUrl, callback: `/api/oauth/slack/callback?code=${code}&state=${encodeURIComponent(state)}` };
}

async function connect(who: { cookie: string }): Promise<string> {
  const { callback } = await consent(who.cookie);
  const done = await get(callback, who.cookie);
  expect(done.status).toBe(302);
  const back = new URL(done.headers.get('location')!);
  expect(back.searchParams.get('connected')).toBe('slack');
  return back.searchParams.get('credentialId')!;
}

const backOf = (res: Response) => new URL(res.headers.get('location')!);

describe('Slack OAuth', () => {
  it('start redirects to the consent page with a state, PKCE S256, scopes and the callback', async () => {
    const alice = await browser();
    const { authorizeUrl } = await consent(alice.cookie);
    expect(authorizeUrl.origin + authorizeUrl.pathname).toBe(`${slack.url}/oauth/v2/authorize`);
    expect(authorizeUrl.searchParams.get('client_id')).toBe(slack.oauthClient.id);
    expect(authorizeUrl.searchParams.get('redirect_uri')).toBe('http://keyflow.test/api/oauth/slack/callback');
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizeUrl.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorizeUrl.searchParams.get('state')!.length).toBeGreaterThanOrEqual(32);
    expect(authorizeUrl.searchParams.get('scope')).toContain('chat:write,');
    // The state is stored only as a hash.
    const rows = await t.db.db.selectFrom('oauth_states').select(['id']).where('owner_id', '=', alice.id).execute();
    expect(rows.map((r) => r.id)).not.toContain(authorizeUrl.searchParams.get('state'));
  });

  it('an API token cannot start a flow (it has no session to bind the state to)', async () => {
    const { token } = await t.signup();
    const res = await t.request('GET', '/api/oauth/slack/start', { token });
    expect(res.status).toBe(403);
  });

  it('callback exchanges the code with the PKCE verifier and stores the tokens sealed as the owner’s credential', async () => {
    const alice = await browser();
    const id = await connect(alice);
    const exchange = slack.calls('oauth.v2.access').at(-1)!;
    expect(exchange.params.code_verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(exchange.params.grant_type).toBe('authorization_code');
    const row = await t.db.db.selectFrom('credentials').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ owner_id: alice.id, provider: 'slack', auth_kind: 'oauth2', label: 'Slack (Acme)' });
    expect(row.token_expires_at).toBeInstanceOf(Date);
    expect(row.ciphertext).not.toContain('xoxe');
    const list = (await (await get('/api/connections', alice.cookie)).json()) as { items: { id: string; status: string; authKind: string }[]; services: { service: string; status: string }[] };
    expect(list.items).toEqual([expect.objectContaining({ id, service: 'slack', authKind: 'oauth2', status: 'healthy' })]);
    expect(list.services).toContainEqual(expect.objectContaining({ service: 'slack', status: 'configured' }));
    expect(slack.violations).toEqual([]);
  });

  it('refuses a state used twice', async () => {
    const alice = await browser();
    const { callback } = await consent(alice.cookie);
    expect(backOf(await get(callback, alice.cookie)).searchParams.get('connected')).toBe('slack');
    const again = backOf(await get(callback, alice.cookie));
    expect(again.searchParams.get('error')).toBe('state_unknown');
    expect(await t.db.db.selectFrom('credentials').select('id').where('owner_id', '=', alice.id).execute()).toHaveLength(1);
  });

  it('refuses a state from another session (same person or another), leaving it usable by its own session', async () => {
    const alice = await browser();
    const { callback } = await consent(alice.cookie);
    const second = await anotherSession(alice.email);
    expect(backOf(await get(callback, second.cookie)).searchParams.get('error')).toBe('state_other_session');
    const mallory = await browser('mallory');
    expect(backOf(await get(callback, mallory.cookie)).searchParams.get('error')).toBe('state_other_session');
    expect(await t.db.db.selectFrom('credentials').select('id').where('owner_id', '=', mallory.id).execute()).toHaveLength(0);
    expect(backOf(await get(callback, alice.cookie)).searchParams.get('connected')).toBe('slack');
  });

  it('the PKCE verifier is checked: a code bound to another challenge is refused', async () => {
    const alice = await browser();
    const start = await get('/api/oauth/slack/start', alice.cookie);
    const authorizeUrl = new URL(start.headers.get('location')!);
    const forged = new URL(authorizeUrl);
    forged.searchParams.set('code_challenge', 'A'.repeat(43));
    const code = slack.issueCode(forged.href);
    const res = await get(`/api/oauth/slack/callback?code=${code}&state=${encodeURIComponent(authorizeUrl.searchParams.get('state')!)}`, alice.cookie);
    expect(backOf(res).searchParams.get('error')).toBe('exchange_failed');
    expect(await t.db.db.selectFrom('credentials').select('id').where('owner_id', '=', alice.id).execute()).toHaveLength(0);
  });

  it('a consent the person declined comes back as denied', async () => {
    const alice = await browser();
    const { authorizeUrl } = await consent(alice.cookie);
    const res = await get(`/api/oauth/slack/callback?error=access_denied&state=${encodeURIComponent(authorizeUrl.searchParams.get('state')!)}`, alice.cookie);
    expect(backOf(res).searchParams.get('error')).toBe('denied');
  });

  async function postWorkflow(owner: { cookie: string; csrfToken: string }) {
    const graph = {
      nodes: [
        { id: 'start', type: 'core.manual', version: 1, config: {}, position: { x: 0, y: 0 } },
        { id: 'post', type: 'slack.post_message', version: 1, config: { channel: 'C0001', text: 'hello {{ $trigger.name }}' }, position: { x: 0, y: 0 } },
      ],
      edges: [{ id: 'e', source: 'start', target: 'post' }],
    };
    const headers = { cookie: owner.cookie, 'x-csrf-token': owner.csrfToken };
    const wf = (await (await t.request('POST', '/api/workflows', { headers, body: { name: 'post', graph } })).json()) as { id: string };
    return async (expectFailure = false) => {
      const started = (await (await t.request('POST', `/api/workflows/${wf.id}/run`, { headers, body: { payload: { name: 'Ada' } } })).json()) as { runId: string };
      for (let i = 0; i < 200; i++) {
        const run = (await (await t.request('GET', `/api/runs/${started.runId}`, { headers })).json()) as { status: string; steps: { nodeId: string; status: string; error?: { message: string } }[] };
        if (run.status === 'failed' && !expectFailure) throw new Error(`run failed: ${JSON.stringify(run.steps.map((s) => s.error).filter(Boolean))}`);
        if (['succeeded', 'failed'].includes(run.status)) return run;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('run did not finish');
    };
  }

  it('refreshes an access token about to expire before lending it', async () => {
    const alice = await browser();
    slack.expiresIn = 60; // inside the two-minute margin
    const id = await connect(alice);
    slack.expiresIn = 43_200;
    const run = await postWorkflow(alice);
    const before = slack.refreshes;
    expect((await run()).status).toBe('succeeded');
    expect(slack.refreshes).toBe(before + 1);
    const posted = slack.calls('chat.postMessage').at(-1)!;
    const refreshed = slack.calls('oauth.v2.access').at(-1)!;
    expect(refreshed.params.grant_type).toBe('refresh_token');
    // The post used the new token, not the one issued at connect time.
    const row = await t.db.db.selectFrom('credentials').select(['token_expires_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.token_expires_at!.getTime()).toBeGreaterThan(Date.now() + 3_600_000);
    expect(posted.token).toMatch(/^xoxe\.xoxb-oauth-\d+/);
    expect(slack.tokens.has(posted.token!)).toBe(true);
  });

  it('refreshes once on a 401 and retries the call', async () => {
    const alice = await browser();
    await connect(alice);
    const issued = slack.calls('oauth.v2.access').length;
    const run = await postWorkflow(alice);
    // Slack revokes the access token early (token_expired), the refresh token still works.
    const current = [...slack.tokens.keys()].filter((k) => k.startsWith('xoxe.')).at(-1)!;
    slack.tokens.delete(current);
    const before = slack.refreshes;
    expect((await run()).status).toBe('succeeded');
    expect(slack.refreshes).toBe(before + 1);
    const posts = slack.calls('chat.postMessage').slice(-2);
    expect(posts.map((p) => p.token === current)).toEqual([true, false]);
    expect(slack.calls('oauth.v2.access').length).toBe(issued + 1);
  });

  it('two workers refreshing the same credential at once make one refresh', async () => {
    const alice = await browser();
    const id = await connect(alice);
    const row = await t.db.db.selectFrom('credentials').select(['ciphertext']).where('id', '=', id).executeTakeFirstOrThrow();
    const seen = (JSON.parse(t.keyring.decrypt(alice.id, row.ciphertext)) as { accessToken: string }).accessToken;
    const config = { oauthClients: { SLACK: { clientId: slack.oauthClient.id, clientSecret: slack.oauthClient.secret } }, oauthUrls: { SLACK: slack.url } };
    const a = createOAuthRefresher({ db: t.db.db, keyring: t.keyring, config });
    const b = createOAuthRefresher({ db: t.db.db, keyring: t.keyring, config });
    slack.refreshDelayMs = 300;
    const before = slack.refreshes;
    const [x, y] = await Promise.all([a.refresh(alice.id, id, { force: true, seen }), b.refresh(alice.id, id, { force: true, seen })]);
    slack.refreshDelayMs = 0;
    expect(slack.refreshes).toBe(before + 1);
    expect(x).toBe(y);
    expect(x).not.toBe(seen);
    expect(a.exchanges + b.exchanges).toBe(1);
  });

  it('a refresh token the service refuses marks the credential invalid, with a message saying how to fix it', async () => {
    const alice = await browser();
    const id = await connect(alice);
    slack.refreshTokens.clear();
    const current = [...slack.tokens.keys()].filter((k) => k.startsWith('xoxe.')).at(-1)!;
    slack.tokens.delete(current);
    const run = await postWorkflow(alice);
    const result = await run(true);
    expect(result.status).toBe('failed');
    const failed = result.steps.find((s) => s.nodeId === 'post' && s.status === 'failed')!;
    expect(failed.error!.message).toMatch(/refused to refresh credential .* reconnect Slack under Connections/);
    const list = (await (await get('/api/connections', alice.cookie)).json()) as { items: { id: string; status: string; lastError: string }[] };
    expect(list.items.find((i) => i.id === id)).toMatchObject({ status: 'invalid', lastError: expect.stringContaining('reconnect Slack') });
  });

  it('disconnect revokes the token at Slack and deletes the credential', async () => {
    const alice = await browser();
    const id = await connect(alice);
    const res = await t.request('DELETE', `/api/connections/${id}`, { headers: { cookie: alice.cookie, 'x-csrf-token': alice.csrfToken } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ revoked: 'revoked' });
    const revoke = slack.calls('auth.revoke').at(-1)!;
    expect(revoke.token).toMatch(/^xoxe\.xoxb-oauth-/);
    expect(slack.revoked.has(revoke.token!)).toBe(true);
    expect(await t.db.db.selectFrom('credentials').select('id').where('id', '=', id).execute()).toHaveLength(0);
  });
});

describe('OAuth not configured', () => {
  it('lists the service as not configured and refuses to start, naming the variables', async () => {
    const bare = await createTestApp('pglite');
    try {
      const signup = await bare.request('POST', '/api/auth/signup', { body: { email: `bare${Date.now()}@example.test`, password: 'correct horse battery' } });
      const cookie = signup.headers.get('set-cookie')!.split(';')[0]!;
      const list = (await (await bare.request('GET', '/api/connections', { headers: { cookie } })).json()) as { services: { service: string; status: string }[] };
      expect(list.services).toContainEqual(expect.objectContaining({ service: 'slack', status: 'not_configured' }));
      const start = await bare.request('GET', '/api/oauth/slack/start', { headers: { cookie } });
      expect(start.status).toBe(409);
      expect(await start.text()).toContain('KEYFLOW_SLACK_CLIENT_ID');
      expect((await bare.request('GET', '/api/oauth/nosuch/start', { headers: { cookie } })).status).toBe(404);
    } finally {
      await bare.close();
    }
  });
});
