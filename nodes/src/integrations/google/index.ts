// Google: OAuth 2.0 (PKCE, offline access, incremental scopes) or service-account JSON keys,
// through the official per-API packages (@googleapis/sheets, @googleapis/drive, … with
// google-auth-library). One credential provider, 'google', for four node families:
// sheets.*, drive.* (goog1), gmail.*, calendar.* (goog2). See README.md in this folder.
import { defineIntegration, type OptionList } from '../framework/index.ts';
import { calendarNodes, calendarOptions } from './calendar/index.ts';
import { driveNodes, driveOptions, drivePolls } from './drive/index.ts';
import { gmailNodes, gmailOptions, gmailPolls } from './gmail/index.ts';
import { googleIdentity } from './identity.ts';
import { allNodeScopes, googleNodeScopes, scopesForNodeTypes } from './node-scopes.ts';
import { looksLikeServiceAccountKey } from './service-account.ts';
import { sheetsNodes, sheetsOptions } from './sheets/index.ts';
import { googleSpec } from './spec.ts';

/** Option lists of every family, by node type; the '*' lists of each family are merged. */
/** The email claim of an ID token the token endpoint just sent (a label only: nothing trusts it). */
function emailOfIdToken(idToken: unknown): string | undefined {
  if (typeof idToken !== 'string') return undefined;
  try {
    const claims = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { email?: unknown };
    return typeof claims.email === 'string' && claims.email.length <= 200 ? claims.email : undefined;
  } catch {
    return undefined;
  }
}

type Options = Readonly<Record<string, Readonly<Record<string, OptionList>>>>;
function mergeOptions(...lists: Options[]): Record<string, Record<string, OptionList>> {
  const out: Record<string, Record<string, OptionList>> = {};
  for (const l of lists) for (const [type, named] of Object.entries(l)) out[type] = { ...(out[type] ?? {}), ...named };
  return out;
}

export const googleIntegration = defineIntegration({
  service: googleSpec.service,
  title: googleSpec.title,
  nodePrefixes: ['sheets', 'drive', 'gmail', 'calendar'],
  // 'token': a pasted access token or a service-account JSON key (told apart by the client).
  credentialKinds: ['token', 'oauth2'],
  defaultBaseUrl: googleSpec.defaultBaseUrl,
  apiHosts: googleSpec.apiHosts,
  oauth: {
    authorizationUrl: googleSpec.authorizationUrl,
    tokenUrl: googleSpec.tokenUrl,
    revocation: { url: googleSpec.revokeUrl, style: 'rfc7009', pastedSecret: (s) => !looksLikeServiceAccountKey(s) },
    // What a connect without a workflow asks for; with ?workflowId= or ?scopes= only those (scopes.ts).
    scopes: allNodeScopes(),
    // The workflow's Google nodes' scopes (all of them when it has none); include_granted_scopes keeps earlier grants.
    scopesFor: (types) => (types.some((t) => Object.hasOwn(googleNodeScopes, t)) ? scopesForNodeTypes(types) : allNodeScopes()),
    tokenEndpointFollowsBaseUrl: true,
    clientAuth: 'client_secret_post',
    pkce: true,
    authorizationParams: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
    // The account's email from the ID token (openid email), so the connections list says whose Google it is.
    labelFrom: (body) => {
      const email = emailOfIdToken(body.id_token);
      return email ? `Google (${email})` : undefined;
    },
  },
  identity: googleIdentity,
  options: mergeOptions(sheetsOptions, driveOptions, gmailOptions, calendarOptions),
  nodes: [...sheetsNodes, ...driveNodes, ...gmailNodes, ...calendarNodes],
  polls: { ...gmailPolls, ...drivePolls },
});
