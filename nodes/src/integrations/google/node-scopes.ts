// Node type → the OAuth scopes it needs: each API folder's own map, merged. The connect flow
// asks for the scopes of a workflow's nodes only (scopesForNodeTypes).
import { calendarScopes } from './calendar/index.ts';
import { driveScopes } from './drive/scopes.ts';
import { gmailScopes } from './gmail/index.ts';
import { BASE_SCOPES, GOOGLE_SCOPES } from './scopes.ts';
import { sheetsScopes } from './sheets/scopes.ts';

/** Node type → the scopes it needs (each API folder's own map, merged). */
export const googleNodeScopes: Readonly<Record<string, readonly string[]>> = Object.freeze({
  ...sheetsScopes,
  ...driveScopes,
  ...gmailScopes,
  ...calendarScopes,
});

/** Scopes the editor's dropdowns of a node family need (the spreadsheet picker lists Drive files). */
const OPTION_SCOPES: Readonly<Record<string, readonly string[]>> = {
  sheets: [GOOGLE_SCOPES.driveMetadataReadonly],
};

/** What the connect flow asks for, for these node types: the base scopes plus theirs, deduplicated. */
export function scopesForNodeTypes(types: Iterable<string>): string[] {
  const out = new Set(BASE_SCOPES);
  for (const t of types) {
    for (const s of googleNodeScopes[t] ?? []) out.add(s);
    if (googleNodeScopes[t]) for (const s of OPTION_SCOPES[t.slice(0, t.indexOf('.'))] ?? []) out.add(s);
  }
  return [...out];
}

/** Every scope any Google node may need (what a connect without a workflow asks for). */
export function allNodeScopes(): string[] {
  return scopesForNodeTypes(Object.keys(googleNodeScopes));
}
