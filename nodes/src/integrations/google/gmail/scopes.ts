// The scopes of each Gmail node (merged by ../node-scopes.ts).
import { GOOGLE_SCOPES as S } from '../scopes.ts';

export const gmailScopes: Readonly<Record<string, readonly string[]>> = {
  'gmail.send': [S.gmailSend],
  'gmail.list_messages': [S.gmailReadonly],
  'gmail.get_message': [S.gmailReadonly],
  'gmail.add_label': [S.gmailModify],
  'gmail.new_message': [S.gmailReadonly],
};
