// Disconnect: revoke the token at the service where it offers that (Slack auth.revoke, RFC 7009
// endpoints), then the caller deletes the credential. A revocation that fails is reported, not
// fatal: the credential is deleted either way, so Keyflow holds the token no longer.
import * as oauth from 'oauth4webapi';
import type { OAuthSpec } from '@keyflow/nodes';
import type { OAuthApp } from './oauth-app.ts';
import type { TokenSet } from './token-set.ts';

export type RevokeOutcome = 'revoked' | 'not_offered' | 'failed';

export async function revokeTokens(target: { spec: OAuthSpec; url: string; app?: OAuthApp } | undefined, tokens: TokenSet, fetchImpl: typeof fetch = fetch): Promise<RevokeOutcome> {
  if (!target?.spec.revocation) return 'not_offered';
  const signal = AbortSignal.timeout(10_000);
  try {
    // Slack's auth.revoke needs only the token: pasted tokens are revoked too.
    if (target.spec.revocation.style === 'slack_auth_revoke') {
      const res = await fetchImpl(target.url, { method: 'POST', headers: { authorization: `Bearer ${tokens.accessToken}`, 'content-type': 'application/x-www-form-urlencoded' }, body: '', redirect: 'error', signal });
      const body = (await res.json().catch(() => ({}))) as { ok?: unknown; error?: unknown };
      // An already revoked or invalid token is as revoked as it gets.
      return body.ok === true || body.error === 'invalid_auth' || body.error === 'token_revoked' ? 'revoked' : 'failed';
    }
    const app = target.app;
    if (!app) return 'not_offered';
    const res = await oauth.revocationRequest(app.as, app.client, app.clientAuth, tokens.refreshToken ?? tokens.accessToken, { ...app.options, signal });
    await oauth.processRevocationResponse(res);
    return 'revoked';
  } catch {
    return 'failed';
  }
}
