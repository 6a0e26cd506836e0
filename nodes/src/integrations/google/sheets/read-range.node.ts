import { z } from 'zod';
import { defineNode } from '../../../contract/index.ts';
import { serviceCall } from '../../framework/index.ts';
import { callGoogle } from '../errors.ts';
import { googleAction, googleSpec } from '../spec.ts';
import { cellValue, sheetsClient, sheetTargetFields, toRows } from './fields.ts';

/** spreadsheets.values.get: the cells of a range, optionally as objects keyed by its first row. */
export const readRangeNode = defineNode({
  type: 'sheets.read_range',
  version: 1,
  title: 'Google Sheets: read range',
  description: 'Reads the cells of a range from a Google Sheet.',
  keywords: ['read the sheet', 'get rows', 'lookup in google sheets', 'spreadsheet'],
  examples: [{ text: 'Read the rows of the Orders sheet' }],
  ...googleAction,
  config: z.strictObject({
    ...sheetTargetFields,
    headerRow: z.boolean().default(false).describe('Treat the first row as column names and answer objects in `rows`'),
    valueRenderOption: z.enum(['FORMATTED_VALUE', 'UNFORMATTED_VALUE', 'FORMULA']).default('FORMATTED_VALUE'),
  }),
  output: z.object({ range: z.string(), values: z.array(z.array(cellValue)), rows: z.array(z.record(z.string(), cellValue)).optional() }),
  async run(ctx) {
    const c = ctx.config;
    return callGoogle(serviceCall(ctx, googleSpec), `spreadsheet ${c.spreadsheetId} (range ${c.range})`, async (cc) => {
      const res = await sheetsClient(cc, 'sheets.read_range').spreadsheets.values.get({ spreadsheetId: c.spreadsheetId, range: c.range, majorDimension: 'ROWS', valueRenderOption: c.valueRenderOption });
      const values = toRows(res.data.values);
      const range = res.data.range ?? c.range;
      if (!c.headerRow) return { output: { range, values } };
      const [header = [], ...body] = values;
      const names = header.map((h, i) => (h === null || String(h).trim() === '' ? `column${i + 1}` : String(h).trim()));
      const rows = body.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i] ?? null])));
      return { output: { range, values, rows } };
    });
  },
});
