// A fake Slack Web API on 127.0.0.1:0, speaking Slack's wire format: POST /api/<method> with a
// form or JSON body and a Bearer token; HTTP 200 with { ok: false, error, needed? } for
// failures, 429 with Retry-After when rate limited, cursor pagination in response_metadata.
// Every request is checked against the trimmed official spec (unknown or missing parameters
// answer invalid_arguments and are recorded in `violations`), and recorded for assertions.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import trimmedSpec from './spec/slack-web-api.trimmed.json' with { type: 'json' };

interface SpecParam {
  name: string;
  required?: boolean;
}

const spec = trimmedSpec as unknown as { paths: Record<string, Record<string, { parameters: SpecParam[] }>> };

/** Methods newer than the upstream spec, from Slack's method reference. */
const EXTRA_METHODS: Record<string, SpecParam[]> = {
  'files.getUploadURLExternal': [{ name: 'token', required: true }, { name: 'filename', required: true }, { name: 'length', required: true }, { name: 'alt_text' }, { name: 'snippet_type' }],
  'files.completeUploadExternal': [{ name: 'token', required: true }, { name: 'files', required: true }, { name: 'channel_id' }, { name: 'channels' }, { name: 'initial_comment' }, { name: 'thread_ts' }],
};
/** oauth.v2.access parameters newer than the upstream spec (PKCE, token rotation), from Slack's reference. */
const OAUTH_EXTRA = ['grant_type', 'code_verifier', 'refresh_token'];

export function specParams(method: string): SpecParam[] | undefined {
  const path = spec.paths[`/${method}`];
  if (path && method === 'oauth.v2.access') return [...(Object.values(path)[0]?.parameters ?? []).map((p) => ({ ...p, required: p.name === 'code' ? false : p.required })), ...OAUTH_EXTRA.map((name) => ({ name }))];
  if (path) return Object.values(path)[0]?.parameters;
  return EXTRA_METHODS[method];
}

export interface SlackRequest {
  method: string;
  params: Record<string, string>;
  token: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}

export type ScriptedFailure = { error: string; needed?: string } | { status: 429; retryAfter: string } | { status: number; body?: string };

export interface FakeChannel {
  id: string;
  name: string;
  is_private?: boolean;
  is_member?: boolean;
}

export interface FakeSlack {
  url: string;
  /** The Web API root, as KEYFLOW_SLACK_BASE_URL would hold it. */
  apiUrl: string;
  requests: SlackRequest[];
  uploads: { fileId: string; bytes: Buffer; authorization: string | undefined }[];
  violations: string[];
  /** Token → granted scopes. Other tokens are invalid_auth. */
  tokens: Map<string, string[]>;
  revoked: Set<string>;
  channels: FakeChannel[];
  users: { id: string; name: string; real_name: string; email: string; is_bot?: boolean }[];
  /** Next answers for a method, used one per call before the normal behaviour. */
  failNext(method: string, ...failures: ScriptedFailure[]): void;
  /** Where files.getUploadURLExternal says to upload (default: this fake). */
  uploadBase: string | undefined;
  calls(method: string): SlackRequest[];
  /** The OAuth app the fake knows (oauth.v2.access checks it). */
  oauthClient: { id: string; secret: string };
  /** Simulates the consent page: a code for this authorization request (bound to its PKCE challenge). */
  issueCode(authorizeUrl: string): string;
  /** Refresh tokens it accepts, and how long refreshing takes (to let refreshers race). */
  refreshTokens: Set<string>;
  refreshDelayMs: number;
  /** expires_in of issued access tokens (seconds); 0: no expiry and no refresh token. */
  expiresIn: number;
  refreshes: number;
  close(): Promise<void>;
}

/** Scopes each method needs (the subset the tests exercise). */
const NEEDS: Record<string, string> = {
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.delete': 'chat:write',
  'reactions.add': 'reactions:write',
  'files.getUploadURLExternal': 'files:write',
  'files.completeUploadExternal': 'files:write',
  'conversations.list': 'channels:read',
  'users.list': 'users:read',
  'users.lookupByEmail': 'users:read.email',
};

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const scripted = new Map<string, ScriptedFailure[]>();
  const messages = new Map<string, { channel: string; ts: string; text: string }>();
  let seq = 0;
  let fileSeq = 0;
  let codeSeq = 0;
  let tokenSeq = 0;
  const codes = new Map<string, { challenge: string | null; method: string | null; redirectUri: string; clientId: string }>();
  /** Issues a token set the way oauth.v2.access answers with token rotation on. */
  const issue = () => {
    const n = ++tokenSeq;
    const access = `xoxe.xoxb-oauth-${n}-abcdef`;
    fake.tokens.set(access, ['chat:write', 'channels:read', 'users:read']);
    const refresh = `xoxe-1-refresh-${n}-abcdef`;
    if (fake.expiresIn > 0) fake.refreshTokens.add(refresh);
    return { ok: true, access_token: access, token_type: 'bot', scope: 'chat:write,channels:read,users:read', bot_user_id: 'U0BOT', app_id: 'A0001', team: { id: 'T0001', name: 'Acme' }, ...(fake.expiresIn > 0 ? { refresh_token: refresh, expires_in: fake.expiresIn } : {}) };
  };
  const oauthAccess = async (p: Record<string, string>, res: ServerResponse): Promise<void> => {
    if (p.client_id !== fake.oauthClient.id || p.client_secret !== fake.oauthClient.secret) return send(res, 200, { ok: false, error: 'invalid_client_id' });
    if (p.grant_type === 'refresh_token') {
      if (!p.refresh_token || !fake.refreshTokens.delete(p.refresh_token)) return send(res, 200, { ok: false, error: 'invalid_refresh_token' });
      fake.refreshes += 1;
      if (fake.refreshDelayMs) await new Promise((r) => setTimeout(r, fake.refreshDelayMs));
      return send(res, 200, issue());
    }
    const grant = p.code ? codes.get(p.code) : undefined;
    if (!grant || !p.code) return send(res, 200, { ok: false, error: 'invalid_code' });
    codes.delete(p.code);
    if (grant.redirectUri !== p.redirect_uri || grant.clientId !== p.client_id) return send(res, 200, { ok: false, error: 'bad_redirect_uri' });
    if (grant.challenge) {
      const expected = p.code_verifier ? createHash('sha256').update(p.code_verifier).digest('base64url') : undefined;
      if (grant.method !== 'S256' || expected !== grant.challenge) return send(res, 200, { ok: false, error: 'invalid_code_verifier' });
    }
    return send(res, 200, issue());
  };
  const pending = new Set<string>();
  const fake: FakeSlack = {
    url: '',
    apiUrl: '',
    requests: [],
    uploads: [],
    violations: [],
    tokens: new Map(),
    revoked: new Set(),
    channels: [],
    users: [],
    uploadBase: undefined,
    failNext(method, ...failures) {
      scripted.set(method, [...(scripted.get(method) ?? []), ...failures]);
    },
    calls: (method) => fake.requests.filter((r) => r.method === method),
    oauthClient: { id: 'fake-client-id', secret: 'fake-client-secret-0123456789' },
    issueCode(authorizeUrl) {
      const u = new URL(authorizeUrl);
      const code = `code-${++codeSeq}`;
      codes.set(code, { challenge: u.searchParams.get('code_challenge'), method: u.searchParams.get('code_challenge_method'), redirectUri: u.searchParams.get('redirect_uri') ?? '', clientId: u.searchParams.get('client_id') ?? '' });
      return code;
    },
    refreshTokens: new Set(),
    refreshDelayMs: 0,
    expiresIn: 43_200,
    refreshes: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const api = (method: string, p: Record<string, string>, token: string | undefined, res: ServerResponse): void => {
    const params = specParams(method);
    if (!params) {
      send(res, 200, { ok: false, error: 'unknown_method' });
      return;
    }
    const known = new Set(params.map((x) => x.name));
    const unknown = Object.keys(p).filter((k) => !known.has(k));
    const missing = params.filter((x) => x.required && x.name !== 'token' && p[x.name] === undefined).map((x) => x.name);
    if (unknown.length || missing.length) {
      fake.violations.push(`${method}: unknown [${unknown.join(',')}] missing [${missing.join(',')}]`);
      send(res, 200, { ok: false, error: 'invalid_arguments' });
      return;
    }
    if (method === 'oauth.v2.access') {
      void oauthAccess(p, res);
      return;
    }
    const failure = scripted.get(method)?.shift();
    if (failure) {
      if ('error' in failure) send(res, 200, { ok: false, error: failure.error, ...(failure.needed ? { needed: failure.needed, provided: 'none' } : {}) });
      else if (failure.status === 429) send(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': (failure as { retryAfter: string }).retryAfter });
      else {
        res.writeHead(failure.status, { 'content-type': 'text/html' });
        res.end((failure as { body?: string }).body ?? '<html>error</html>');
      }
      return;
    }
    if (!token) return send(res, 200, { ok: false, error: 'not_authed' });
    if (fake.revoked.has(token)) return send(res, 200, { ok: false, error: 'token_revoked' });
    const scopes = fake.tokens.get(token);
    if (!scopes) return send(res, 200, { ok: false, error: 'invalid_auth' });
    const need = NEEDS[method];
    if (need && !scopes.includes(need)) return send(res, 200, { ok: false, error: 'missing_scope', needed: need, provided: scopes.join(',') });
    const channelKnown = (c: string | undefined) => c !== undefined && (fake.channels.some((x) => x.id === c || `#${x.name}` === c));
    switch (method) {
      case 'auth.test':
        return send(res, 200, { ok: true, url: 'https://acme.slack.com/', team: 'Acme', user: 'keyflow-bot', team_id: 'T0001', user_id: 'U0BOT' }, { 'x-oauth-scopes': scopes.join(',') });
      case 'auth.revoke':
        fake.revoked.add(token);
        return send(res, 200, { ok: true, revoked: true });
      case 'chat.postMessage': {
        if (!channelKnown(p.channel)) return send(res, 200, { ok: false, error: 'channel_not_found' });
        if (!p.text && !p.blocks) return send(res, 200, { ok: false, error: 'no_text' });
        if (p.blocks) {
          try {
            const blocks = JSON.parse(p.blocks) as unknown;
            if (!Array.isArray(blocks)) throw new Error('not an array');
            // Slack's own check, in part: a section needs text or fields.
            for (const b of blocks as Record<string, unknown>[]) if (typeof b.type !== 'string' || (b.type === 'section' && b.text === undefined && b.fields === undefined)) throw new Error('bad block');
          } catch {
            return send(res, 200, { ok: false, error: 'invalid_blocks' });
          }
        }
        if ((p.text ?? '').length > 40_000) return send(res, 200, { ok: false, error: 'msg_too_long' });
        const channel = fake.channels.find((x) => x.id === p.channel || `#${x.name}` === p.channel)!.id;
        const ts = `1712345678.${String(++seq).padStart(6, '0')}`;
        messages.set(`${channel}/${ts}`, { channel, ts, text: p.text ?? '' });
        return send(res, 200, { ok: true, channel, ts, message: { text: p.text ?? '', ts } });
      }
      case 'chat.update':
      case 'chat.delete': {
        const key = `${p.channel}/${p.ts}`;
        if (!channelKnown(p.channel)) return send(res, 200, { ok: false, error: 'channel_not_found' });
        if (!messages.has(key)) return send(res, 200, { ok: false, error: 'message_not_found' });
        if (method === 'chat.delete') messages.delete(key);
        else messages.get(key)!.text = p.text ?? '';
        return send(res, 200, { ok: true, channel: p.channel, ts: p.ts, ...(method === 'chat.update' ? { text: p.text ?? '' } : {}) });
      }
      case 'reactions.add': {
        if (!channelKnown(p.channel)) return send(res, 200, { ok: false, error: 'channel_not_found' });
        if (!messages.has(`${p.channel}/${p.timestamp}`)) return send(res, 200, { ok: false, error: 'message_not_found' });
        if (!/^[a-z0-9_+'-]+$/.test(p.name ?? '')) return send(res, 200, { ok: false, error: 'invalid_name' });
        return send(res, 200, { ok: true });
      }
      case 'conversations.list':
      case 'users.list': {
        const items = method === 'users.list' ? fake.users : fake.channels;
        const limit = Math.min(Number(p.limit ?? 100) || 100, 1000);
        const start = p.cursor ? Number(Buffer.from(p.cursor, 'base64').toString().replace('offset:', '')) : 0;
        if (!Number.isInteger(start) || start < 0) return send(res, 200, { ok: false, error: 'invalid_cursor' });
        const page = items.slice(start, start + limit);
        const next = start + limit < items.length ? Buffer.from(`offset:${start + limit}`).toString('base64') : '';
        return send(res, 200, { ok: true, [method === 'users.list' ? 'members' : 'channels']: page, response_metadata: { next_cursor: next } });
      }
      case 'users.lookupByEmail': {
        const u = fake.users.find((x) => x.email === p.email);
        if (!u) return send(res, 200, { ok: false, error: 'users_not_found' });
        return send(res, 200, { ok: true, user: { id: u.id, name: u.name, real_name: u.real_name, is_bot: u.is_bot ?? false, profile: { email: u.email, real_name: u.real_name, display_name: u.name } } });
      }
      case 'files.getUploadURLExternal': {
        const length = Number(p.length);
        if (!Number.isInteger(length) || length < 1) return send(res, 200, { ok: false, error: 'invalid_arguments' });
        const fileId = `F${String(++fileSeq).padStart(6, '0')}`;
        pending.add(fileId);
        return send(res, 200, { ok: true, upload_url: `${fake.uploadBase ?? fake.url}/upload/v1/${fileId}`, file_id: fileId });
      }
      case 'files.completeUploadExternal': {
        let files: { id: string; title?: string }[];
        try {
          files = JSON.parse(p.files ?? '') as { id: string; title?: string }[];
        } catch {
          return send(res, 200, { ok: false, error: 'invalid_arguments' });
        }
        if (!files.every((f) => fake.uploads.some((u) => u.fileId === f.id))) return send(res, 200, { ok: false, error: 'file_not_found' });
        if (p.channel_id !== undefined && !channelKnown(p.channel_id)) return send(res, 200, { ok: false, error: 'channel_not_found' });
        return send(res, 200, { ok: true, files: files.map((f) => ({ id: f.id, title: f.title ?? f.id, permalink: `https://acme.slack.com/files/U0BOT/${f.id}` })) });
      }
      default:
        return send(res, 200, { ok: false, error: 'unknown_method' });
    }
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = await readBody(req);
      const upload = /^\/upload\/v1\/(F\d+)$/.exec(url.pathname);
      if (upload && req.method === 'POST') {
        const fileId = upload[1]!;
        if (!pending.delete(fileId)) return send(res, 404, { error: 'unknown upload' });
        fake.uploads.push({ fileId, bytes: raw, authorization: req.headers.authorization });
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end(`OK - ${raw.length}`);
      }
      const m = /^\/api\/([A-Za-z0-9._]+)$/.exec(url.pathname);
      if (!m) return send(res, 404, { ok: false, error: 'unknown_method' });
      const method = m[1]!;
      const type = req.headers['content-type'] ?? '';
      let params: Record<string, string> = Object.fromEntries(url.searchParams);
      if (type.startsWith('application/json') && raw.length) {
        const body = JSON.parse(raw.toString()) as Record<string, unknown>;
        params = { ...params, ...Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])) };
      } else if (raw.length) {
        params = { ...params, ...Object.fromEntries(new URLSearchParams(raw.toString())) };
      }
      const auth = req.headers.authorization;
      // client_secret_basic, for completeness (Slack documents client_secret_post and basic).
      if (method === 'oauth.v2.access' && auth?.startsWith('Basic ')) {
        const [id, secret] = Buffer.from(auth.slice(6), 'base64').toString().split(':').map(decodeURIComponent);
        params = { ...params, client_id: id ?? '', client_secret: secret ?? '' };
      }
      const token = auth?.startsWith('Bearer ') ? auth.slice(7) : params.token;
      delete params.token;
      fake.requests.push({ method, params, token, headers: req.headers });
      api(method, params, token, res);
    })().catch((err: unknown) => send(res, 500, { ok: false, error: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  fake.url = `http://127.0.0.1:${port}`;
  fake.apiUrl = `${fake.url}/api/`;
  return fake;
}
