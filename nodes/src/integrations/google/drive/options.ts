// Option lists for the editor, from Drive's files.list: folders (for drive.* nodes) and
// spreadsheets (for sheets.* nodes), searchable by name, paged by Drive's nextPageToken.
import type { OptionList, OptionPage, OptionQuery, ServiceCall } from '../../framework/index.ts';
import { googleApiOptions } from '../client.ts';
import { googleSdk } from '../sdk.ts';
import { callGoogle } from '../errors.ts';
import { GOOGLE_SCOPES } from '../scopes.ts';

/** A Drive query string literal: backslash and quote escaped. */
export function driveQuoted(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export const OPTION_PAGE_SIZE = 100;

async function filesOfType(call: ServiceCall, mimeType: string, query: OptionQuery): Promise<OptionPage> {
  return callGoogle(call, undefined, async (c) => {
    const api = googleSdk().drive({ version: 'v3', ...googleApiOptions(c, [GOOGLE_SCOPES.driveMetadataReadonly]) });
    const q = [`mimeType = ${driveQuoted(mimeType)}`, 'trashed = false', ...(query.search ? [`name contains ${driveQuoted(query.search.slice(0, 200))}`] : [])].join(' and ');
    const res = await api.files.list({ q, pageSize: OPTION_PAGE_SIZE, fields: 'nextPageToken,files(id,name,modifiedTime)', orderBy: 'name', ...(query.cursor ? { pageToken: query.cursor } : {}) });
    const items = (res.data.files ?? []).filter((f) => f.id).map((f) => ({ value: f.id!, label: f.name || 'Untitled', meta: { modifiedTime: f.modifiedTime ?? null } }));
    return { items, ...(res.data.nextPageToken ? { nextCursor: res.data.nextPageToken } : {}) };
  });
}

export const foldersOption: OptionList = {
  title: 'Folders',
  list: (call, query) => filesOfType(call, 'application/vnd.google-apps.folder', query),
};

export const spreadsheetsOption: OptionList = {
  title: 'Spreadsheets',
  list: (call, query) => filesOfType(call, 'application/vnd.google-apps.spreadsheet', query),
};
