// Health: who the credential is. OAuth tokens: tokeninfo (the account's email and the granted
// scopes; POSTed with the token in the Authorization header, never in a URL), userinfo when
// tokeninfo has no email. Service-account keys: a token exchange (the JWT grant) proves the key
// works; the name is the key's client_email.
import { ServiceProblemError, type Identity, type ServiceCall } from '../framework/index.ts';
import { googleAuth, googleFetch } from './client.ts';
import { callGoogle, googleProblem } from './errors.ts';
import { BASE_SCOPES, parseScopes } from './scopes.ts';
import { looksLikeServiceAccountKey, parseServiceAccountKey } from './service-account.ts';
import { googleSpec } from './spec.ts';

async function postJson(call: ServiceCall, url: string, token: string): Promise<Record<string, unknown>> {
  const res = await googleFetch(call)(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
  const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    // tokeninfo answers 400 invalid_token for a dead token: that is a refused credential.
    const status = res.status === 400 && data.error === 'invalid_token' ? 401 : res.status;
    const problem = googleProblem({ response: { status, data, headers: res.headers } });
    throw new ServiceProblemError(problem ?? { kind: 'server', message: `HTTP ${res.status}`, status: res.status });
  }
  return data;
}

export async function googleIdentity(call: ServiceCall): Promise<Identity> {
  return callGoogle(call, undefined, async (c) => {
    const secret = c.credential.reveal();
    if (looksLikeServiceAccountKey(secret)) {
      const key = parseServiceAccountKey(secret);
      // Any scope will do for proving the key; userinfo.email is the least powerful.
      const jwt = googleAuth(c, [BASE_SCOPES[1]!]);
      await jwt.getAccessToken();
      return { name: key.client_email, accountId: key.client_email };
    }
    const info = await postJson(c, googleSpec.tokenInfoUrl, secret);
    let email = typeof info.email === 'string' ? info.email : undefined;
    if (!email) {
      const user = await postJson(c, googleSpec.userInfoUrl, secret).catch(() => ({}) as Record<string, unknown>);
      email = typeof user.email === 'string' ? user.email : undefined;
    }
    const scopes = parseScopes(typeof info.scope === 'string' ? info.scope : undefined);
    return { name: email ?? 'Google account', ...(typeof info.sub === 'string' ? { accountId: info.sub } : {}), ...(scopes.length > 0 ? { scopes } : {}) };
  });
}
