import { z } from 'zod';
import { defineNode, NonRetriableNodeError } from '../../../contract/index.ts';
import { serviceCall } from '../../framework/index.ts';
import { callGoogle } from '../errors.ts';
import { googleAction, googleSpec } from '../spec.ts';
import { cellValue, type CellValue, jsonArray, sheetsClient, sheetTargetFields, toRows, valueInputOptionField } from './fields.ts';

const rowsField = jsonArray(
  z.union([
    z.array(z.array(cellValue).max(1000, 'at most 1000 cells a row')).min(1, 'give at least one row').max(10_000, 'at most 10,000 rows a call'),
    z.array(z.record(z.string(), cellValue)).min(1, 'give at least one row').max(10_000, 'at most 10,000 rows a call'),
  ]),
).describe('Rows: arrays of cells, or objects keyed by the header row’s column names');

/** Objects → cell arrays in the order of the header row; unknown keys are an error naming them. */
export function rowsByHeader(header: readonly CellValue[], rows: readonly Record<string, CellValue>[]): CellValue[][] {
  const columns = header.map((h) => (h === null ? '' : String(h).trim()));
  const unknown = new Set<string>();
  const out = rows.map((row) => {
    for (const k of Object.keys(row)) if (!columns.includes(k.trim())) unknown.add(k);
    return columns.map((c) => (c !== '' && Object.hasOwn(row, c) ? row[c]! : null));
  });
  if (columns.every((c) => c === '')) throw new NonRetriableNodeError('rows: the range has no header row to match the objects’ keys against; give rows as arrays or add a header row');
  if (unknown.size > 0) throw new NonRetriableNodeError(`rows: ${[...unknown].slice(0, 10).map((k) => `"${k}"`).join(', ')} ${unknown.size === 1 ? 'is not a column' : 'are not columns'} of the header row (${columns.filter(Boolean).join(', ')})`);
  return out;
}

/** spreadsheets.values.append: adds rows after the last row of the table in `range`. */
export const appendRowsNode = defineNode({
  type: 'sheets.append_rows',
  version: 1,
  title: 'Google Sheets: append rows',
  description: 'Adds rows at the end of a table in a Google Sheet.',
  keywords: ['append to the sheet', 'add a row', 'log to google sheets', 'spreadsheet'],
  examples: [{ text: 'Append the summary as a new row in the Leads sheet' }],
  ...googleAction,
  config: z.strictObject({
    ...sheetTargetFields,
    rows: rowsField,
    valueInputOption: valueInputOptionField,
    insertDataOption: z.enum(['INSERT_ROWS', 'OVERWRITE']).default('INSERT_ROWS').describe('INSERT_ROWS shifts what is below; OVERWRITE writes into empty cells'),
  }),
  output: z.object({ spreadsheetId: z.string(), updatedRange: z.string(), updatedRows: z.number().int(), updatedCells: z.number().int() }),
  async run(ctx) {
    const c = ctx.config;
    const call = serviceCall(ctx, googleSpec);
    const what = `spreadsheet ${c.spreadsheetId} (range ${c.range})`;
    return callGoogle(call, what, async (cc) => {
      const api = sheetsClient(cc, 'sheets.append_rows');
      let values: CellValue[][];
      if (Array.isArray(c.rows[0])) {
        values = c.rows as CellValue[][];
      } else {
        // The first row of the range is the header: objects are laid out by its column names.
        const sheet = c.range.includes('!') ? c.range.slice(0, c.range.lastIndexOf('!')) : undefined;
        const headerRange = sheet ? `${sheet}!1:1` : '1:1';
        const head = await api.spreadsheets.values.get({ spreadsheetId: c.spreadsheetId, range: headerRange, majorDimension: 'ROWS' });
        values = rowsByHeader(toRows(head.data.values)[0] ?? [], c.rows as Record<string, CellValue>[]);
      }
      const res = await api.spreadsheets.values.append({
        spreadsheetId: c.spreadsheetId,
        range: c.range,
        valueInputOption: c.valueInputOption,
        insertDataOption: c.insertDataOption,
        requestBody: { majorDimension: 'ROWS', values },
      });
      const u = res.data.updates ?? {};
      return { output: { spreadsheetId: c.spreadsheetId, updatedRange: u.updatedRange ?? '', updatedRows: u.updatedRows ?? 0, updatedCells: u.updatedCells ?? 0 } };
    });
  },
});
