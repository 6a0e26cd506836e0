// Google: OAuth 2.0 (PKCE, offline access, incremental scopes) or service-account JSON keys,
// through the official per-API packages (@googleapis/sheets, @googleapis/drive, … with
// google-auth-library). One credential provider, 'google', for four node families:
// sheets.*, drive.* (goog1), gmail.*, calendar.* (goog2). See README.md in this folder.
import { defineIntegration, type OptionList } from '../framework/index.ts';
import { calendarNodes, calendarOptions } from './calendar/index.ts';
import { driveNodes, driveOptions } from './drive/index.ts';
import { gmailNodes, gmailOptions, gmailPolls } from './gmail/index.ts';
import { googleIdentity } from './identity.ts';
import { allNodeScopes } from './node-scopes.ts';
import { sheetsNodes, sheetsOptions } from './sheets/index.ts';
import { googleSpec } from './spec.ts';

/** Option lists of every family, by node type; the '*' lists of each family are merged. */
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
    revocation: { url: googleSpec.revokeUrl, style: 'rfc7009' },
    // What a connect without a workflow asks for; with ?workflowId= or ?scopes= only those (scopes.ts).
    scopes: allNodeScopes(),
    clientAuth: 'client_secret_post',
    pkce: true,
    authorizationParams: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
  },
  identity: googleIdentity,
  options: mergeOptions(sheetsOptions, driveOptions, gmailOptions, calendarOptions),
  nodes: [...sheetsNodes, ...driveNodes, ...gmailNodes, ...calendarNodes],
  polls: gmailPolls,
});
