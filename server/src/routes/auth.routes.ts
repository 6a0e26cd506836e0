// Sign up, log in, log out, change password, who am I; and personal API tokens.
import { randomBytes, randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { AppError, NotFound, TooManyRequests, Unauthorized, users, type Limit } from '@keyflow/engine';
import { changePasswordBody, createTokenBody, credentialsBody, loginBody, meResponse, passwordChangedResponse, tokenSummary, tokensRevokedResponse } from '../contract/auth.schema.ts';
import { clientAddress } from '../auth/client-address.ts';
import { dummyHashPromise, hashPassword, verifyPassword } from '../auth/password.ts';
import { SESSION_COOKIE } from '../auth/authenticate.ts';
import { route } from '../http/route.ts';
import type { AppEnv } from '../http/types.ts';
import type { Context } from 'hono';

const SESSION_DAYS = 14;

const idParams = z.strictObject({ id: z.uuid() });

async function startSession(c: Context<AppEnv>, userId: string): Promise<string> {
  const { db, config } = c.get('services');
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await users.createSession(db, { token, userId, csrfToken, expiresAt: new Date(Date.now() + SESSION_DAYS * 86_400_000) });
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', secure: config.secureCookies, path: '/', maxAge: SESSION_DAYS * 86_400 });
  return csrfToken;
}

const HOUR_MS = 60 * 60_000;

function tooMany(wait: number, what: string): void {
  if (wait > 0) throw new TooManyRequests(`too many ${what}; try again in ${wait} s`, wait);
}

export function authRoutes(signupsPerHour: number): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Log-in: wrong passwords for one email from one client back off exponentially (its own
  // guessing slows, the owner elsewhere is never locked out); failures per client are capped
  // across all emails. Both are checked before the password is hashed (scrypt is the costly part).
  // The counters live in services.limits: Redis in queue mode, so every server process shares them.
  const loginPair = (client: string, email: string): Limit => ({ kind: 'backoff', name: 'login-pair', key: `${client}\n${email.toLowerCase()}`, free: 5, baseMs: 1000, maxMs: 15 * 60_000 });
  const loginPerClient = (client: string): Limit => ({ kind: 'window', name: 'login-client', key: client, windowMs: 15 * 60_000, max: 50 });
  // Sign-up: each attempt counts, refused or not, per client and for everyone together.
  const signupPerClient = (client: string): Limit => ({ kind: 'window', name: 'signup-client', key: client, windowMs: HOUR_MS, max: 10 });
  const signupAll: Limit = { kind: 'window', name: 'signup-all', key: 'all', windowMs: HOUR_MS, max: signupsPerHour };
  // Password change: whoever holds a token or session could otherwise guess the current
  // password at full speed (and then change it). Per account: only a holder of its
  // credentials can trigger it, and the owner's sign-ins are not affected.
  const passwordPerUser = (userId: string): Limit => ({ kind: 'backoff', name: 'password-user', key: userId, free: 5, baseMs: 1000, maxMs: 15 * 60_000 });

  route(app, { method: 'post', path: '/api/auth/signup', tag: 'auth', summary: 'Create an account and start a session (400 signup_refused, for any reason, without saying which)', auth: 'public', body: credentialsBody, response: meResponse, status: 201 }, async (c, { body }) => {
    const { db, limits } = c.get('services');
    // Checked and counted in one step, so a burst of parallel attempts is counted in full.
    tooMany(await limits.attempt([signupPerClient(clientAddress(c)), signupAll]), 'sign-ups');
    const id = randomUUID();
    // Hashed before the insert either way, so a taken address costs the same time as a free one.
    const created = await users.insertUser(db, { id, email: body.email, passwordHash: await hashPassword(body.password) });
    if (!created) {
      // The owner of the address sees the attempt in their audit log; the caller learns nothing
      // more than "refused" (without email verification no answer can hide more than that).
      const owner = await users.findUserByEmail(db, body.email);
      if (owner) await users.audit(db, owner.id, 'user.signup_refused', { type: 'user', id: owner.id });
      throw new AppError('signup_refused', 400, 'could not create an account with these details');
    }
    await users.audit(db, id, 'user.signup', { type: 'user', id });
    const csrfToken = await startSession(c, id);
    return c.json({ user: { id, email: body.email }, csrfToken }, 201);
  });

  route(app, { method: 'post', path: '/api/auth/login', tag: 'auth', summary: 'Log in with email and password (429 with Retry-After when one client guesses too often)', auth: 'public', body: loginBody, response: meResponse }, async (c, { body }) => {
    const { db, limits } = c.get('services');
    const client = clientAddress(c);
    const pair = loginPair(client, body.email);
    const perClient = loginPerClient(client);
    // Checked and counted as a failure in one step, so a burst of parallel guesses is counted in full.
    tooMany(await limits.attempt([pair, perClient]), 'log-in attempts');
    const user = await users.findUserByEmail(db, body.email);
    const ok = await verifyPassword(body.password, user?.passwordHash ?? (await dummyHashPromise));
    if (!user || !ok) throw new Unauthorized('wrong email or password');
    await limits.forgive([pair, perClient]);
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

  route(app, { method: 'post', path: '/api/auth/password', tag: 'auth', summary: 'Change password; ends every session. API tokens are kept unless revokeTokens is true', body: changePasswordBody, response: passwordChangedResponse }, async (c, { body, user }) => {
    const { db, limits } = c.get('services');
    const limit = passwordPerUser(user.id);
    // Checked and counted in one step, so parallel guesses are counted in full.
    tooMany(await limits.attempt([limit]), 'wrong current passwords');
    const record = await users.findUser(db, user.id);
    if (!record || !(await verifyPassword(body.currentPassword, record.passwordHash))) throw new Unauthorized('current password is wrong');
    await limits.forgive([limit]);
    const tokens = await users.changePassword(db, user.id, await hashPassword(body.newPassword), { revokeTokens: body.revokeTokens });
    await users.audit(db, user.id, 'user.password_changed', { type: 'user', id: user.id }, { tokensRevoked: tokens.tokensRevoked });
    // The caller keeps working in a fresh session; every other session is gone.
    const csrfToken = user.via === 'session' ? await startSession(c, user.id) : undefined;
    return c.json({ user: { id: user.id, email: user.email }, ...(csrfToken ? { csrfToken } : {}), ...tokens });
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

  route(app, { method: 'delete', path: '/api/tokens', tag: 'tokens', summary: 'Revoke every API token of the caller (the one making the call included)', response: tokensRevokedResponse }, async (c, { user }) => {
    const { db } = c.get('services');
    const revoked = await users.deleteAllApiTokens(db, user.id);
    await users.audit(db, user.id, 'token.revoke_all', { type: 'api_token' }, { revoked });
    return c.json({ revoked });
  });

  route(app, { method: 'delete', path: '/api/tokens/:id', tag: 'tokens', summary: 'Revoke an API token', params: idParams, status: 204 }, async (c, { params, user }) => {
    const { db } = c.get('services');
    if (!(await users.deleteApiToken(db, user.id, params.id))) throw new NotFound('token');
    await users.audit(db, user.id, 'token.revoke', { type: 'api_token', id: params.id });
    return c.body(null, 204);
  });

  return app;
}
