// Google on the server against the fake Google (one origin for every Google API and the token
// endpoint: KEYFLOW_GOOGLE_BASE_URL only): the connect flow with PKCE and incremental scopes,
// granted scopes checked at run time, refresh after a 401, revoke on disconnect, and
// service-account JSON keys (checked on create, proven by a JWT exchange, never shown back).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeGoogle, type FakeGoogle } from '@keyflow/nodes/testing/fake-google';
import { createTestApp, type TestApp } from './support.ts';

const AUTH = 'https://www.googleapis.com/auth/';
let google: FakeGoogle;
let t: TestApp;
let spreadsheetId: string;

beforeAll(async () => {
  google = await createFakeGoogle();
  const { fakeSheets } = await import('@keyflow/nodes/testing/fake-google');
  spreadsheetId = fakeSheets(google).addSpreadsheet('Log', { Log: [['When', 'What']] }).spreadsheetId;
  t = await createTestApp('postgres', {
    KEYFLOW_PUBLIC_URL: 'http://keyflow.test',
    KEYFLOW_GOOGLE_CLIENT_ID: google.client.clientId,
    KEYFLOW_GOOGLE_CLIENT_SECRET: google.client.clientSecret,
    KEYFLOW_GOOGLE_BASE_URL: google.url,
  });
});
afterAll(async () => {
  await t.close();
  await google.close();
});

interface Person { id: string; cookie: string; csrf: string; token: string }
async function person(): Promise<Person> {
  const email = `g-${Date.now()}-${Math.random().toString(36).slice(2)}@example.test`;
  const { id, token } = await t.signup(email);
  const login = await t.request('POST', '/api/auth/login', { body: { email, password: 'correct horse battery' } });
  return { id, token, cookie: login.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await login.json()) as { csrfToken: string }).csrfToken };
}
const browserGet = (p: Person, path: string) => t.request('GET', path, { headers: { cookie: p.cookie } });

const appendGraph = (sid: string) => ({
  nodes: [
    { id: 'start', type: 'core.manual', version: 1, config: {}, position: { x: 0, y: 0 } },
    { id: 'log', type: 'sheets.append_rows', version: 1, config: { spreadsheetId: sid, range: 'Log!A:B', rows: [['now', '{{ $trigger.what }}']] }, position: { x: 0, y: 0 } },
  ],
  edges: [{ id: 'e', source: 'start', target: 'log' }],
});

async function workflow(p: Person, graph: unknown): Promise<string> {
  const res = await t.request('POST', '/api/workflows', { token: p.token, body: { name: 'google', graph } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function run(p: Person, workflowId: string) {
  const started = (await (await t.request('POST', `/api/workflows/${workflowId}/run`, { token: p.token, body: { payload: { what: 'hello' } } })).json()) as { runId: string };
  for (let i = 0; i < 300; i++) {
    const r = (await (await t.request('GET', `/api/runs/${started.runId}`, { token: p.token })).json()) as { status: string; steps: { nodeId: string; status: string; error?: { message: string } }[] };
    if (['succeeded', 'failed'].includes(r.status)) return r;
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error('run did not finish');
}

/** Start (for a workflow) → the fake's consent screen → the callback; answers the new credential id. */
async function connect(p: Person, query: string, consent: Parameters<FakeGoogle['consent']>[1] = {}): Promise<{ credentialId: string; authorize: URLSearchParams }> {
  const start = await browserGet(p, `/api/oauth/google/start${query}`);
  expect(start.status).toBe(302);
  const authorizeUrl = start.headers.get('location')!;
  const back = google.consent(authorizeUrl, consent);
  const done = await browserGet(p, `${back.pathname}${back.search}`);
  const landed = new URL(done.headers.get('location')!);
  expect(landed.searchParams.get('connected')).toBe('google');
  return { credentialId: landed.searchParams.get('credentialId')!, authorize: new URL(authorizeUrl).searchParams };
}

describe('Google OAuth', () => {
  it('asks only for the scopes of the workflow’s nodes, offline, with PKCE and incremental consent', async () => {
    const alice = await person();
    const wf = await workflow(alice, appendGraph(spreadsheetId));
    const start = await browserGet(alice, `/api/oauth/google/start?workflowId=${wf}`);
    const url = new URL(start.headers.get('location')!);
    expect(url.origin + url.pathname).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(url.searchParams.get('scope')!.split(' ').sort()).toEqual(['openid', `${AUTH}drive.metadata.readonly`, `${AUTH}spreadsheets`, `${AUTH}userinfo.email`].sort());
    expect(url.searchParams.get('access_type')).toBe('offline');
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.get('include_granted_scopes')).toBe('true');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')!.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses another owner’s workflow and scopes Google does not offer here, naming the field', async () => {
    const alice = await person();
    const bob = await person();
    const wf = await workflow(alice, appendGraph(spreadsheetId));
    expect((await browserGet(bob, `/api/oauth/google/start?workflowId=${wf}`)).status).toBe(404);
    const bad = await browserGet(alice, `/api/oauth/google/start?scopes=${encodeURIComponent(`${AUTH}cloud-platform`)}`);
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain('scopes');
    const slack = await browserGet(alice, `/api/oauth/slack/start?scopes=chat:write`);
    expect([409, 422]).toContain(slack.status);
  });

  it('exchanges the code with the PKCE verifier at the base URL’s token endpoint, then runs a Sheets node with it', async () => {
    const alice = await person();
    const wf = await workflow(alice, appendGraph(spreadsheetId));
    const { credentialId } = await connect(alice, `?workflowId=${wf}`);
    const exchange = google.requests.filter((r) => r.path === '/token').at(-1)!;
    const form = new URLSearchParams(exchange.body.toString());
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    const row = await t.db.db.selectFrom('credentials').selectAll().where('id', '=', credentialId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ owner_id: alice.id, provider: 'google', auth_kind: 'oauth2', label: 'Google (ada@example.com)' });
    const sealed = JSON.parse(t.keyring.decrypt(alice.id, row.ciphertext)) as { scope: string; refreshToken: string };
    expect(sealed.scope).toContain(`${AUTH}spreadsheets`);
    expect(sealed.refreshToken).toMatch(/^1\/\//);
    expect((await run(alice, wf)).status).toBe('succeeded');
    const list = (await (await t.request('GET', '/api/connections', { token: alice.token })).json()) as { items: { id: string; status: string }[] };
    expect(list.items).toContainEqual(expect.objectContaining({ id: credentialId, status: 'healthy' }));
    const tested = (await (await t.request('POST', `/api/credentials/${credentialId}/test`, { token: alice.token })).json()) as { status: string; message: string };
    expect(tested.status).toBe('valid');
    // Identity from tokeninfo: the account's email, shown on the connections page.
    expect(tested.message).toContain('ada@example.com');
  });

  it('a workflow needing a scope the connection was not granted fails naming it, without calling Sheets', async () => {
    const alice = await person();
    const wf = await workflow(alice, appendGraph(spreadsheetId));
    // The person unticks the Sheets permission on the consent screen (an account that granted nothing before:
    // include_granted_scopes would otherwise bring back an earlier grant, as at Google).
    await connect(alice, `?workflowId=${wf}`, { email: 'narrow@example.com', grant: ['openid', `${AUTH}userinfo.email`] });
    const before = google.requests.filter((r) => r.path.startsWith('/v4/')).length;
    const result = await run(alice, wf);
    expect(result.status).toBe('failed');
    expect(result.steps.find((s) => s.nodeId === 'log' && s.status === 'failed')!.error!.message).toContain(`${AUTH}spreadsheets`);
    expect(google.requests.filter((r) => r.path.startsWith('/v4/')).length).toBe(before);
  });

  it('refreshes once after a 401 and the step succeeds', async () => {
    const alice = await person();
    const wf = await workflow(alice, appendGraph(spreadsheetId));
    await connect(alice, `?workflowId=${wf}`);
    for (const tok of google.tokens.values()) if (tok.kind === 'user') tok.revoked = tok.revoked || tok.refreshToken !== undefined;
    const grantsBefore = google.requests.filter((r) => r.path === '/token' && new URLSearchParams(r.body.toString()).get('grant_type') === 'refresh_token').length;
    expect((await run(alice, wf)).status).toBe('succeeded');
    const grants = google.requests.filter((r) => r.path === '/token' && new URLSearchParams(r.body.toString()).get('grant_type') === 'refresh_token');
    expect(grants.length).toBe(grantsBefore + 1);
  });

  it('refreshes an access token about to expire before lending it (no 401 first)', async () => {
    const alice = await person();
    const wf = await workflow(alice, appendGraph(spreadsheetId));
    google.accessTokenLifetimeMs = 60_000; // inside the two-minute margin
    await connect(alice, `?workflowId=${wf}`);
    google.accessTokenLifetimeMs = 3600_000;
    const before = google.requests.length;
    expect((await run(alice, wf)).status).toBe('succeeded');
    const after = google.requests.slice(before);
    const refresh = after.findIndex((r) => r.path === '/token' && new URLSearchParams(r.body.toString()).get('grant_type') === 'refresh_token');
    const append = after.findIndex((r) => r.path.endsWith(':append'));
    expect(refresh).toBeGreaterThanOrEqual(0);
    expect(refresh).toBeLessThan(append);
    expect(after.some((r) => r.path.endsWith(':append') && r !== after[append])).toBe(false);
  });

  it('refuses a callback whose state was never issued, and one replayed', async () => {
    const alice = await person();
    const start = await browserGet(alice, '/api/oauth/google/start');
    const back = google.consent(start.headers.get('location')!);
    const forged = new URL(back);
    forged.searchParams.set('state', 'x'.repeat(43));
    expect(new URL((await browserGet(alice, `${forged.pathname}${forged.search}`)).headers.get('location')!).searchParams.get('error')).toBe('state_unknown');
    expect(new URL((await browserGet(alice, `${back.pathname}${back.search}`)).headers.get('location')!).searchParams.get('connected')).toBe('google');
    expect(new URL((await browserGet(alice, `${back.pathname}${back.search}`)).headers.get('location')!).searchParams.get('error')).toBe('state_unknown');
  });

  it('disconnect revokes the token at Google and deletes the credential', async () => {
    const alice = await person();
    const { credentialId } = await connect(alice, '');
    const row = await t.db.db.selectFrom('credentials').select('ciphertext').where('id', '=', credentialId).executeTakeFirstOrThrow();
    const { refreshToken } = JSON.parse(t.keyring.decrypt(alice.id, row.ciphertext)) as { refreshToken: string };
    const res = await t.request('DELETE', `/api/connections/${credentialId}`, { headers: { cookie: alice.cookie, 'x-csrf-token': alice.csrf } });
    expect(await res.json()).toEqual({ revoked: 'revoked' });
    expect(google.refreshTokens.get(refreshToken)!.revoked).toBe(true);
    expect(await t.db.db.selectFrom('credentials').select('id').where('id', '=', credentialId).execute()).toHaveLength(0);
  });
});

describe('Google service-account keys', () => {
  it('are checked on create naming the bad fields, never shown back, and proven by a JWT exchange', async () => {
    const alice = await person();
    const key = google.serviceAccountKey({ email: 'robot@fake-project.iam.gserviceaccount.com' });
    const broken = JSON.stringify({ ...JSON.parse(key), client_email: undefined, private_key: 'nope' });
    const bad = await t.request('POST', '/api/credentials', { token: alice.token, body: { provider: 'google', label: 'SA', secret: broken } });
    expect(bad.status).toBe(422);
    const badText = await bad.text();
    expect(badText).toContain('client_email');
    expect(badText).toContain('private_key');
    expect(badText).not.toContain('nope');
    const created = await t.request('POST', '/api/credentials', { token: alice.token, body: { provider: 'google', label: 'SA', secret: key } });
    expect(created.status).toBe(201);
    const body = await created.text();
    expect(body).not.toContain('PRIVATE KEY');
    const { id } = JSON.parse(body) as { id: string };
    const tested = (await (await t.request('POST', `/api/credentials/${id}/test`, { token: alice.token })).json()) as { status: string; message: string };
    expect(tested.status).toBe('valid');
    expect(tested.message).toContain('robot@fake-project.iam.gserviceaccount.com');
    const grant = google.requests.filter((r) => r.path === '/token').at(-1)!;
    expect(new URLSearchParams(grant.body.toString()).get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const wf = await workflow(alice, appendGraph(spreadsheetId));
    expect((await run(alice, wf)).status).toBe('succeeded');
    // The editor's spreadsheet dropdown (a Drive listing with the key) and a spreadsheet's sheets.
    const sheetsList = (await (await t.request('GET', `/api/nodes/sheets.append_rows/options/spreadsheets?credentialId=${id}&search=Log`, { token: alice.token })).json()) as { items: { value: string; label: string }[] };
    expect(sheetsList.items).toContainEqual(expect.objectContaining({ value: spreadsheetId, label: 'Log' }));
    const tabs = (await (await t.request('GET', `/api/nodes/sheets.read_range/options/sheets?credentialId=${id}&spreadsheetId=${spreadsheetId}`, { token: alice.token })).json()) as { items: { value: string }[] };
    expect(tabs.items.map((i) => i.value)).toEqual(['Log']);
    // Disconnecting a key revokes nothing: the private key is never sent to the revocation endpoint.
    const revokesBefore = google.requests.filter((r) => r.path === '/revoke').length;
    const gone = await t.request('DELETE', `/api/connections/${id}`, { headers: { cookie: alice.cookie, 'x-csrf-token': alice.csrf } });
    expect(await gone.json()).toEqual({ revoked: 'not_offered' });
    expect(google.requests.filter((r) => r.path === '/revoke').length).toBe(revokesBefore);
  });
});
