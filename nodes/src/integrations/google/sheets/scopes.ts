// The scopes of each Sheets node (merged by ../node-scopes.ts).
import { GOOGLE_SCOPES as S } from '../scopes.ts';

export const sheetsScopes: Readonly<Record<string, readonly string[]>> = {
  'sheets.append_rows': [S.spreadsheets],
  'sheets.update_range': [S.spreadsheets],
  'sheets.read_range': [S.spreadsheetsReadonly],
};
