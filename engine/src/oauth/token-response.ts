// oauth4webapi's token answer as our TokenSet; a rotated refresh token replaces the old one,
// an answer without one keeps it (RFC 6749 §6).
import type { TokenEndpointResponse } from 'oauth4webapi';
import type { TokenSet } from './token-set.ts';

export function tokenSetFrom(r: TokenEndpointResponse, now: Date, previous?: TokenSet): TokenSet {
  const refreshToken = r.refresh_token ?? previous?.refreshToken;
  return {
    accessToken: r.access_token,
    ...(refreshToken ? { refreshToken } : {}),
    ...(typeof r.expires_in === 'number' ? { expiresAt: new Date(now.getTime() + r.expires_in * 1000).toISOString() } : {}),
    ...(typeof r.scope === 'string' ? { scope: r.scope } : previous?.scope ? { scope: previous.scope } : {}),
    tokenType: r.token_type,
  };
}
