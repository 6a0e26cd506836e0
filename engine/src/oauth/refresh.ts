// Refreshing OAuth access tokens: before they expire (when the lender hands one out) and once
// after a 401 (NodeCredential.refresh). One refresh at a time per credential across every
// worker: the credential's row is locked (SELECT … FOR UPDATE) for the exchange, and whoever
// gets the lock second finds the token already new and makes no call. A refresh token the
// service refuses marks the credential invalid.
import * as oauth from 'oauth4webapi';
import { CredentialRejectedError, NodeError, NonRetriableNodeError } from '@keyflow/nodes/contract';
import type { Config } from '../config.ts';
import type { OAuthRefresher } from '../engine/credential-lender.ts';
import type { Db } from '../store/database.ts';
import * as repo from '../store/oauth.repo.ts';
import type { Keyring } from '../vault/keyring.ts';
import { oauthApp } from './oauth-app.ts';
import { tokenSetFrom } from './token-response.ts';
import { openTokenSet } from './token-set.ts';

export interface RefresherOptions {
  db: Db;
  keyring: Keyring;
  config: Pick<Config, 'oauthClients' | 'oauthUrls'>;
  fetch?: typeof fetch;
  now?: () => Date;
  /** A token expiring within this margin counts as expired (default 2 min). */
  marginMs?: number;
}

const TOKEN_TIMEOUT_MS = 20_000;

export function createOAuthRefresher(opts: RefresherOptions): OAuthRefresher & { readonly exchanges: number } {
  const now = opts.now ?? (() => new Date());
  const margin = opts.marginMs ?? 120_000;
  let exchanges = 0;
  return {
    get exchanges() {
      return exchanges;
    },
    async refresh(ownerId, credentialId, { force, seen }) {
      // A refused refresh is recorded after the lock's transaction ends (a throw inside would roll it back).
      const outcome = await opts.db.transaction().execute(async (trx): Promise<{ token: string } | { rejected: string; provider: string }> => {
        const row = await trx.selectFrom('credentials').select(['provider', 'label', 'ciphertext', 'auth_kind', 'status']).where('owner_id', '=', ownerId).where('id', '=', credentialId).forUpdate().executeTakeFirst();
        if (!row || row.auth_kind !== 'oauth2') throw new NonRetriableNodeError(`credential ${credentialId} is not an OAuth connection`);
        if (row.status === 'invalid') throw new CredentialRejectedError(`${row.provider} credential ${credentialId} ("${row.label}") is marked invalid: reconnect it under Connections`, { id: credentialId, provider: row.provider });
        const set = openTokenSet(opts.keyring.decrypt(ownerId, row.ciphertext));
        // Someone refreshed while we waited for the lock: use theirs.
        if (set.accessToken !== seen) return { token: set.accessToken };
        const fresh = set.expiresAt !== undefined && new Date(set.expiresAt).getTime() - now().getTime() > margin;
        if (!force && (fresh || set.expiresAt === undefined)) return { token: set.accessToken };
        if (!set.refreshToken) return { token: set.accessToken };
        const app = oauthApp(opts.config, row.provider, opts.fetch);
        if (!app) throw new NonRetriableNodeError(`${row.provider} OAuth is not configured on this server (KEYFLOW_${row.provider.toUpperCase()}_CLIENT_ID), so credential ${credentialId} cannot be refreshed`);
        exchanges += 1;
        let response: oauth.TokenEndpointResponse;
        try {
          const res = await oauth.refreshTokenGrantRequest(app.as, app.client, app.clientAuth, set.refreshToken, { ...app.options, signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS) });
          response = await oauth.processRefreshTokenResponse(app.as, app.client, res);
        } catch (err) {
          if (err instanceof oauth.ResponseBodyError && (err.error === 'invalid_grant' || err.error === 'invalid_refresh_token' || err.error === 'token_revoked' || err.error === 'invalid_client')) {
            return { rejected: `${app.title} refused to refresh credential ${credentialId} ("${row.label}") (${err.error}): reconnect ${app.title} under Connections`, provider: row.provider };
          }
          throw new NodeError(`${app.title} token refresh failed; will retry`, { cause: err });
        }
        const next = tokenSetFrom(response, now(), set);
        await repo.storeTokenSet(trx, opts.keyring, ownerId, credentialId, next);
        return { token: next.accessToken };
      });
      if ('token' in outcome) return outcome.token;
      await opts.db.updateTable('credentials').set({ status: 'invalid', health: 'invalid', health_error: outcome.rejected, health_checked_at: now() }).where('owner_id', '=', ownerId).where('id', '=', credentialId).execute();
      throw new CredentialRejectedError(outcome.rejected, { id: credentialId, provider: outcome.provider });
    },
  };
}
