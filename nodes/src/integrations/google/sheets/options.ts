// The sheets (tabs) of a spreadsheet, for the range dropdown: spreadsheets.get, titles only.
import { NonRetriableNodeError } from '../../../contract/index.ts';
import type { OptionList } from '../../framework/index.ts';
import { googleApiOptions } from '../client.ts';
import { googleSdk } from '../sdk.ts';
import { callGoogle } from '../errors.ts';
import { GOOGLE_SCOPES } from '../scopes.ts';
import { spreadsheetIdField } from './fields.ts';

export const sheetsOfSpreadsheetOption: OptionList = {
  title: 'Sheets of the spreadsheet',
  dependsOn: ['spreadsheetId'],
  async list(call, query) {
    const parsed = spreadsheetIdField.safeParse(query.params.spreadsheetId ?? '');
    if (!parsed.success) throw new NonRetriableNodeError('spreadsheetId: pick a spreadsheet first');
    const spreadsheetId = parsed.data;
    return callGoogle(call, `spreadsheet ${spreadsheetId}`, async (c) => {
      const api = googleSdk().sheets({ version: 'v4', ...googleApiOptions(c, [GOOGLE_SCOPES.spreadsheetsReadonly]) });
      const res = await api.spreadsheets.get({ spreadsheetId, fields: 'sheets.properties(sheetId,title,index)' });
      const items = (res.data.sheets ?? []).map((s) => s.properties ?? {}).filter((p) => typeof p.title === 'string').map((p) => ({ value: p.title!, label: p.title!, meta: { sheetId: p.sheetId ?? null } }));
      return { items };
    });
  },
};
