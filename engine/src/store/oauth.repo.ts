// OAuth rows: the single-use `state` of connect flows in progress, and OAuth credentials (their
// secret is the token set, sealed like any other; the hint masks the access token).
import { createHash, randomUUID } from 'node:crypto';
import { maskSecret } from '../vault/mask-secret.ts';
import type { Keyring } from '../vault/keyring.ts';
import { sealTokenSet, type TokenSet } from '../oauth/token-set.ts';
import type { Db } from './database.ts';

export const stateId = (state: string): string => createHash('sha256').update(state).digest('hex');

export async function insertState(db: Db, row: { state: string; ownerId: string; sessionId: string; service: string; verifierCiphertext: string | null; label: string; expiresAt: Date }): Promise<void> {
  await db
    .insertInto('oauth_states')
    .values({ id: stateId(row.state), owner_id: row.ownerId, session_id: row.sessionId, service: row.service, verifier_ciphertext: row.verifierCiphertext, label: row.label, expires_at: row.expiresAt })
    .execute();
}

export type TakenState = { ok: true; verifierCiphertext: string | null; label: string; expiresAt: Date } | { ok: false; reason: 'unknown' | 'other_session' };

/**
 * Takes a state once: deleted in the same statement that reads it, so a replay finds nothing.
 * A state presented by another session (or owner, or for another service) is refused and left
 * alone, so it cannot be used to burn the rightful flow.
 */
export async function takeState(db: Db, state: string, who: { ownerId: string; sessionId: string; service: string }): Promise<TakenState> {
  const id = stateId(state);
  const row = await db
    .deleteFrom('oauth_states')
    .where('id', '=', id)
    .where('owner_id', '=', who.ownerId)
    .where('session_id', '=', who.sessionId)
    .where('service', '=', who.service)
    .returning(['verifier_ciphertext', 'label', 'expires_at'])
    .executeTakeFirst();
  if (row) return { ok: true, verifierCiphertext: row.verifier_ciphertext, label: row.label, expiresAt: row.expires_at };
  const exists = await db.selectFrom('oauth_states').select('id').where('id', '=', id).executeTakeFirst();
  return { ok: false, reason: exists ? 'other_session' : 'unknown' };
}

export async function pruneStates(db: Db, now: Date): Promise<void> {
  await db.deleteFrom('oauth_states').where('expires_at', '<', now).execute();
}

const expiry = (set: TokenSet): Date | null => (set.expiresAt ? new Date(set.expiresAt) : null);

export async function createOAuthCredential(db: Db, keyring: Keyring, ownerId: string, input: { provider: string; label: string; tokens: TokenSet }): Promise<{ id: string }> {
  const sealed = keyring.encrypt(ownerId, sealTokenSet(input.tokens));
  const id = randomUUID();
  await db
    .insertInto('credentials')
    .values({ id, owner_id: ownerId, provider: input.provider, label: input.label, ciphertext: sealed.ciphertext, key_id: sealed.keyId, hint: maskSecret(input.tokens.accessToken), meta: JSON.stringify({}), auth_kind: 'oauth2', token_expires_at: expiry(input.tokens), status: 'valid', health: 'healthy' })
    .execute();
  return { id };
}

/** Replaces a credential's token set (after a refresh); callers hold the row lock. */
export async function storeTokenSet(db: Db, keyring: Keyring, ownerId: string, id: string, tokens: TokenSet): Promise<void> {
  const sealed = keyring.encrypt(ownerId, sealTokenSet(tokens));
  await db
    .updateTable('credentials')
    .set({ ciphertext: sealed.ciphertext, key_id: sealed.keyId, hint: maskSecret(tokens.accessToken), token_expires_at: expiry(tokens), updated_at: new Date() })
    .where('owner_id', '=', ownerId)
    .where('id', '=', id)
    .execute();
}
