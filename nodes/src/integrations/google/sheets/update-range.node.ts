import { z } from 'zod';
import { defineNode } from '../../../contract/index.ts';
import { serviceCall } from '../../framework/index.ts';
import { callGoogle } from '../errors.ts';
import { googleAction, googleSpec } from '../spec.ts';
import { sheetsClient, sheetTargetFields, valueInputOptionField, valuesField } from './fields.ts';

/** spreadsheets.values.update: overwrites the cells of a range (idempotent: a retry writes the same). */
export const updateRangeNode = defineNode({
  type: 'sheets.update_range',
  version: 1,
  title: 'Google Sheets: update range',
  description: 'Overwrites the cells of a range in a Google Sheet.',
  keywords: ['update the sheet', 'write cells', 'overwrite a row', 'spreadsheet'],
  examples: [{ text: 'Write the new status into cell D2 of the Orders sheet' }],
  ...googleAction,
  config: z.strictObject({
    ...sheetTargetFields,
    values: valuesField,
    valueInputOption: valueInputOptionField,
  }),
  output: z.object({ spreadsheetId: z.string(), updatedRange: z.string(), updatedRows: z.number().int(), updatedColumns: z.number().int(), updatedCells: z.number().int() }),
  async run(ctx) {
    const c = ctx.config;
    return callGoogle(serviceCall(ctx, googleSpec), `spreadsheet ${c.spreadsheetId} (range ${c.range})`, async (cc) => {
      const res = await sheetsClient(cc, 'sheets.update_range').spreadsheets.values.update({
        spreadsheetId: c.spreadsheetId,
        range: c.range,
        valueInputOption: c.valueInputOption,
        requestBody: { majorDimension: 'ROWS', range: c.range, values: c.values },
      });
      const d = res.data;
      return { output: { spreadsheetId: c.spreadsheetId, updatedRange: d.updatedRange ?? c.range, updatedRows: d.updatedRows ?? 0, updatedColumns: d.updatedColumns ?? 0, updatedCells: d.updatedCells ?? 0 } };
    });
  },
});
