// The one way the editor talks to the API: fetch with the session cookie, the CSRF header the
// API requires on state-changing cookie requests, and the API's error JSON turned into ApiError
// (code, message, and field issues as "a.b.0" paths so forms can show them beside the field).
// A 401 mid-session calls the session-expired handler (the shell sends the person to log in
// and back), then still throws, so callers never mistake it for success.
import { QueryClient } from '@tanstack/react-query';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export interface FieldIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  status: number;
  code?: string;
  fields: FieldIssue[];
  constructor(status: number, message: string, code?: string, fields: FieldIssue[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    if (code !== undefined) this.code = code;
    this.fields = fields;
  }
  /** The message for one field path ("config.url"), if the API named it. */
  fieldMessage(path: string): string | undefined {
    return this.fields.find((f) => f.path === path)?.message;
  }
}

// The CSRF token of the current cookie session: learnt from /api/auth/me, login, signup and
// password change (each returns it), forgotten on logout or expiry. Kept in memory only.
let csrfToken: string | undefined;
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

let sessionExpired: (() => void) | undefined;
/** Installs the handler called when a request answers 401; returns a function removing it. */
export function onSessionExpired(handler: () => void): () => void {
  sessionExpired = handler;
  return () => {
    if (sessionExpired === handler) sessionExpired = undefined;
  };
}

// Endpoints whose 401 means "wrong password", not "your session ended".
const NOT_EXPIRY = new Set(['/api/auth/login', '/api/auth/signup', '/api/auth/password', '/api/account']);
const NO_CSRF_NEEDED = new Set(['/api/auth/login', '/api/auth/signup']);

async function ensureCsrf(signal?: AbortSignal): Promise<void> {
  if (csrfToken !== undefined) return;
  const res = await fetch('/api/auth/me', { credentials: 'same-origin', headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  if (res.ok) {
    const me = (await res.json()) as { csrfToken?: unknown };
    if (typeof me.csrfToken === 'string') csrfToken = me.csrfToken;
  }
}

function issuePath(path: unknown): string {
  if (Array.isArray(path)) return path.map(String).join('.');
  return typeof path === 'string' ? path : '';
}

async function toApiError(res: Response): Promise<ApiError> {
  let parsed: unknown;
  try {
    parsed = await res.json();
  } catch {
    parsed = undefined;
  }
  const err = (parsed as { error?: { code?: unknown; message?: unknown; issues?: unknown } } | undefined)?.error;
  const message = typeof err?.message === 'string' ? err.message : `request failed (HTTP ${res.status})`;
  const code = typeof err?.code === 'string' ? err.code : undefined;
  const fields = Array.isArray(err?.issues)
    ? (err.issues as { path?: unknown; message?: unknown }[]).map((i) => ({ path: issuePath(i.path), message: typeof i.message === 'string' ? i.message : 'invalid' }))
    : [];
  return new ApiError(res.status, message, code, fields);
}

export async function api<T>(method: HttpMethod, path: string, body?: unknown, init?: { signal?: AbortSignal; headers?: Record<string, string> }): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...init?.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const bare = path.split('?')[0] ?? path;
  if (method !== 'GET' && !NO_CSRF_NEEDED.has(bare)) {
    await ensureCsrf(init?.signal);
    if (csrfToken !== undefined) headers['x-csrf-token'] = csrfToken;
  }
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(init?.signal ? { signal: init.signal } : {}),
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'the server could not be reached; check your connection and try again', 'network');
  }
  if (res.status === 401) {
    const error = await toApiError(res);
    if (!NOT_EXPIRY.has(bare)) {
      csrfToken = undefined;
      sessionExpired?.();
    }
    throw error;
  }
  if (!res.ok) throw await toApiError(res);
  if (bare === '/api/auth/logout') csrfToken = undefined;
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data: unknown = text ? JSON.parse(text) : undefined;
  if (bare.startsWith('/api/auth/') && data && typeof data === 'object') {
    const token = (data as { csrfToken?: unknown }).csrfToken;
    if (typeof token === 'string') csrfToken = token;
  }
  return data as T;
}

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // An expired session or a 4xx is not fixed by asking again.
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
      staleTime: 10_000,
    },
    mutations: { retry: false },
  },
});
