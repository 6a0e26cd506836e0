// Who is calling: a bearer API token (scripts) or the session cookie (the editor). Cookie
// requests that change state must carry the session's CSRF token in X-CSRF-Token.
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { Forbidden, Unauthorized, users } from '@keyflow/engine';
import type { AppEnv } from '../http/types.ts';

export const SESSION_COOKIE = 'kf_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Signing in replaces whatever session the browser had; it acts on no existing session.
const SESSIONLESS = new Set(['/api/auth/login', '/api/auth/signup']);

export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { db } = c.get('services');
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const m = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(header);
    if (!m) throw new Unauthorized('malformed Authorization header; expected "Bearer <token>"');
    const owner = await users.resolveApiToken(db, m[1]!);
    if (!owner) throw new Unauthorized('invalid or revoked API token');
    c.set('user', { id: owner.userId, email: owner.email, via: 'token' });
    return next();
  }
  const token = getCookie(c, SESSION_COOKIE);
  if (token && !SESSIONLESS.has(c.req.path) && /^[A-Za-z0-9_-]{20,100}$/.test(token)) {
    const session = await users.findSession(db, token);
    if (session) {
      if (!SAFE_METHODS.has(c.req.method) && c.req.header('x-csrf-token') !== session.csrfToken) {
        throw new Forbidden('missing or wrong X-CSRF-Token header for a cookie-authenticated request');
      }
      c.set('user', { id: session.userId, email: session.email, via: 'session', csrfToken: session.csrfToken, sessionToken: token });
    }
  }
  return next();
};
