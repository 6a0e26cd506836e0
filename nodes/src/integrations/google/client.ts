// The Google client for one call. PINNED API (goog1 and goog2 build on it):
//
//   googleApiOptions(call, requiredScopes) → { rootUrl?, auth, retry: false, timeout, signal }
//     Spread it into a per-API package: `sheets({ version: 'v4', ...googleApiOptions(call, scopes) })`,
//     `drive({ version: 'v3', ... })`, `gmail({ version: 'v1', ... })`, `calendar({ version: 'v3', ... })`.
//     - OAuth credentials (an access token): throws ServiceProblemError kind 'scope' NAMING the
//       missing scopes when the credential recorded its granted scopes and they lack one.
//     - Service-account JSON keys: a JWT client asking for exactly `requiredScopes` (cached per
//       key + scopes, so the token exchange happens once per hour, not per call).
//     - SDK retries off (the engine retries); the run's signal on every request.
//   googleRequest(call, requiredScopes, { url, method, headers, data, responseType })
//     An authenticated request outside the generated methods (resumable upload sessions, tokeninfo).
//   googleFetch(call)
//     The guarded fetch every request goes through: a request to any official Google origin is
//     sent to KEYFLOW_GOOGLE_BASE_URL instead when the operator set it (API roots, the OAuth token
//     endpoint the JWT client hard-codes, tokeninfo, userinfo); anything else is refused.
//   callGoogle(call, what, fn)   (in errors.ts) — callService + Google's error mapping.
import { createHash } from 'node:crypto';
import type { JWT, OAuth2Client } from 'google-auth-library';
import { isAllowedApiUrl, ServiceProblemError, type ServiceCall } from '../framework/index.ts';
import { missingScopes } from './scopes.ts';
import { looksLikeServiceAccountKey, parseServiceAccountKey } from './service-account.ts';
import { googleSdk } from './sdk.ts';
import { googleSpec } from './spec.ts';

const TIMEOUT_MS = 30_000;

/** True when the operator pointed Google elsewhere (KEYFLOW_GOOGLE_BASE_URL). */
function overridden(call: Pick<ServiceCall, 'baseUrl'>): boolean {
  return new URL(call.baseUrl).origin !== new URL(googleSpec.defaultBaseUrl).origin;
}

/** `url` with an official Google origin replaced by the operator's base URL origin (when set). */
export function googleTarget(call: Pick<ServiceCall, 'baseUrl'>, url: string): string {
  if (!overridden(call)) return url;
  const u = new URL(url);
  if (u.protocol === 'https:' && !u.username && !u.password && googleSpec.apiHosts.includes(u.hostname)) {
    const base = new URL(call.baseUrl);
    return `${base.origin}${u.pathname}${u.search}`;
  }
  return url;
}

export function googleFetch(call: Pick<ServiceCall, 'baseUrl' | 'fetch'> & { signal?: AbortSignal }): typeof globalThis.fetch {
  return async (input, init) => {
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const target = googleTarget(call, raw);
    if (!isAllowedApiUrl(googleSpec, call.baseUrl, target)) throw new ServiceProblemError({ kind: 'validation', message: 'refused: a Google credential is only sent to the Google API hosts' });
    const signals = [init?.signal, call.signal].filter((s): s is AbortSignal => s instanceof AbortSignal);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    // Node streams (the SDK's multipart bodies) need duplex: 'half'.
    const extra = init?.body && typeof (init.body as { pipe?: unknown }).pipe === 'function' ? { duplex: 'half' } : {};
    return call.fetch(target, { ...init, ...extra, ...(signal ? { signal } : {}) } as RequestInit);
  };
}

export interface GoogleApiOptions {
  /** Present only when KEYFLOW_GOOGLE_BASE_URL is set (each package knows its own official root). */
  rootUrl?: string;
  auth: OAuth2Client;
  retry: false;
  timeout: number;
  signal: AbortSignal;
}

/** JWT clients by key + scopes + base URL: each keeps its access token until it expires. */
const jwtCache = new Map<string, JWT>();
const JWT_CACHE_MAX = 200;

function serviceAccountClient(call: ServiceCall, secret: string, scopes: readonly string[]): JWT {
  const key = parseServiceAccountKey(secret);
  // The key itself (hashed) is part of the cache key: a replaced key never reuses the old client.
  const cacheKey = JSON.stringify([call.credential.id, createHash('sha256').update(key.private_key).digest('hex'), key.client_email, [...scopes].sort(), call.baseUrl]);
  const hit = jwtCache.get(cacheKey);
  if (hit) return hit;
  // The transporter's fetch outlives this call: it carries no run signal (each API request brings its own).
  const fetchForKey = googleFetch({ baseUrl: call.baseUrl, fetch: call.fetch });
  const client = new (googleSdk().JWT)({ email: key.client_email, key: key.private_key, scopes: [...scopes], transporterOptions: { fetchImplementation: fetchForKey, timeout: TIMEOUT_MS } });
  if (jwtCache.size >= JWT_CACHE_MAX) jwtCache.delete(jwtCache.keys().next().value!);
  jwtCache.set(cacheKey, client);
  return client;
}

/** Forgets cached service-account clients (tests; a rotated key gets a new cache key anyway). */
export function clearGoogleClientCache(): void {
  jwtCache.clear();
}

/** The auth client for this call; throws a 'scope' problem naming what an OAuth credential lacks. */
export function googleAuth(call: ServiceCall, requiredScopes: readonly string[]): OAuth2Client {
  const secret = call.credential.reveal();
  if (looksLikeServiceAccountKey(secret)) {
    try {
      return serviceAccountClient(call, secret, requiredScopes);
    } catch (err) {
      throw new ServiceProblemError({ kind: 'auth', message: err instanceof Error ? err.message : 'the service-account key is unreadable' });
    }
  }
  const granted = call.credential.grantedScopes;
  if (granted) {
    const missing = missingScopes(granted, requiredScopes);
    if (missing.length > 0) {
      throw new ServiceProblemError({ kind: 'scope', scope: missing.join(' '), message: `the Google connection was not granted ${missing.join(', ')}; reconnect Google under Connections to grant it` });
    }
  }
  const client = new (googleSdk().OAuth2Client)({ transporterOptions: { fetchImplementation: googleFetch(call), timeout: TIMEOUT_MS } });
  client.setCredentials({ access_token: secret });
  return client;
}

export function googleApiOptions(call: ServiceCall, requiredScopes: readonly string[]): GoogleApiOptions {
  return {
    ...(overridden(call) ? { rootUrl: `${new URL(call.baseUrl).origin}/` } : {}),
    auth: googleAuth(call, requiredScopes),
    retry: false,
    timeout: TIMEOUT_MS,
    signal: call.signal,
  };
}

export interface GoogleRequest {
  /** An official Google URL (e.g. https://www.googleapis.com/upload/drive/v3/files?uploadType=resumable); rewritten to the base URL when set. */
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  data?: unknown;
  responseType?: 'json' | 'text' | 'arraybuffer' | 'stream';
  params?: Record<string, string>;
}

export interface GoogleResponse<T> {
  status: number;
  headers: Headers;
  data: T;
}

/** One authenticated request through the auth client's transporter (same guard, no retries). */
export async function googleRequest<T = unknown>(call: ServiceCall, requiredScopes: readonly string[], req: GoogleRequest): Promise<GoogleResponse<T>> {
  const auth = googleAuth(call, requiredScopes);
  const res = await auth.request<T>({
    url: req.url,
    method: req.method ?? 'GET',
    ...(req.headers ? { headers: req.headers } : {}),
    ...(req.data !== undefined ? { data: req.data } : {}),
    ...(req.params ? { params: req.params } : {}),
    responseType: req.responseType ?? 'json',
    retry: false,
    timeout: TIMEOUT_MS,
    signal: call.signal,
  });
  return { status: res.status, headers: res.headers as Headers, data: res.data };
}
