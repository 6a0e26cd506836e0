// The scopes of each Drive node (merged by ../node-scopes.ts).
import { GOOGLE_SCOPES as S } from '../scopes.ts';

export const driveScopes: Readonly<Record<string, readonly string[]>> = {
  'drive.upload': [S.drive],
  'drive.share': [S.drive],
  'drive.list': [S.driveReadonly],
  'drive.download': [S.driveReadonly],
  'drive.new_file': [S.driveReadonly],
  'drive.file_updated': [S.driveReadonly],
};
