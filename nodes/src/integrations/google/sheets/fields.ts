// Config fields shared by the Sheets nodes, and the Sheets client of one call.
import type { sheets_v4 } from '@googleapis/sheets';
import { z } from 'zod';
import { credentialIdField, type ServiceCall } from '../../framework/index.ts';
import { googleApiOptions } from '../client.ts';
import { googleSdk } from '../sdk.ts';
import { sheetsScopes } from './scopes.ts';

/** The id in a spreadsheet URL (…/spreadsheets/d/<id>/edit) or the bare id. */
export const spreadsheetIdField = z
  .preprocess((v) => (typeof v === 'string' ? (/\/spreadsheets\/d\/([A-Za-z0-9_-]+)/.exec(v)?.[1] ?? v.trim()) : v), z.string().regex(/^[A-Za-z0-9_-]{10,200}$/, 'must be a spreadsheet id (the part after /spreadsheets/d/ in its URL) or its URL'))
  .describe('Spreadsheet id or URL');

/** A1 notation: "Sheet1!A1:D", "'My sheet'!A:A", "Sheet1" (the whole sheet). */
export const rangeField = z
  .string()
  .trim()
  .min(1, 'required: an A1 range such as Sheet1!A1:D')
  .max(500)
  .refine((s) => !/[\u0000-\u001f]/.test(s), 'must not contain control characters')
  .describe('A1 range, e.g. Sheet1!A1:D');

/** The config fields naming where a Sheets node acts. */
export const sheetTargetFields = { credentialId: credentialIdField, spreadsheetId: spreadsheetIdField, range: rangeField };

export const cellValue = z.union([z.string().max(50_000), z.number(), z.boolean(), z.null()]);
export type CellValue = z.infer<typeof cellValue>;

/** Arrays, or the JSON text of one (what an expression renders). */
export function jsonArray<T extends z.ZodType>(inner: T) {
  return z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }, inner);
}

export const valuesField = jsonArray(z.array(z.array(cellValue).max(1000, 'at most 1000 cells a row')).min(1, 'give at least one row').max(10_000, 'at most 10,000 rows a call'));

export const valueInputOptionField = z
  .enum(['USER_ENTERED', 'RAW'])
  .default('USER_ENTERED')
  .describe('USER_ENTERED parses "=SUM(…)" and dates like the Sheets UI; RAW stores text as is');

export function sheetsClient(call: ServiceCall, type: keyof typeof sheetsScopes): sheets_v4.Sheets {
  return googleSdk().sheets({ version: 'v4', ...googleApiOptions(call, sheetsScopes[type] ?? []) });
}

/** Rows of cells as Sheets returns them (missing trailing cells stay missing). */
export function toRows(values: unknown): CellValue[][] {
  if (!Array.isArray(values)) return [];
  return values.map((row) => (Array.isArray(row) ? row.map((c) => (c === undefined ? null : (c as CellValue))) : []));
}
