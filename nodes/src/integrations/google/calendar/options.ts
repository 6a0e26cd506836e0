// The editor's calendar dropdown: calendarList.list, paged by nextPageToken.
import type { OptionList } from '../../framework/index.ts';
import { callGoogle } from '../errors.ts';
import { calendarClient } from './fields.ts';

export const calendarsOption: OptionList = {
  title: 'Calendars',
  async list(call, query) {
    return callGoogle(call, undefined, async (c) => {
      const res = await calendarClient(c, 'calendar.list_events').calendarList.list({ maxResults: 250, ...(query.cursor ? { pageToken: query.cursor } : {}) });
      const search = query.search?.toLowerCase();
      const items = (res.data.items ?? [])
        .filter((cal) => cal.id && (!search || (cal.summary ?? '').toLowerCase().includes(search)))
        .map((cal) => ({ value: cal.primary ? 'primary' : cal.id!, label: cal.summaryOverride ?? cal.summary ?? cal.id!, meta: { accessRole: cal.accessRole ?? null, timeZone: cal.timeZone ?? null } }));
      return { items, ...(res.data.nextPageToken ? { nextCursor: res.data.nextPageToken } : {}) };
    });
  },
};
