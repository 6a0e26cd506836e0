// Lends a node the owner's credential for one call: decrypted into a Secret-backed object
// that prints masked, looked up by owner (and id when the node names one).
//
// Which credential: the one named by `credentialId` (it must be the owner's and of the node's
// provider); without one, the owner's only credential of that provider. None, several, or an
// invalid one fail the step with a message naming the provider and what to do.
// OAuth credentials lend their access token, refreshed first when it is about to expire, and
// offer refresh() for a 401 (one refresh at a time per credential: see oauth/refresh.ts).
import { NonRetriableNodeError, type NodeCredential } from '@keyflow/nodes/contract';
import type { Db } from '../store/database.ts';
import type { Keyring } from '../vault/keyring.ts';
import { Secret } from '../vault/secret.ts';
import type { CredentialLender } from '../executor/types.ts';
import { openTokenSet } from '../oauth/token-set.ts';

/** Refreshes OAuth access tokens; implemented by oauth/refresh.ts. */
export interface OAuthRefresher {
  /**
   * Answers a usable access token for the credential. `seen` is the access token the caller
   * holds: when `force`, a stored token different from it means another worker refreshed
   * already and no call to the service is made.
   */
  refresh(ownerId: string, credentialId: string, opts: { force: boolean; seen: string }): Promise<string>;
}

export interface LenderOptions {
  oauth?: OAuthRefresher;
  /** Refresh an access token expiring within this margin before lending it (default 2 min). */
  refreshMarginMs?: number;
  now?: () => Date;
}

type Row = { id: string; provider: string; label: string; ciphertext: string; status: string; auth_kind: string; token_expires_at: Date | null };
const rowColumns = ['id', 'provider', 'label', 'ciphertext', 'status', 'auth_kind', 'token_expires_at'] as const;

/** The credential as a node (or an identity check) uses it: reveal() masked in JSON, refresh() for OAuth. */
async function toNodeCredential(db: Db, keyring: Keyring, opts: LenderOptions, ownerId: string, row: Row): Promise<NodeCredential> {
  const margin = opts.refreshMarginMs ?? 120_000;
  const now = opts.now ?? (() => new Date());
  const plaintext = keyring.decrypt(ownerId, row.ciphertext);
  let secret: Secret;
  let refresh: (() => Promise<boolean>) | undefined;
  let grantedScopes: string[] | undefined;
  if (row.auth_kind === 'oauth2') {
    const set = openTokenSet(plaintext);
    // The scopes the service reported granting (a refresh keeps them: token-response.ts).
    if (set.scope) grantedScopes = set.scope.split(/[\s,]+/).filter((s) => s !== '');
    let access = set.accessToken;
    const refresher = opts.oauth;
    if (refresher && set.refreshToken && row.token_expires_at && row.token_expires_at.getTime() - now().getTime() < margin) {
      access = await refresher.refresh(ownerId, row.id, { force: false, seen: access });
    }
    secret = new Secret(access);
    if (refresher && set.refreshToken) {
      refresh = async () => {
        const next = await refresher.refresh(ownerId, row.id, { force: true, seen: secret.reveal() });
        if (next === secret.reveal()) return false;
        secret = new Secret(next);
        return true;
      };
    }
  } else {
    secret = new Secret(plaintext);
  }
  await db.updateTable('credentials').set({ last_used_at: new Date() }).where('id', '=', row.id).execute();
  const credential: NodeCredential & { toJSON(): string } = {
    id: row.id,
    provider: row.provider,
    reveal: () => secret.reveal(),
    toJSON: () => secret.masked,
    ...(refresh ? { refresh } : {}),
    ...(grantedScopes && grantedScopes.length > 0 ? { grantedScopes } : {}),
  };
  return credential;
}

/**
 * One credential of the owner by id, for an identity check or an option list: undefined when it
 * is not theirs. An invalid one is lent too (a check is how it becomes valid again).
 */
export async function openForCheck(db: Db, keyring: Keyring, opts: LenderOptions, ownerId: string, id: string): Promise<NodeCredential | undefined> {
  const row = await db.selectFrom('credentials').select(rowColumns).where('owner_id', '=', ownerId).where('id', '=', id).executeTakeFirst();
  return row ? toNodeCredential(db, keyring, opts, ownerId, row) : undefined;
}

export function createCredentialLender(db: Db, keyring: Keyring, opts: LenderOptions = {}): CredentialLender {
  return async (ownerId, provider, credentialId) => {
    let q = db.selectFrom('credentials').select(rowColumns).where('owner_id', '=', ownerId).where('provider', '=', provider);
    if (credentialId) q = q.where('id', '=', credentialId);
    const rows = await q.orderBy('created_at').limit(2).execute();
    const row = rows[0];
    if (credentialId && !row) throw new NonRetriableNodeError(`credential ${credentialId} is not one of your ${provider} credentials: pick another under the node's connection`);
    if (!row) return undefined;
    if (rows.length > 1) throw new NonRetriableNodeError(`you have several ${provider} credentials: choose one in the node's credentialId`);
    if (row.status === 'invalid') throw new NonRetriableNodeError(`${provider} credential ${row.id} ("${row.label}") is marked invalid: reconnect it or paste a new key, then run again`);
    return toNodeCredential(db, keyring, opts, ownerId, row);
  };
}
