// Accounts, sessions and personal API tokens. Secrets (session cookies, tokens) are stored
// only as sha256 hashes; the clear value exists once, in the response that creates it.
import { createHash } from 'node:crypto';
import { cachedApiTokenOwner, forgetApiTokens } from './api-token-cache.ts';
import type { Db } from './database.ts';

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export interface UserRecord {
  id: string;
  email: string;
  passwordHash: string;
  passwordChangedAt: Date;
}

export async function insertUser(db: Db, user: { id: string; email: string; passwordHash: string }): Promise<boolean> {
  const r = await db
    .insertInto('users')
    .values({ id: user.id, email: user.email, password_hash: user.passwordHash })
    .onConflict((oc) => oc.column('email').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRecord | undefined> {
  const row = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  return row && { id: row.id, email: row.email, passwordHash: row.password_hash, passwordChangedAt: row.password_changed_at };
}

export async function findUser(db: Db, userId: string): Promise<UserRecord | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  return row && { id: row.id, email: row.email, passwordHash: row.password_hash, passwordChangedAt: row.password_changed_at };
}

/**
 * Sets a new password hash and ends every session of the user, atomically; with
 * `revokeTokens`, every API token goes too (else tokens are kept: scripts keep working).
 */
export async function changePassword(db: Db, userId: string, passwordHash: string, opts: { revokeTokens?: boolean } = {}): Promise<{ tokensRevoked: number; tokensKept: number }> {
  const result = await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash, password_changed_at: new Date() }).where('id', '=', userId).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    const revoked = opts.revokeTokens ? await trx.deleteFrom('api_tokens').where('owner_id', '=', userId).executeTakeFirst() : undefined;
    const kept = await trx.selectFrom('api_tokens').select((eb) => eb.fn.countAll<string>().as('n')).where('owner_id', '=', userId).executeTakeFirstOrThrow();
    return { tokensRevoked: Number(revoked?.numDeletedRows ?? 0n), tokensKept: Number(kept.n) };
  });
  if (opts.revokeTokens) forgetApiTokens(db);
  return result;
}

export async function createSession(db: Db, s: { token: string; userId: string; csrfToken: string; expiresAt: Date }): Promise<void> {
  await db.insertInto('sessions').values({ id: sha256(s.token), user_id: s.userId, csrf_token: s.csrfToken, expires_at: s.expiresAt }).execute();
}

export interface SessionRecord {
  userId: string;
  email: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function findSession(db: Db, token: string): Promise<SessionRecord | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.user_id', 'users.email', 'sessions.csrf_token', 'sessions.expires_at'])
    .where('sessions.id', '=', sha256(token))
    .where('sessions.expires_at', '>', new Date())
    .executeTakeFirst();
  return row && { userId: row.user_id, email: row.email, csrfToken: row.csrf_token, expiresAt: row.expires_at };
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sha256(token)).execute();
}

export interface ApiTokenSummary {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export async function insertApiToken(db: Db, ownerId: string, t: { id: string; name: string; token: string; prefix: string }): Promise<void> {
  await db.insertInto('api_tokens').values({ id: t.id, owner_id: ownerId, name: t.name, token_hash: sha256(t.token), prefix: t.prefix }).execute();
}

export async function listApiTokens(db: Db, ownerId: string): Promise<ApiTokenSummary[]> {
  const rows = await db.selectFrom('api_tokens').select(['id', 'name', 'prefix', 'created_at', 'last_used_at']).where('owner_id', '=', ownerId).orderBy('created_at', 'desc').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, prefix: r.prefix, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
}

export async function deleteApiToken(db: Db, ownerId: string, id: string): Promise<boolean> {
  const r = await db.deleteFrom('api_tokens').where('owner_id', '=', ownerId).where('id', '=', id).executeTakeFirst();
  forgetApiTokens(db);
  return Number(r.numDeletedRows) === 1;
}

/** Revokes every API token of the owner; returns how many there were. */
export async function deleteAllApiTokens(db: Db, ownerId: string): Promise<number> {
  const r = await db.deleteFrom('api_tokens').where('owner_id', '=', ownerId).executeTakeFirst();
  forgetApiTokens(db);
  return Number(r.numDeletedRows);
}

export { API_TOKEN_CACHE_MAX, API_TOKEN_CACHE_TTL_MS, cachedApiTokenCount, forgetApiTokens } from './api-token-cache.ts';

export type ApiTokenOwner = { userId: string; email: string; tokenId: string };

/** findApiTokenOwner through the short-lived cache of api-token-cache.ts: what a request's bearer token is checked with. */
export function resolveApiToken(db: Db, token: string): Promise<ApiTokenOwner | undefined> {
  return cachedApiTokenOwner(db, sha256(token), () => findApiTokenOwner(db, token));
}

/** Resolves a bearer token to its owner, touching last_used_at at most once a minute. */
export async function findApiTokenOwner(db: Db, token: string): Promise<ApiTokenOwner | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.owner_id')
    .select(['api_tokens.id', 'api_tokens.owner_id', 'users.email', 'api_tokens.last_used_at'])
    .where('api_tokens.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row) return undefined;
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', row.id).execute();
  }
  return { userId: row.owner_id, email: row.email, tokenId: row.id };
}

export async function audit(db: Db, ownerId: string, action: string, target: { type: string; id?: string }, meta: Record<string, unknown> = {}): Promise<void> {
  await db.insertInto('audit_log').values({ owner_id: ownerId, action, target_type: target.type, target_id: target.id ?? null, meta: JSON.stringify(meta) }).execute();
}
