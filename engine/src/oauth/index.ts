export { finishFlow, OAuthFlowError, startFlow, STATE_TTL_MS } from './flow.ts';
export { oauthApp, oauthServices, revocationTarget, type OAuthApp } from './oauth-app.ts';
export { createOAuthRefresher, type RefresherOptions } from './refresh.ts';
export { revokeTokens, type RevokeOutcome } from './revoke.ts';
export { openTokenSet, sealTokenSet, type TokenSet } from './token-set.ts';
