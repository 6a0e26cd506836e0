// A fake Asana API on loopback, for tests. It speaks Asana's wire format as far as Keyflow uses
// it: Bearer tokens (personal access tokens with every scope, or OAuth tokens with granular
// scopes), the { data } envelope and { errors: [{ message, help }] } on failure, offset pages
// (limit, offset, next_page { offset, path, uri }), workspace search (sorted by created_at,
// paged with created_at.before, at most 100 a page), 429 with Retry-After, and webhooks:
// POST /webhooks first POSTs an X-Hook-Secret to the target and creates the webhook only when
// the target echoes it, like Asana; deliveries are signed X-Hook-Signature (hex HMAC-SHA256).
// Every request is recorded for the spec check.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path below the API root, e.g. '/tasks'. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface FakeUser { gid: string; name: string; email: string; workspaces: string[] }
export interface FakeToken { token: string; userGid: string; /** undefined: a personal access token (every scope). */ scopes?: string[] }
export interface FakeCustomField { gid: string; name: string; resource_subtype: 'text' | 'number' | 'enum' | 'multi_enum' | 'date' | 'people'; enum_options?: Array<{ gid: string; name: string; enabled: boolean }> }
export interface FakeProject { gid: string; name: string; workspace: string; archived: boolean; customFields: string[] }
export interface FakeSection { gid: string; name: string; project: string }
export interface FakeTask {
  gid: string;
  name: string;
  workspace: string;
  projects: string[];
  sections: string[];
  html_notes: string;
  assignee: string | null;
  due_on: string | null;
  due_at: string | null;
  completed: boolean;
  custom_fields: Record<string, unknown>;
  created_at: string;
}
export interface FakeStory { gid: string; task: string; html_text: string; author: string }
export interface FakeWebhook { gid: string; resource: string; target: string; secret: string; active: boolean }

export interface FakeAsana {
  /** The API root, e.g. http://127.0.0.1:53211/api/1.0 (what KEYFLOW_ASANA_BASE_URL would be). */
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly tokens: FakeToken[];
  readonly users: FakeUser[];
  readonly workspaces: Array<{ gid: string; name: string }>;
  readonly projects: FakeProject[];
  readonly sections: FakeSection[];
  readonly customFields: FakeCustomField[];
  readonly tasks: FakeTask[];
  readonly stories: FakeStory[];
  readonly webhooks: FakeWebhook[];
  /** The next n requests answer 429 (Retry-After: `retryAfterSeconds`). */
  rateLimit(n: number, retryAfterSeconds?: number): void;
  /** The next n requests answer 500. */
  failServer(n: number): void;
  /** How the handshake reaches the target (default: fetch); e.g. an in-memory app's request(). */
  deliverTo: (url: string, init: { headers: Record<string, string>; body: string }) => Promise<{ status: number; headers: Headers; body: string }>;
  /** POSTs a signed delivery of `events` to the webhook's target, as Asana does. */
  deliver(webhookGid: string, events: unknown[], opts?: { signature?: string }): Promise<{ status: number; body: string }>;
  newGid(): string;
  /** The OAuth app the fake knows (KEYFLOW_ASANA_CLIENT_ID / _SECRET in tests). */
  readonly oauthClient: { id: string; secret: string };
  /** The origin that serves /-/oauth_token (KEYFLOW_ASANA_OAUTH_URL). */
  readonly oauthUrl: string;
  /** Consents on the person's behalf: a code for this authorize URL (its PKCE challenge and scopes kept). */
  issueCode(authorizeUrl: string): string;
  /** Token requests seen, form fields as sent. */
  readonly tokenRequests: Array<Record<string, string>>;
  close(): Promise<void>;
}

const MAX_LIMIT = 100;
const SEARCH_PAGE = 100;

function errors(res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...extra });
  res.end(JSON.stringify({ errors: [{ message, help: 'For more information on API status codes and how to handle them, read the docs on errors: https://developers.asana.com/docs/errors' }] }));
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// Which scope each operation needs (Asana's docs list one per endpoint).
const SCOPES: Array<[string, RegExp, string]> = [
  ['GET', /^\/users\/[^/]+$/, 'users:read'],
  ['GET', /^\/workspaces$/, 'workspaces:read'],
  ['GET', /^\/workspaces\/[^/]+\/projects$/, 'projects:read'],
  ['GET', /^\/workspaces\/[^/]+\/users$/, 'users:read'],
  ['GET', /^\/workspaces\/[^/]+\/tasks\/search$/, 'tasks:read'],
  ['GET', /^\/projects\/[^/]+\/sections$/, 'projects:read'],
  ['GET', /^\/projects\/[^/]+\/custom_field_settings$/, 'custom_fields:read'],
  ['GET', /^\/tasks\/[^/]+$/, 'tasks:read'],
  ['POST', /^\/tasks$/, 'tasks:write'],
  ['PUT', /^\/tasks\/[^/]+$/, 'tasks:write'],
  ['POST', /^\/tasks\/[^/]+\/addProject$/, 'tasks:write'],
  ['POST', /^\/sections\/[^/]+\/addTask$/, 'tasks:write'],
  ['POST', /^\/tasks\/[^/]+\/stories$/, 'stories:write'],
  ['POST', /^\/webhooks$/, 'webhooks:write'],
  ['DELETE', /^\/webhooks\/[^/]+$/, 'webhooks:delete'],
];

export async function startFakeAsana(): Promise<FakeAsana> {
  let seq = 1_200_000_000_000_000;
  const newGid = () => String((seq += 7));
  const ws = { gid: newGid(), name: 'Acme' };
  const other = { gid: newGid(), name: 'Side project' };
  const me: FakeUser = { gid: newGid(), name: 'Ada Lovelace', email: 'ada@example.com', workspaces: [ws.gid] };
  const bob: FakeUser = { gid: newGid(), name: 'Bob Builder', email: 'bob@example.com', workspaces: [ws.gid, other.gid] };
  const priority: FakeCustomField = { gid: newGid(), name: 'Priority', resource_subtype: 'enum', enum_options: [{ gid: newGid(), name: 'High', enabled: true }, { gid: newGid(), name: 'Low', enabled: true }, { gid: newGid(), name: 'Retired', enabled: false }] };
  const estimate: FakeCustomField = { gid: newGid(), name: 'Estimate', resource_subtype: 'number' };
  const launch: FakeProject = { gid: newGid(), name: 'Launch', workspace: ws.gid, archived: false, customFields: [priority.gid, estimate.gid] };
  const ops: FakeProject = { gid: newGid(), name: 'Ops', workspace: ws.gid, archived: false, customFields: [] };
  let rateLimited = 0;
  let retryAfter = 1;
  let serverFailures = 0;

  const state = {
    requests: [] as RecordedRequest[],
    tokens: [] as FakeToken[],
    users: [me, bob],
    workspaces: [ws, other],
    projects: [launch, ops],
    sections: [{ gid: newGid(), name: 'To do', project: launch.gid }, { gid: newGid(), name: 'Doing', project: launch.gid }] as FakeSection[],
    customFields: [priority, estimate],
    tasks: [] as FakeTask[],
    stories: [] as FakeStory[],
    webhooks: [] as FakeWebhook[],
  };
  let base = '';

  const taskJson = (t: FakeTask) => ({
    gid: t.gid,
    resource_type: 'task',
    name: t.name,
    permalink_url: `https://app.asana.com/0/${t.projects[0] ?? '0'}/${t.gid}`,
    completed: t.completed,
    due_on: t.due_on,
    due_at: t.due_at,
    assignee: t.assignee ? { gid: t.assignee, resource_type: 'user' } : null,
    created_at: t.created_at,
    html_notes: t.html_notes,
    custom_fields: (state.projects.filter((p) => t.projects.includes(p.gid)).flatMap((p) => p.customFields)).map((g) => ({ ...state.customFields.find((f) => f.gid === g)!, value: t.custom_fields[g] ?? null })),
  });

  function page<T>(res: ServerResponse, path: string, query: Record<string, string>, items: T[], limitAllowed = true): void {
    const limit = limitAllowed && query.limit ? Number(query.limit) : MAX_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return errors(res, 400, 'limit: Not a valid integer between 1 and 100');
    const start = query.offset ? Number(Buffer.from(query.offset, 'base64url').toString('utf8').replace(/^o:/, '')) : 0;
    if (!Number.isInteger(start) || start < 0) return errors(res, 400, 'offset: Your pagination token is invalid');
    const slice = items.slice(start, start + limit);
    const more = start + limit < items.length;
    const offset = Buffer.from(`o:${start + limit}`).toString('base64url');
    send(res, 200, { data: slice, next_page: more ? { offset, path: `${path}?limit=${limit}&offset=${offset}`, uri: `${base}${path}?limit=${limit}&offset=${offset}` } : null });
  }

  function validRef(kind: 'project' | 'section' | 'workspace' | 'user', gid: unknown): boolean {
    if (typeof gid !== 'string') return false;
    if (kind === 'project') return state.projects.some((p) => p.gid === gid);
    if (kind === 'section') return state.sections.some((s) => s.gid === gid);
    if (kind === 'workspace') return state.workspaces.some((w) => w.gid === gid);
    return gid === 'me' || state.users.some((u) => u.gid === gid || u.email === gid);
  }

  function userOf(token: FakeToken, gid: string): string {
    return gid === 'me' ? token.userGid : (state.users.find((u) => u.gid === gid || u.email === gid)?.gid ?? gid);
  }

  function applyCustomFields(res: ServerResponse, task: FakeTask, given: unknown): boolean {
    if (given === undefined) return true;
    for (const [gid, value] of Object.entries(given as Record<string, unknown>)) {
      const field = state.customFields.find((f) => f.gid === gid);
      const allowed = state.projects.filter((p) => task.projects.includes(p.gid)).some((p) => p.customFields.includes(gid));
      if (!field || !allowed) {
        errors(res, 400, `custom_fields: Custom field with ID ${gid} is not on given object`);
        return false;
      }
      if (field.resource_subtype === 'enum' && value !== null && !field.enum_options!.some((o) => o.gid === value && o.enabled)) {
        errors(res, 400, `custom_fields: enum option ${String(value)} is not valid for the custom field`);
        return false;
      }
      if (field.resource_subtype === 'number' && value !== null && typeof value !== 'number') {
        errors(res, 400, 'custom_fields: number_value must be a number');
        return false;
      }
      task.custom_fields[gid] = value;
    }
    return true;
  }

  async function handshake(target: string): Promise<string | undefined> {
    const secret = randomBytes(16).toString('hex');
    try {
      const answer = await fake.deliverTo(target, { headers: { 'x-hook-secret': secret, 'content-type': 'application/json' }, body: '' });
      if ((answer.status === 200 || answer.status === 204) && answer.headers.get('x-hook-secret') === secret) return secret;
    } catch {
      // the target is unreachable: no webhook
    }
    return undefined;
  }

  const codes = new Map<string, { challenge: string | null; redirectUri: string; scopes: string[] }>();
  const refreshTokens = new Map<string, { userGid: string; scopes: string[] }>();
  const tokenRequests: Array<Record<string, string>> = [];
  const oauthClient = { id: '1209000000000001', secret: 'fake-asana-client-secret-0123456789' };

  // POST /-/oauth_token (form-encoded, client_secret_post): Asana's answer carries the user as `data`.
  async function tokenEndpoint(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    tokenRequests.push(form);
    const fail = (error: string) => send(res, 400, { error, error_description: error.replaceAll('_', ' ') });
    if (form.client_id !== oauthClient.id || form.client_secret !== oauthClient.secret) return fail('invalid_client');
    let grant: { userGid: string; scopes: string[] };
    if (form.grant_type === 'authorization_code') {
      const code = codes.get(form.code ?? '');
      if (!code) return fail('invalid_grant');
      codes.delete(form.code!);
      if (code.redirectUri !== form.redirect_uri) return fail('invalid_grant');
      if (code.challenge && createHash('sha256').update(form.code_verifier ?? '').digest('base64url') !== code.challenge) return fail('invalid_grant');
      grant = { userGid: state.users[0]!.gid, scopes: code.scopes };
    } else if (form.grant_type === 'refresh_token') {
      const known = refreshTokens.get(form.refresh_token ?? '');
      if (!known) return fail('invalid_grant');
      grant = known;
    } else {
      return fail('unsupported_grant_type');
    }
    const access: FakeToken = { token: `2/${newGid()}/${newGid()}:${randomBytes(16).toString('hex')}`, userGid: grant.userGid, scopes: grant.scopes };
    state.tokens.push(access);
    const refresh = form.grant_type === 'refresh_token' ? form.refresh_token! : `2/${newGid()}:${randomBytes(16).toString('hex')}`;
    refreshTokens.set(refresh, grant);
    const u = state.users.find((x) => x.gid === grant.userGid)!;
    send(res, 200, { access_token: access.token, token_type: 'bearer', expires_in: 3600, ...(form.grant_type === 'authorization_code' ? { refresh_token: refresh } : {}), data: { id: u.gid, gid: u.gid, name: u.name, email: u.email } });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'POST' && url.pathname === '/-/oauth_token') return tokenEndpoint(req, res);
    if (!url.pathname.startsWith('/api/1.0/')) return errors(res, 404, 'Not Found');
    const path = url.pathname.slice('/api/1.0'.length);
    const query = Object.fromEntries(url.searchParams);
    const raw = await readBody(req);
    const method = req.method ?? 'GET';
    state.requests.push({ method, path, query, headers: req.headers, body: raw });

    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = state.tokens.find((t) => t.token === auth);
    if (!token) return errors(res, 401, 'Not Authorized');
    if (rateLimited > 0) {
      rateLimited -= 1;
      return errors(res, 429, 'You have made too many requests recently. Please, be chill.', { 'retry-after': String(retryAfter) });
    }
    if (serverFailures > 0) {
      serverFailures -= 1;
      return errors(res, 500, 'Server Error');
    }
    const needed = SCOPES.find(([m, re]) => m === method && re.test(path))?.[2];
    if (token.scopes && needed && !token.scopes.includes(needed)) return errors(res, 403, `Forbidden: this token is missing the ${needed} scope`);

    let body: { data?: Record<string, unknown> } = {};
    if (raw !== '') {
      try {
        body = JSON.parse(raw) as typeof body;
      } catch {
        return errors(res, 400, 'Could not parse request data, invalid JSON');
      }
    }
    const data = body.data ?? {};
    const seg = path.split('/').filter(Boolean);
    const user = state.users.find((u) => u.gid === token.userGid)!;

    if (method === 'GET' && seg[0] === 'users' && seg.length === 2) {
      const u = seg[1] === 'me' ? user : state.users.find((x) => x.gid === seg[1]);
      if (!u) return errors(res, 404, `user: Unknown object: ${seg[1]}`);
      return send(res, 200, { data: { gid: u.gid, resource_type: 'user', name: u.name, email: u.email, workspaces: state.workspaces.filter((w) => u.workspaces.includes(w.gid)).map((w) => ({ gid: w.gid, name: w.name, resource_type: 'workspace' })) } });
    }
    if (method === 'GET' && path === '/workspaces') return page(res, path, query, state.workspaces.filter((w) => user.workspaces.includes(w.gid)).map((w) => ({ ...w, resource_type: 'workspace' })));
    if (seg[0] === 'workspaces' && seg.length >= 3) {
      const w = state.workspaces.find((x) => x.gid === seg[1] && user.workspaces.includes(x.gid));
      if (!w) return errors(res, 404, `workspace: Unknown object: ${seg[1]}`);
      if (method === 'GET' && seg[2] === 'projects') return page(res, path, query, state.projects.filter((p) => p.workspace === w.gid && (query.archived !== 'false' || !p.archived)).map((p) => ({ gid: p.gid, name: p.name, resource_type: 'project' })));
      if (method === 'GET' && seg[2] === 'users') return page(res, path, query, state.users.filter((u) => u.workspaces.includes(w.gid)).map((u) => ({ gid: u.gid, name: u.name, email: u.email, resource_type: 'user' })), false);
      if (method === 'GET' && seg[2] === 'tasks' && seg[3] === 'search') {
        let found = state.tasks.filter((t) => t.workspace === w.gid);
        if (query.text) found = found.filter((t) => `${t.name} ${t.html_notes}`.toLowerCase().includes(query.text!.toLowerCase()));
        if (query['projects.any']) found = found.filter((t) => query['projects.any']!.split(',').some((p) => t.projects.includes(p)));
        if (query['assignee.any']) found = found.filter((t) => query['assignee.any']!.split(',').map((a) => userOf(token, a)).includes(t.assignee ?? ''));
        if (query.completed !== undefined) found = found.filter((t) => t.completed === (query.completed === 'true'));
        if (query['created_at.before']) found = found.filter((t) => t.created_at < query['created_at.before']!);
        found.sort((a, b) => (query.sort_ascending === 'true' ? a.created_at.localeCompare(b.created_at) : b.created_at.localeCompare(a.created_at)));
        return send(res, 200, { data: found.slice(0, SEARCH_PAGE).map(taskJson) });
      }
    }
    if (seg[0] === 'projects' && seg.length === 3 && method === 'GET') {
      const p = state.projects.find((x) => x.gid === seg[1]);
      if (!p) return errors(res, 404, `project: Unknown object: ${seg[1]}`);
      if (seg[2] === 'sections') return page(res, path, query, state.sections.filter((s) => s.project === p.gid).map((s) => ({ gid: s.gid, name: s.name, resource_type: 'section' })));
      if (seg[2] === 'custom_field_settings')
        return page(res, path, query, p.customFields.map((g, i) => ({ gid: `${p.gid}${i}`, resource_type: 'custom_field_setting', custom_field: { ...state.customFields.find((f) => f.gid === g)!, resource_type: 'custom_field' } })));
    }
    if (method === 'POST' && path === '/tasks') {
      if (typeof data.name !== 'string' || data.name === '') return errors(res, 400, 'name: Missing input');
      const projects = (data.projects as string[] | undefined) ?? [];
      if (!projects.every((p) => validRef('project', p))) return errors(res, 400, `projects: [0]: Not a recognized ID: ${projects[0]}`);
      const workspace = (data.workspace as string | undefined) ?? state.projects.find((p) => p.gid === projects[0])?.workspace;
      if (!workspace) return errors(res, 400, 'workspace: Missing input');
      if (!validRef('workspace', workspace)) return errors(res, 400, `workspace: Not a recognized ID: ${workspace}`);
      if (data.assignee !== undefined && data.assignee !== null && !validRef('user', data.assignee)) return errors(res, 400, `assignee: Not a recognized ID: ${String(data.assignee)}`);
      if (typeof data.html_notes === 'string' && !/^<body>[\s\S]*<\/body>$/.test(data.html_notes)) return errors(res, 400, 'html_notes: XML is invalid');
      const task: FakeTask = {
        gid: newGid(), name: data.name, workspace, projects, sections: [], html_notes: (data.html_notes as string | undefined) ?? '<body></body>',
        assignee: typeof data.assignee === 'string' ? userOf(token, data.assignee) : null, due_on: (data.due_on as string | undefined) ?? null, due_at: (data.due_at as string | undefined) ?? null,
        completed: false, custom_fields: {}, created_at: new Date(Date.now() + state.tasks.length).toISOString(),
      };
      if (!applyCustomFields(res, task, data.custom_fields)) return;
      state.tasks.push(task);
      return send(res, 201, { data: taskJson(task) });
    }
    if (seg[0] === 'tasks' && seg.length >= 2) {
      const task = state.tasks.find((t) => t.gid === seg[1]);
      if (!task) return errors(res, 404, `task: Unknown object: ${seg[1]}`);
      if (method === 'GET' && seg.length === 2) return send(res, 200, { data: taskJson(task) });
      if (method === 'PUT' && seg.length === 2) {
        if (data.name === '') return errors(res, 400, 'name: Cannot be empty');
        if (data.assignee !== undefined && data.assignee !== null && !validRef('user', data.assignee)) return errors(res, 400, `assignee: Not a recognized ID: ${String(data.assignee)}`);
        if (typeof data.html_notes === 'string' && !/^<body>[\s\S]*<\/body>$/.test(data.html_notes)) return errors(res, 400, 'html_notes: XML is invalid');
        if (!applyCustomFields(res, task, data.custom_fields)) return;
        for (const k of ['name', 'html_notes', 'due_on', 'due_at', 'completed'] as const) if (k in data) (task as unknown as Record<string, unknown>)[k] = data[k];
        if ('assignee' in data) task.assignee = data.assignee === null ? null : userOf(token, String(data.assignee));
        return send(res, 200, { data: taskJson(task) });
      }
      if (method === 'POST' && seg[2] === 'stories') {
        if (typeof data.html_text !== 'string' && typeof data.text !== 'string') return errors(res, 400, 'text: Missing input');
        const story: FakeStory = { gid: newGid(), task: task.gid, html_text: (data.html_text as string | undefined) ?? `<body>${String(data.text)}</body>`, author: token.userGid };
        state.stories.push(story);
        return send(res, 201, { data: { gid: story.gid, resource_type: 'story', resource_subtype: 'comment_added', html_text: story.html_text } });
      }
      if (method === 'POST' && seg[2] === 'addProject') {
        if (!validRef('project', data.project)) return errors(res, 400, `project: Not a recognized ID: ${String(data.project)}`);
        if (data.section !== undefined && !state.sections.some((s) => s.gid === data.section && s.project === data.project)) return errors(res, 400, `section: Not a recognized ID: ${String(data.section)}`);
        if (!task.projects.includes(data.project as string)) task.projects.push(data.project as string);
        if (data.section) task.sections.push(data.section as string);
        return send(res, 200, { data: {} });
      }
    }
    if (method === 'POST' && seg[0] === 'sections' && seg[2] === 'addTask') {
      const section = state.sections.find((s) => s.gid === seg[1]);
      if (!section) return errors(res, 404, `section: Unknown object: ${seg[1]}`);
      const task = state.tasks.find((t) => t.gid === data.task);
      if (!task) return errors(res, 400, `task: Not a recognized ID: ${String(data.task)}`);
      if (!task.projects.includes(section.project)) return errors(res, 400, 'task: The task is not in the section\'s project');
      task.sections.push(section.gid);
      return send(res, 200, { data: {} });
    }
    if (method === 'POST' && path === '/webhooks') {
      if (!validRef('project', data.resource)) return errors(res, 400, `resource: Not a recognized ID: ${String(data.resource)}`);
      if (typeof data.target !== 'string' || !/^https?:\/\//.test(data.target)) return errors(res, 400, 'target: Missing input');
      // Asana answers the create call only after the target has echoed the handshake secret.
      const secret = await handshake(data.target);
      if (!secret) return errors(res, 400, 'The remote server did not respond with the handshake secret.');
      const hook: FakeWebhook = { gid: newGid(), resource: data.resource as string, target: data.target, secret, active: true };
      state.webhooks.push(hook);
      return send(res, 201, { data: { gid: hook.gid, resource_type: 'webhook', active: true, resource: { gid: hook.resource, resource_type: 'project' }, target: hook.target } });
    }
    if (method === 'DELETE' && seg[0] === 'webhooks' && seg.length === 2) {
      const at = state.webhooks.findIndex((h) => h.gid === seg[1]);
      if (at < 0) return errors(res, 404, `webhook: Unknown object: ${seg[1]}`);
      state.webhooks.splice(at, 1);
      return send(res, 200, { data: {} });
    }
    return errors(res, 404, `No matching route for request: ${method} ${path}`);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) errors(res, 500, 'Server Error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/1.0`;

  const fake: FakeAsana = {
    url: base,
    ...state,
    rateLimit(n, seconds = 1) {
      rateLimited = n;
      retryAfter = seconds;
    },
    failServer(n) {
      serverFailures = n;
    },
    deliverTo: async (url, init) => {
      const res = await fetch(url, { method: 'POST', headers: init.headers, body: init.body, redirect: 'manual' });
      return { status: res.status, headers: res.headers, body: await res.text() };
    },
    async deliver(webhookGid, events, opts = {}) {
      const hook = state.webhooks.find((h) => h.gid === webhookGid);
      if (!hook) throw new Error(`fake Asana: no webhook ${webhookGid}`);
      const body = JSON.stringify({ events });
      const signature = opts.signature ?? createHmac('sha256', hook.secret).update(body).digest('hex');
      const res = await fake.deliverTo(hook.target, { headers: { 'content-type': 'application/json', 'x-hook-signature': signature }, body });
      return { status: res.status, body: res.body };
    },
    newGid,
    oauthClient,
    oauthUrl: base.replace(/\/api\/1\.0$/, ''),
    tokenRequests,
    issueCode(authorizeUrl) {
      const u = new URL(authorizeUrl);
      if (u.searchParams.get('client_id') !== oauthClient.id || u.searchParams.get('response_type') !== 'code') throw new Error('fake Asana: not an authorize URL for its client');
      const code = randomBytes(12).toString('hex');
      codes.set(code, { challenge: u.searchParams.get('code_challenge_method') === 'S256' ? u.searchParams.get('code_challenge') : null, redirectUri: u.searchParams.get('redirect_uri') ?? '', scopes: (u.searchParams.get('scope') ?? '').split(' ').filter(Boolean) });
      return code;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return fake;
}

/** A token the fake accepts: a personal access token, or an OAuth token with these scopes. */
export function addFakeToken(fake: FakeAsana, opts: { scopes?: string[]; userGid?: string } = {}): FakeToken {
  const token: FakeToken = { token: `2/${fake.newGid()}/${fake.newGid()}:${randomBytes(16).toString('hex')}`, userGid: opts.userGid ?? fake.users[0]!.gid, ...(opts.scopes ? { scopes: opts.scopes } : {}) };
  fake.tokens.push(token);
  return token;
}
