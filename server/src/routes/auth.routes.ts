// Sign up, log in, log out, change password, who am I; and personal API tokens.
import { randomBytes, randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { Conflict, NotFound, TooManyRequests, Unauthorized, users } from '@keyflow/engine';
import { changePasswordBody, createTokenBody, credentialsBody, loginBody, meResponse, tokenSummary } from '../contract/auth.schema.ts';
import { dummyHashPromise, hashPassword, verifyPassword } from '../auth/password.ts';
import { RateLimiter } from '../auth/rate-limit.ts';
import { SESSION_COOKIE } from '../auth/authenticate.ts';
import { route } from '../http/route.ts';
import type { AppEnv } from '../http/types.ts';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

const SESSION_DAYS = 14;

/** The peer address of the socket (not X-Forwarded-For, which any client can set). */
function clientAddress(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // app.request in tests has no socket
  }
}
const idParams = z.strictObject({ id: z.uuid() });

async function startSession(c: Context<AppEnv>, userId: string): Promise<string> {
  const { db, config } = c.get('services');
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await users.createSession(db, { token, userId, csrfToken, expiresAt: new Date(Date.now() + SESSION_DAYS * 86_400_000) });
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', secure: config.secureCookies, path: '/', maxAge: SESSION_DAYS * 86_400 });
  return csrfToken;
}

export function authRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Per email and per client address: slows guessing without locking the owner out for long.
  const perEmail = new RateLimiter({ windowMs: 15 * 60_000, max: 10 });
  const perClient = new RateLimiter({ windowMs: 15 * 60_000, max: 100 });

  route(app, { method: 'post', path: '/api/auth/signup', tag: 'auth', summary: 'Create an account and start a session', auth: 'public', body: credentialsBody, response: meResponse, status: 201 }, async (c, { body }) => {
    const { db } = c.get('services');
    const id = randomUUID();
    const created = await users.insertUser(db, { id, email: body.email, passwordHash: await hashPassword(body.password) });
    if (!created) throw new Conflict('an account with this email already exists');
    await users.audit(db, id, 'user.signup', { type: 'user', id });
    const csrfToken = await startSession(c, id);
    return c.json({ user: { id, email: body.email }, csrfToken }, 201);
  });

  route(app, { method: 'post', path: '/api/auth/login', tag: 'auth', summary: 'Log in with email and password', auth: 'public', body: loginBody, response: meResponse }, async (c, { body }) => {
    const { db } = c.get('services');
    const client = clientAddress(c);
    const wait = Math.max(perEmail.hit(body.email), perClient.hit(client));
    if (wait > 0) throw new TooManyRequests('too many login attempts; try again later', wait);
    const user = await users.findUserByEmail(db, body.email);
    const ok = await verifyPassword(body.password, user?.passwordHash ?? (await dummyHashPromise));
    if (!user || !ok) throw new Unauthorized('wrong email or password');
    perEmail.reset(body.email);
    const csrfToken = await startSession(c, user.id);
    return c.json({ user: { id: user.id, email: user.email }, csrfToken });
  });

  route(app, { method: 'post', path: '/api/auth/logout', tag: 'auth', summary: 'End the current session' }, async (c, { user }) => {
    if (user.sessionToken) await users.deleteSession(c.get('services').db, user.sessionToken);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  route(app, { method: 'get', path: '/api/auth/me', tag: 'auth', summary: 'The signed-in user (and the CSRF token for cookie sessions)', response: meResponse }, (c, { user }) =>
    c.json({ user: { id: user.id, email: user.email }, ...(user.csrfToken ? { csrfToken: user.csrfToken } : {}) }),
  );

  route(app, { method: 'post', path: '/api/auth/password', tag: 'auth', summary: 'Change password; ends every session', body: changePasswordBody, response: meResponse }, async (c, { body, user }) => {
    const { db } = c.get('services');
    const record = await users.findUser(db, user.id);
    if (!record || !(await verifyPassword(body.currentPassword, record.passwordHash))) throw new Unauthorized('current password is wrong');
    await users.changePassword(db, user.id, await hashPassword(body.newPassword));
    await users.audit(db, user.id, 'user.password_changed', { type: 'user', id: user.id });
    // The caller keeps working in a fresh session; every other session is gone.
    const csrfToken = user.via === 'session' ? await startSession(c, user.id) : undefined;
    return c.json({ user: { id: user.id, email: user.email }, ...(csrfToken ? { csrfToken } : {}) });
  });

  route(app, { method: 'post', path: '/api/tokens', tag: 'tokens', summary: 'Create a personal API token (shown once)', body: createTokenBody, status: 201 }, async (c, { body, user }) => {
    const { db } = c.get('services');
    const id = randomUUID();
    const token = `kf_${randomBytes(32).toString('base64url')}`;
    await users.insertApiToken(db, user.id, { id, name: body.name, token, prefix: token.slice(0, 8) });
    await users.audit(db, user.id, 'token.create', { type: 'api_token', id });
    return c.json({ id, name: body.name, token }, 201);
  });

  route(app, { method: 'get', path: '/api/tokens', tag: 'tokens', summary: 'List API tokens (never the token itself)', response: z.object({ items: z.array(tokenSummary) }) }, async (c, { user }) => {
    return c.json({ items: await users.listApiTokens(c.get('services').db, user.id) });
  });

  route(app, { method: 'delete', path: '/api/tokens/:id', tag: 'tokens', summary: 'Revoke an API token', params: idParams, status: 204 }, async (c, { params, user }) => {
    const { db } = c.get('services');
    if (!(await users.deleteApiToken(db, user.id, params.id))) throw new NotFound('token');
    await users.audit(db, user.id, 'token.revoke', { type: 'api_token', id: params.id });
    return c.body(null, 204);
  });

  return app;
}
