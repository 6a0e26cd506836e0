// Google OAuth scopes: the ones Keyflow asks for, which broader scope also satisfies a narrower
// one, and what each node type needs. The connect flow asks only for the scopes of the
// workflow's nodes (incremental: include_granted_scopes keeps what was granted before), and a
// node whose credential lacks one fails before calling Google, naming the scope.
//
// Each API folder declares its own node → scopes map (sheets/, drive/, gmail/, calendar/) with
// these constants; node-scopes.ts merges them (this file imports no folder: no import cycle).

const AUTH = 'https://www.googleapis.com/auth/';

export const GOOGLE_SCOPES = {
  openid: 'openid',
  email: `${AUTH}userinfo.email`,
  spreadsheets: `${AUTH}spreadsheets`,
  spreadsheetsReadonly: `${AUTH}spreadsheets.readonly`,
  drive: `${AUTH}drive`,
  driveFile: `${AUTH}drive.file`,
  driveReadonly: `${AUTH}drive.readonly`,
  driveMetadataReadonly: `${AUTH}drive.metadata.readonly`,
  gmailSend: `${AUTH}gmail.send`,
  gmailReadonly: `${AUTH}gmail.readonly`,
  gmailModify: `${AUTH}gmail.modify`,
  gmailLabels: `${AUTH}gmail.labels`,
  calendar: `${AUTH}calendar`,
  calendarEvents: `${AUTH}calendar.events`,
  calendarReadonly: `${AUTH}calendar.readonly`,
} as const;

const S = GOOGLE_SCOPES;

/** Scopes always asked for: who the account is (identity on the connections page). */
export const BASE_SCOPES: readonly string[] = [S.openid, S.email];

/** A scope → the broader scopes Google also accepts for the same calls. */
const SATISFIED_BY: Readonly<Record<string, readonly string[]>> = {
  [S.spreadsheetsReadonly]: [S.spreadsheets, S.drive, S.driveReadonly],
  [S.spreadsheets]: [S.drive],
  [S.driveReadonly]: [S.drive],
  [S.driveFile]: [S.drive],
  [S.driveMetadataReadonly]: [S.drive, S.driveReadonly, S.driveFile],
  [S.gmailReadonly]: [S.gmailModify, 'https://mail.google.com/'],
  [S.gmailSend]: [S.gmailModify, 'https://mail.google.com/'],
  [S.gmailLabels]: [S.gmailModify, 'https://mail.google.com/'],
  [S.gmailModify]: ['https://mail.google.com/'],
  [S.calendarReadonly]: [S.calendar, S.calendarEvents],
  [S.calendarEvents]: [S.calendar],
  [S.email]: ['email'],
};

/** Google's short aliases in a token answer ("email", "profile") stay as they are. */
export function parseScopes(scope: string | undefined): string[] {
  return (scope ?? '').split(/[\s,]+/).filter((s) => s !== '');
}

/** The scopes of `needed` that `granted` covers neither directly nor through a broader one. */
export function missingScopes(granted: readonly string[], needed: readonly string[]): string[] {
  const have = new Set(granted);
  return needed.filter((s) => !have.has(s) && !(SATISFIED_BY[s] ?? []).some((b) => have.has(b)));
}
