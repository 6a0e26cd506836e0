// The scopes of each Calendar node (merged by ../node-scopes.ts).
import { GOOGLE_SCOPES as S } from '../scopes.ts';

export const calendarScopes: Readonly<Record<string, readonly string[]>> = {
  'calendar.create_event': [S.calendarEvents],
  'calendar.update_event': [S.calendarEvents],
  'calendar.delete_event': [S.calendarEvents],
  'calendar.list_events': [S.calendarReadonly],
};
