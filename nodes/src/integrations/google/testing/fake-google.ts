// A fake Google on loopback, for tests: ONE node:http server on 127.0.0.1:0 that plays every
// Google origin Keyflow talks to (KEYFLOW_GOOGLE_BASE_URL points at it): the OAuth endpoints
// (token: authorization_code with PKCE, refresh_token, the service-account JWT bearer grant;
// revoke; tokeninfo; userinfo), plus the API handlers that modules register with `fake.route()`
// (fake-sheets.ts and fake-drive.ts here; Gmail and Calendar add theirs in their own files).
//
// Wire format as Google's: errors in the envelope
//   { error: { code, message, status, errors: [{ reason, message, domain }] } }
// (googleError()), the token endpoint's RFC 6749 { error, error_description }, 401 for unknown
// or expired tokens, 403 insufficientPermissions / ACCESS_TOKEN_SCOPE_INSUFFICIENT for a token
// without the route's scope, 429 rateLimitExceeded with Retry-After (rateLimitNext()).
// Every request is recorded for assertions.
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { googleError, sendJson } from './wire.ts';
import { installFakeCalendar } from './fake-calendar.ts';
import { installFakeGmail } from './fake-gmail.ts';
import { installFakeSheets } from './fake-sheets.ts';
import { installFakeDrive } from './fake-drive.ts';

export { googleError, googleErrorEnvelope, sendJson } from './wire.ts';
// The API modules' state, for tests outside this package (@keyflow/nodes/testing/fake-google).
export { fakeCalendar, type FakeCalendarState } from './fake-calendar.ts';
export { fakeGmail, type FakeGmailState } from './fake-gmail.ts';
export { fakeSheets, type FakeSpreadsheet } from './fake-sheets.ts';
export { fakeDrive, type FakeDriveFile } from './fake-drive.ts';
/** For tests and benchmarks: forget cached service-account clients. */
export { clearGoogleClientCache } from '../client.ts';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface FakeToken {
  accessToken: string;
  scopes: string[];
  email: string;
  /** ms since epoch */
  expiresAt: number;
  revoked: boolean;
  /** The refresh token it came from, if any. */
  refreshToken?: string;
  /** 'user' (OAuth) or 'service_account' */
  kind: 'user' | 'service_account';
}

export interface FakeRefreshToken {
  refreshToken: string;
  scopes: string[];
  email: string;
  clientId: string;
  revoked: boolean;
}

/** One incoming request as a route handler sees it. */
export interface FakeRequest extends RecordedRequest {
  /** The bearer token's grant (already checked against the route's scopes). */
  token?: FakeToken;
  /** The route's path match. */
  match: RegExpExecArray;
  text(): string;
  json(): unknown;
  /** Form fields of an x-www-form-urlencoded body. */
  form(): URLSearchParams;
}

export interface FakeRoute {
  method: string;
  /** Matched against the path (no query string). Anchor it: /^\/drive\/v3\/files$/. */
  path: RegExp;
  /**
   * Scopes any one of which lets a token call this route (Google also accepts the broader ones:
   * list them). Undefined: no bearer token is needed (OAuth endpoints).
   */
  scopes?: readonly string[];
  handle(req: FakeRequest, res: ServerResponse, fake: FakeGoogle): void | Promise<void>;
}

export interface ConsentOptions {
  /** The Google account that signs in. */
  email?: string;
  /** The scopes the user ticks (default: every scope asked for). */
  grant?: readonly string[];
  /** The user clicks "Cancel": the callback carries error=access_denied. */
  deny?: boolean;
}

export interface AuthorizeRecord {
  params: URLSearchParams;
}

export interface FakeGoogle {
  /** Origin, e.g. http://127.0.0.1:53211 (what KEYFLOW_GOOGLE_BASE_URL and KEYFLOW_GOOGLE_OAUTH_URL would be). */
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly tokens: Map<string, FakeToken>;
  readonly refreshTokens: Map<string, FakeRefreshToken>;
  /** The OAuth client the fake accepts (client_secret_post). */
  readonly client: { clientId: string; clientSecret: string };
  /** Authorization URLs the consent screen saw. */
  readonly authorizations: AuthorizeRecord[];
  /** How long access tokens from the token endpoint live (Google: an hour); shorten it to test refresh before expiry. */
  accessTokenLifetimeMs: number;
  /** Adds an API handler (later routes win over earlier ones for the same path). */
  route(route: FakeRoute): void;
  /** An access token for `email` with `scopes` (what a finished OAuth flow would hold). */
  issueToken(opts: { scopes: readonly string[]; email?: string; expiresInMs?: number }): string;
  /** A refresh token the token endpoint will honour. */
  issueRefreshToken(opts: { scopes: readonly string[]; email?: string }): string;
  /** A service-account JSON key (a fresh RSA key pair) the JWT grant accepts; `email` defaults to a generated one. */
  serviceAccountKey(opts?: { email?: string }): string;
  /**
   * Plays Google's consent screen for an authorization URL Keyflow built: checks its
   * parameters, records them, and answers the redirect back to Keyflow (code and state).
   */
  consent(authorizationUrl: string, opts?: ConsentOptions): URL;
  /** The next `count` API requests (routes with scopes) answer 429 `reason` with Retry-After `retryAfterSeconds`. */
  rateLimitNext(count?: number, retryAfterSeconds?: number, reason?: 'rateLimitExceeded' | 'userRateLimitExceeded'): void;
  /** The next `count` API requests answer `status` with Google's envelope and `reason`. */
  failNext(status: number, reason: string, message: string, count?: number): void;
  close(): Promise<void>;
}

function oauthError(res: ServerResponse, status: number, error: string, description: string): void {
  sendJson(res, status, { error, error_description: description });
}

const TOKEN_AUD = 'https://oauth2.googleapis.com/token';
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function b64urlJson(part: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export interface FakeGoogleOptions {
  /** Route modules to install (default: Sheets and Drive, see defaultModules). */
  modules?: readonly ((fake: FakeGoogle) => void)[];
}

export async function createFakeGoogle(opts: FakeGoogleOptions = {}): Promise<FakeGoogle> {
  const requests: RecordedRequest[] = [];
  const tokens = new Map<string, FakeToken>();
  const refreshTokens = new Map<string, FakeRefreshToken>();
  const routes: FakeRoute[] = [];
  const authorizations: AuthorizeRecord[] = [];
  const serviceAccounts = new Map<string, string>(); // email → public key PEM
  const codes = new Map<string, { scopes: string[]; email: string; redirectUri: string; challenge?: string; clientId: string }>();
  /** Scopes each account already granted the client (include_granted_scopes). */
  const granted = new Map<string, Set<string>>();
  const client = { clientId: 'fake-client-id.apps.googleusercontent.com', clientSecret: 'fake-client-secret-0123456789' };
  let limited: { count: number; retryAfter: number; reason: string } = { count: 0, retryAfter: 1, reason: 'rateLimitExceeded' };
  let failing: { count: number; status: number; reason: string; message: string } = { count: 0, status: 500, reason: 'backendError', message: '' };

  const newToken = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;

  const fake: FakeGoogle = {
    url: '',
    requests,
    tokens,
    refreshTokens,
    client,
    authorizations,
    accessTokenLifetimeMs: 3600_000,
    route(route) {
      routes.unshift(route);
    },
    issueToken({ scopes, email = 'ada@example.com', expiresInMs = 3600_000 }) {
      const accessToken = newToken('ya29.fake-');
      tokens.set(accessToken, { accessToken, scopes: [...scopes], email, expiresAt: Date.now() + expiresInMs, revoked: false, kind: 'user' });
      return accessToken;
    },
    issueRefreshToken({ scopes, email = 'ada@example.com' }) {
      const refreshToken = newToken('1//fake-');
      refreshTokens.set(refreshToken, { refreshToken, scopes: [...scopes], email, clientId: client.clientId, revoked: false });
      return refreshToken;
    },
    serviceAccountKey({ email } = {}) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const clientEmail = email ?? `keyflow-${randomBytes(3).toString('hex')}@fake-project.iam.gserviceaccount.com`;
      serviceAccounts.set(clientEmail, publicKey.export({ type: 'spki', format: 'pem' }).toString());
      return JSON.stringify({
        type: 'service_account',
        project_id: 'fake-project',
        private_key_id: randomBytes(20).toString('hex'),
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        client_email: clientEmail,
        client_id: '1234567890',
        token_uri: TOKEN_AUD,
      });
    },
    consent(authorizationUrl, { email = 'ada@example.com', grant, deny } = {}) {
      const u = new URL(authorizationUrl);
      const p = u.searchParams;
      authorizations.push({ params: new URLSearchParams(p) });
      const redirect = p.get('redirect_uri');
      if (!redirect) throw new Error('fake Google consent: no redirect_uri');
      if (p.get('client_id') !== client.clientId) throw new Error('fake Google consent: unknown client_id');
      if (p.get('response_type') !== 'code') throw new Error('fake Google consent: response_type must be code');
      const back = new URL(redirect);
      const state = p.get('state');
      if (state) back.searchParams.set('state', state);
      if (deny) {
        back.searchParams.set('error', 'access_denied');
        return back;
      }
      const asked = (p.get('scope') ?? '').split(' ').filter(Boolean);
      let scopes = grant ? asked.filter((s) => grant.includes(s)) : asked;
      const key = `${client.clientId}|${email}`;
      if (p.get('include_granted_scopes') === 'true') scopes = [...new Set([...(granted.get(key) ?? []), ...scopes])];
      granted.set(key, new Set(scopes));
      const code = `4/${randomBytes(16).toString('base64url')}`;
      const challenge = p.get('code_challenge') ?? undefined;
      if (challenge && p.get('code_challenge_method') !== 'S256') throw new Error('fake Google consent: only S256 code challenges');
      codes.set(code, { scopes, email, redirectUri: redirect, clientId: client.clientId, ...(challenge ? { challenge } : {}) });
      back.searchParams.set('code', code);
      back.searchParams.set('scope', scopes.join(' '));
      return back;
    },
    rateLimitNext(count = 1, retryAfterSeconds = 1, reason = 'rateLimitExceeded') {
      limited = { count, retryAfter: retryAfterSeconds, reason };
    },
    failNext(status, reason, message, count = 1) {
      failing = { count, status, reason, message };
    },
    close: async () => {},
  };

  const tokenAnswer = (accessToken: string, t: FakeToken, extra: Record<string, unknown> = {}) => ({
    access_token: accessToken,
    expires_in: Math.round((t.expiresAt - Date.now()) / 1000),
    scope: t.scopes.join(' '),
    token_type: 'Bearer',
    ...extra,
  });

  function tokenEndpoint(req: FakeRequest, res: ServerResponse): void {
    const f = req.form();
    const grant = f.get('grant_type');
    if (grant === JWT_GRANT) return jwtGrant(f.get('assertion') ?? '', res);
    if (f.get('client_id') !== client.clientId || f.get('client_secret') !== client.clientSecret) return oauthError(res, 401, 'invalid_client', 'The OAuth client was not found.');
    if (grant === 'authorization_code') {
      const code = f.get('code') ?? '';
      const c = codes.get(code);
      codes.delete(code);
      if (!c) return oauthError(res, 400, 'invalid_grant', 'Malformed auth code.');
      if (f.get('redirect_uri') !== c.redirectUri) return oauthError(res, 400, 'redirect_uri_mismatch', 'Bad Request');
      if (c.challenge) {
        const verifier = f.get('code_verifier') ?? '';
        if (createHash('sha256').update(verifier).digest('base64url') !== c.challenge) return oauthError(res, 400, 'invalid_grant', 'Invalid code verifier.');
      }
      const refreshToken = fake.issueRefreshToken({ scopes: c.scopes, email: c.email });
      const accessToken = fake.issueToken({ scopes: c.scopes, email: c.email, expiresInMs: fake.accessTokenLifetimeMs });
      tokens.get(accessToken)!.refreshToken = refreshToken;
      // With openid, Google adds an ID token (RS256; the fake's signature is not checked by clients in the code flow).
      const now = Math.floor(Date.now() / 1000);
      const idToken = c.scopes.includes('openid')
        ? [{ alg: 'RS256', typ: 'JWT' }, { iss: 'https://accounts.google.com', azp: c.clientId, aud: c.clientId, sub: createHash('sha256').update(c.email).digest('hex').slice(0, 21), email: c.email, email_verified: true, iat: now, exp: now + 3600 }]
            .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
            .concat(randomBytes(32).toString('base64url'))
            .join('.')
        : undefined;
      return sendJson(res, 200, tokenAnswer(accessToken, tokens.get(accessToken)!, { refresh_token: refreshToken, refresh_token_expires_in: 604799, ...(idToken ? { id_token: idToken } : {}) }));
    }
    if (grant === 'refresh_token') {
      const r = refreshTokens.get(f.get('refresh_token') ?? '');
      if (!r || r.revoked) return oauthError(res, 400, 'invalid_grant', 'Token has been expired or revoked.');
      const accessToken = fake.issueToken({ scopes: r.scopes, email: r.email, expiresInMs: fake.accessTokenLifetimeMs });
      tokens.get(accessToken)!.refreshToken = r.refreshToken;
      // Google keeps the refresh token: the answer carries none.
      return sendJson(res, 200, tokenAnswer(accessToken, tokens.get(accessToken)!));
    }
    return oauthError(res, 400, 'unsupported_grant_type', 'Invalid grant_type: ' + String(grant).slice(0, 40));
  }

  function jwtGrant(assertion: string, res: ServerResponse): void {
    const [h, p, sig] = assertion.split('.');
    const header = h ? b64urlJson(h) : undefined;
    const claims = p ? b64urlJson(p) : undefined;
    if (!header || !claims || !sig) return oauthError(res, 400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token and in a reasonable timeframe.');
    if (header.alg !== 'RS256') return oauthError(res, 400, 'invalid_grant', 'Invalid JWT signature algorithm.');
    const iss = String(claims.iss ?? '');
    const pem = serviceAccounts.get(iss);
    if (!pem) return oauthError(res, 400, 'invalid_grant', 'Invalid grant: account not found');
    if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), createPublicKey(pem), Buffer.from(sig, 'base64url'))) return oauthError(res, 400, 'invalid_grant', 'Invalid JWT Signature.');
    if (claims.aud !== TOKEN_AUD) return oauthError(res, 400, 'invalid_grant', 'Invalid JWT: audience');
    const now = Date.now() / 1000;
    if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number' || claims.exp < now || claims.exp - claims.iat > 3600 || claims.iat > now + 300) return oauthError(res, 400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.');
    const scopes = String(claims.scope ?? '').split(' ').filter(Boolean);
    if (scopes.length === 0) return oauthError(res, 400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
    const accessToken = newToken('ya29.c.fake-');
    const t: FakeToken = { accessToken, scopes, email: iss, expiresAt: Date.now() + 3600_000, revoked: false, kind: 'service_account' };
    tokens.set(accessToken, t);
    sendJson(res, 200, { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' });
  }

  const bearer = (req: RecordedRequest): string | undefined => {
    const h = req.headers.authorization;
    const v = Array.isArray(h) ? h[0] : h;
    return v?.startsWith('Bearer ') ? v.slice(7) : undefined;
  };
  const liveToken = (value: string | undefined): FakeToken | undefined => {
    const t = value ? tokens.get(value) : undefined;
    return t && !t.revoked && t.expiresAt > Date.now() ? t : undefined;
  };

  // The OAuth endpoints (no bearer token checked by the router).
  fake.route({ method: 'POST', path: /^\/token$/, handle: (req, res) => tokenEndpoint(req, res) });
  fake.route({
    method: 'POST',
    path: /^\/revoke$/,
    handle: (req, res) => {
      const value = req.form().get('token') ?? req.query.get('token') ?? '';
      const r = refreshTokens.get(value);
      const t = tokens.get(value);
      if (r && !r.revoked) {
        r.revoked = true;
        for (const tok of tokens.values()) if (tok.refreshToken === value) tok.revoked = true;
        return sendJson(res, 200, {});
      }
      if (t && !t.revoked) {
        t.revoked = true;
        if (t.refreshToken) {
          refreshTokens.get(t.refreshToken)!.revoked = true;
          for (const tok of tokens.values()) if (tok.refreshToken === t.refreshToken) tok.revoked = true;
        }
        return sendJson(res, 200, {});
      }
      oauthError(res, 400, 'invalid_token', 'Token expired or revoked');
    },
  });
  for (const method of ['GET', 'POST']) {
    fake.route({
      method,
      path: /^\/tokeninfo$/,
      handle: (req, res) => {
        const value = req.query.get('access_token') ?? req.form().get('access_token') ?? bearer(req);
        const t = liveToken(value ?? undefined);
        if (!t) return oauthError(res, 400, 'invalid_token', 'Invalid Value');
        const hasEmail = t.scopes.some((s) => s === 'email' || s.endsWith('userinfo.email'));
        sendJson(res, 200, {
          azp: client.clientId,
          aud: client.clientId,
          sub: createHash('sha256').update(t.email).digest('hex').slice(0, 21),
          scope: t.scopes.join(' '),
          exp: String(Math.floor(t.expiresAt / 1000)),
          expires_in: String(Math.round((t.expiresAt - Date.now()) / 1000)),
          ...(hasEmail ? { email: t.email, email_verified: 'true' } : {}),
          access_type: 'offline',
        });
      },
    });
    for (const path of [/^\/v1\/userinfo$/, /^\/oauth2\/v3\/userinfo$/]) {
      fake.route({
        method,
        path,
        scopes: ['openid', 'email', 'https://www.googleapis.com/auth/userinfo.email'],
        handle: (req, res) => sendJson(res, 200, { sub: createHash('sha256').update(req.token!.email).digest('hex').slice(0, 21), email: req.token!.email, email_verified: true }),
      });
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks) };
    requests.push(recorded);
    let match: RegExpExecArray | null = null;
    const route = routes.find((r) => r.method === recorded.method && (match = r.path.exec(recorded.path)) !== null);
    if (!route || !match) return googleError(res, 404, 'notFound', `fake Google: no route for ${recorded.method} ${recorded.path}`);
    const freq: FakeRequest = {
      ...recorded,
      match,
      text: () => recorded.body.toString('utf8'),
      json: () => JSON.parse(recorded.body.toString('utf8')) as unknown,
      form: () => new URLSearchParams((String(req.headers['content-type'] ?? '')).includes('x-www-form-urlencoded') ? recorded.body.toString('utf8') : ''),
    };
    if (route.scopes) {
      const t = liveToken(bearer(recorded));
      if (!t) {
        return googleError(res, 401, 'authError', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' });
      }
      if (!route.scopes.some((s) => t.scopes.includes(s))) {
        return googleError(res, 403, 'insufficientPermissions', 'Request had insufficient authentication scopes.', { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="insufficient_scope"' }, {
          details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', domain: 'googleapis.com' }],
        });
      }
      freq.token = t;
      if (limited.count > 0) {
        limited.count -= 1;
        return googleError(res, 429, limited.reason, limited.reason === 'userRateLimitExceeded' ? 'User Rate Limit Exceeded' : 'Rate Limit Exceeded', { 'retry-after': String(limited.retryAfter) });
      }
      if (failing.count > 0) {
        failing.count -= 1;
        return googleError(res, failing.status, failing.reason, failing.message);
      }
    }
    await route.handle(freq, res, fake);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) googleError(res, 500, 'backendError', `fake Google crashed: ${err instanceof Error ? err.message : String(err)}`);
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  });
  for (const install of opts.modules ?? defaultModules) install(fake);
  return fake;
}

/** The API modules installed unless `modules` says otherwise (goog2 adds Gmail and Calendar here). */
export const defaultModules: readonly ((fake: FakeGoogle) => void)[] = [installFakeSheets, installFakeDrive, installFakeGmail, installFakeCalendar];
