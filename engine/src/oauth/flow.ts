// The connect flow: start (a single-use state bound to the session, PKCE when the service
// supports it) and finish (state checked, code exchanged, tokens sealed as the owner's
// credential). oauth4webapi does the protocol; nothing here hand-builds a token request.
import * as oauth from 'oauth4webapi';
import type { Db } from '../store/database.ts';
import * as repo from '../store/oauth.repo.ts';
import type { Keyring } from '../vault/keyring.ts';
import type { OAuthApp } from './oauth-app.ts';
import { tokenSetFrom } from './token-response.ts';

/** A flow that cannot complete; `code` goes into the redirect back to the editor, never a secret. */
export class OAuthFlowError extends Error {
  readonly code: 'state_unknown' | 'state_other_session' | 'state_expired' | 'denied' | 'exchange_failed' | 'bad_callback';
  constructor(code: OAuthFlowError['code'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OAuthFlowError';
    this.code = code;
  }
}

export const STATE_TTL_MS = 10 * 60_000;

export async function startFlow(db: Db, keyring: Keyring, app: OAuthApp, args: { ownerId: string; sessionId: string; redirectUri: string; label?: string; scopes?: readonly string[]; now?: Date }): Promise<string> {
  const now = args.now ?? new Date();
  const state = oauth.generateRandomState();
  const verifier = app.spec.pkce ? oauth.generateRandomCodeVerifier() : undefined;
  await repo.pruneStates(db, now);
  await repo.insertState(db, {
    state, ownerId: args.ownerId, sessionId: args.sessionId, service: app.service, label: args.label ?? '',
    verifierCiphertext: verifier ? keyring.encrypt(args.ownerId, verifier).ciphertext : null,
    expiresAt: new Date(now.getTime() + STATE_TTL_MS),
  });
  const url = new URL(app.as.authorization_endpoint!);
  url.searchParams.set('client_id', app.client.client_id);
  url.searchParams.set('redirect_uri', args.redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('state', state);
  // `scopes`: what this connect needs (incremental authorisation); otherwise the spec's list.
  const scopes = args.scopes ?? app.spec.scopes;
  if (scopes.length > 0) url.searchParams.set('scope', scopes.join(app.spec.scopeSeparator ?? ' '));
  if (verifier) {
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
    url.searchParams.set('code_challenge_method', 'S256');
  }
  for (const [k, v] of Object.entries(app.spec.authorizationParams ?? {})) url.searchParams.set(k, v);
  return url.href;
}

export interface FinishedFlow {
  credentialId: string;
  label: string;
}

export async function finishFlow(db: Db, keyring: Keyring, app: OAuthApp, args: { ownerId: string; sessionId: string; redirectUri: string; callback: URL; now?: Date }): Promise<FinishedFlow> {
  const now = args.now ?? new Date();
  const state = args.callback.searchParams.get('state');
  if (!state || state.length > 500) throw new OAuthFlowError('bad_callback', 'the callback has no state');
  const taken = await repo.takeState(db, state, { ownerId: args.ownerId, sessionId: args.sessionId, service: app.service });
  if (!taken.ok) {
    throw taken.reason === 'other_session'
      ? new OAuthFlowError('state_other_session', 'this connect link was started in another session; start again from Connections')
      : new OAuthFlowError('state_unknown', 'this connect link was already used or never issued; start again from Connections');
  }
  if (taken.expiresAt < now) throw new OAuthFlowError('state_expired', 'the connect link expired; start again from Connections');
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(app.as, app.client, args.callback, state);
  } catch (err) {
    const denied = err instanceof oauth.AuthorizationResponseError && err.error === 'access_denied';
    throw new OAuthFlowError(denied ? 'denied' : 'bad_callback', denied ? `${app.title} access was not granted` : `${app.title} answered the connect request with an error`, { cause: err });
  }
  const verifier = taken.verifierCiphertext ? keyring.decrypt(args.ownerId, taken.verifierCiphertext) : oauth.nopkce;
  let response: oauth.TokenEndpointResponse;
  try {
    const res = await oauth.authorizationCodeGrantRequest(app.as, app.client, app.clientAuth, params, args.redirectUri, verifier, app.options);
    response = await oauth.processAuthorizationCodeResponse(app.as, app.client, res);
  } catch (err) {
    // The service's error code only: its description could echo what we sent.
    const code = err instanceof oauth.ResponseBodyError ? err.error : undefined;
    throw new OAuthFlowError('exchange_failed', `${app.title} refused the code exchange${code ? ` (${code.slice(0, 60)})` : ''}`, { cause: err });
  }
  const label = taken.label || app.spec.labelFrom?.(response as Record<string, unknown>) || app.title;
  const { id } = await repo.createOAuthCredential(db, keyring, args.ownerId, { provider: app.service, label, tokens: tokenSetFrom(response, now) });
  return { credentialId: id, label };
}
