// The Sheets v4 part of the fake Google (installed by createFakeGoogle by default): spreadsheets
// with named sheets of cells, and the values endpoints Keyflow uses — values.get, values.update,
// values.append — plus spreadsheets.get (the sheets of a spreadsheet). A1 ranges as Google reads
// them ("Sheet1!A1:C", "'My sheet'!A:A", "Sheet1", "1:1"); errors in Google's envelope
// (INVALID_ARGUMENT "Unable to parse range", NOT_FOUND "Requested entity was not found.").
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FakeGoogle, FakeRequest } from './fake-google.ts';
import { googleError, sendJson } from './wire.ts';

export type FakeCell = string | number | boolean;

export interface FakeSpreadsheet {
  spreadsheetId: string;
  title: string;
  /** Sheet title → rows of cells (ragged, like Sheets answers them). */
  sheets: Map<string, FakeCell[][]>;
}

export interface FakeSheetsState {
  spreadsheets: Map<string, FakeSpreadsheet>;
  /** A spreadsheet (with a Drive file entry when the Drive module is installed). */
  addSpreadsheet(title: string, sheets?: Record<string, FakeCell[][]>): FakeSpreadsheet;
}

const SHEETS_SCOPES = ['https://www.googleapis.com/auth/spreadsheets', 'https://www.googleapis.com/auth/drive', 'https://www.googleapis.com/auth/drive.file'];
const READ_SCOPES = [...SHEETS_SCOPES, 'https://www.googleapis.com/auth/spreadsheets.readonly', 'https://www.googleapis.com/auth/drive.readonly'];

interface Parsed {
  sheet: string;
  /** 0-based, inclusive; undefined end means "to the end". */
  startRow: number;
  endRow: number | undefined;
  startCol: number;
  endCol: number | undefined;
}

const colIndex = (letters: string) => [...letters.toUpperCase()].reduce((n, ch) => n * 26 + (ch.charCodeAt(0) - 64), 0) - 1;
export const colLetters = (index: number): string => {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
};

function quoteSheet(name: string): string {
  return /^[A-Za-z0-9_]+$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

/** Google's A1 notation → a rectangle (undefined when Google would refuse to parse it). */
export function parseA1(range: string, firstSheet: string, sheetNames: readonly string[]): Parsed | undefined {
  let sheet = firstSheet;
  let cells = range;
  const bang = range.lastIndexOf('!');
  if (bang >= 0) {
    const raw = range.slice(0, bang);
    sheet = raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1).replace(/''/g, "'") : raw;
    cells = range.slice(bang + 1);
  } else if (sheetNames.includes(range.replace(/^'|'$/g, '').replace(/''/g, "'"))) {
    return { sheet: range.replace(/^'|'$/g, '').replace(/''/g, "'"), startRow: 0, endRow: undefined, startCol: 0, endCol: undefined };
  }
  if (!sheetNames.includes(sheet)) return undefined;
  if (cells === '') return { sheet, startRow: 0, endRow: undefined, startCol: 0, endCol: undefined };
  const m = /^([A-Za-z]{0,3})(\d*)(?::([A-Za-z]{0,3})(\d*))?$/.exec(cells);
  if (!m) return undefined;
  const [, c1 = '', r1 = '', c2, r2] = m;
  if (c1 === '' && r1 === '') return undefined;
  const single = c2 === undefined;
  return {
    sheet,
    startCol: c1 ? colIndex(c1) : 0,
    startRow: r1 ? Number(r1) - 1 : 0,
    endCol: single ? (c1 ? colIndex(c1) : undefined) : c2 ? colIndex(c2) : undefined,
    endRow: single ? (r1 ? Number(r1) - 1 : undefined) : r2 ? Number(r2) - 1 : undefined,
  };
}

function a1(p: { sheet: string; startRow: number; startCol: number; endRow: number; endCol: number }): string {
  return `${quoteSheet(p.sheet)}!${colLetters(p.startCol)}${p.startRow + 1}:${colLetters(p.endCol)}${p.endRow + 1}`;
}

function trimRow(row: (FakeCell | undefined)[]): FakeCell[] {
  const out = [...row];
  while (out.length > 0 && (out[out.length - 1] === undefined || out[out.length - 1] === '')) out.pop();
  return out.map((c) => c ?? '');
}

/** USER_ENTERED: numbers and booleans typed as text become values, like the Sheets UI. */
function entered(v: unknown, option: string): FakeCell {
  if (v === null || v === undefined) return '';
  if (option === 'RAW' || typeof v !== 'string') return v as FakeCell;
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (v === 'TRUE' || v === 'FALSE') return v === 'TRUE';
  return v;
}

export function installFakeSheets(fake: FakeGoogle): FakeSheetsState {
  const spreadsheets = new Map<string, FakeSpreadsheet>();
  const state: FakeSheetsState = {
    spreadsheets,
    addSpreadsheet(title, sheets = { Sheet1: [] }) {
      const spreadsheetId = `1${randomBytes(21).toString('base64url')}`;
      const s: FakeSpreadsheet = { spreadsheetId, title, sheets: new Map(Object.entries(sheets).map(([k, v]) => [k, v.map((r) => [...r])])) };
      spreadsheets.set(spreadsheetId, s);
      fakeSheetsHooks.get(fake)?.onCreate?.(s);
      return s;
    },
  };
  fakeSheetsState.set(fake, state);

  const find = (id: string | undefined) => (id ? spreadsheets.get(decodeURIComponent(id)) : undefined);
  const notFound = (res: ServerResponse) => googleError(res, 404, 'notFound', 'Requested entity was not found.');
  const resolve = (s: FakeSpreadsheet, range: string) => parseA1(range, [...s.sheets.keys()][0] ?? 'Sheet1', [...s.sheets.keys()]);
  const badRange = (res: ServerResponse, range: string) => googleError(res, 400, 'badRequest', `Unable to parse range: ${range}`);

  fake.route({
    method: 'GET',
    path: /^\/v4\/spreadsheets\/([^/:]+)$/,
    scopes: READ_SCOPES,
    handle: (req, res) => {
      const s = find(req.match[1]);
      if (!s) return notFound(res);
      sendJson(res, 200, {
        spreadsheetId: s.spreadsheetId,
        properties: { title: s.title, locale: 'en_US', timeZone: 'Etc/GMT' },
        sheets: [...s.sheets.keys()].map((title, i) => ({ properties: { sheetId: i === 0 ? 0 : 1000 + i, title, index: i, sheetType: 'GRID', gridProperties: { rowCount: 1000, columnCount: 26 } } })),
        spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${s.spreadsheetId}/edit`,
      });
    },
  });

  fake.route({
    method: 'GET',
    path: /^\/v4\/spreadsheets\/([^/:]+)\/values\/([^/:]+)$/,
    scopes: READ_SCOPES,
    handle: (req, res) => {
      const s = find(req.match[1]);
      if (!s) return notFound(res);
      const range = decodeURIComponent(req.match[2]!);
      const p = resolve(s, range);
      if (!p) return badRange(res, range);
      const grid = s.sheets.get(p.sheet)!;
      const lastRow = Math.min(p.endRow ?? grid.length - 1, grid.length - 1);
      const rows: FakeCell[][] = [];
      for (let r = p.startRow; r <= lastRow; r++) rows.push(trimRow((grid[r] ?? []).slice(p.startCol, p.endCol === undefined ? undefined : p.endCol + 1)));
      while (rows.length > 0 && rows[rows.length - 1]!.length === 0) rows.pop();
      const width = Math.max(0, ...rows.map((r) => r.length));
      const answered = a1({ sheet: p.sheet, startRow: p.startRow, startCol: p.startCol, endRow: p.endRow ?? Math.max(p.startRow, lastRow), endCol: p.endCol ?? p.startCol + Math.max(width, 1) - 1 });
      sendJson(res, 200, { range: answered, majorDimension: 'ROWS', ...(rows.length > 0 ? { values: rows } : {}) });
    },
  });

  const write = (s: FakeSpreadsheet, sheet: string, startRow: number, startCol: number, values: unknown[][], option: string) => {
    const grid = s.sheets.get(sheet)!;
    values.forEach((row, i) => {
      const target = (grid[startRow + i] ??= []);
      row.forEach((v, j) => {
        while (target.length < startCol + j) target.push('');
        target[startCol + j] = entered(v, option);
      });
    });
    for (let r = 0; r < grid.length; r++) grid[r] ??= [];
  };

  const valueBody = (req: { json(): unknown }): unknown[][] | undefined => {
    const body = req.json() as { values?: unknown };
    return Array.isArray(body.values) && body.values.every((r) => Array.isArray(r)) ? (body.values as unknown[][]) : undefined;
  };

  /** What values.update and values.append share: the spreadsheet, valueInputOption, the range, the values (or an answered error). */
  const writeRequest = (req: FakeRequest, res: ServerResponse) => {
    const s = find(req.match[1]);
    if (!s) return void notFound(res);
    const option = req.query.get('valueInputOption');
    if (option !== 'RAW' && option !== 'USER_ENTERED') return void googleError(res, 400, 'badRequest', "'valueInputOption' is required but not specified");
    const range = decodeURIComponent(req.match[2]!);
    const p = resolve(s, range);
    if (!p) return void badRange(res, range);
    const values = valueBody(req);
    if (!values) return void googleError(res, 400, 'badRequest', 'Invalid JSON payload received. Unknown name "values": expected a list of lists.');
    return { s, option, range, p, values };
  };

  fake.route({
    method: 'PUT',
    path: /^\/v4\/spreadsheets\/([^/:]+)\/values\/([^/:]+)$/,
    scopes: SHEETS_SCOPES,
    handle: (req, res) => {
      const w = writeRequest(req, res);
      if (!w) return;
      const { s, option, range, p, values } = w;
      const rows = values.length;
      const cols = Math.max(0, ...values.map((r) => r.length));
      if ((p.endRow !== undefined && p.startRow + rows - 1 > p.endRow) || (p.endCol !== undefined && p.startCol + cols - 1 > p.endCol)) {
        return googleError(res, 400, 'badRequest', `Requested writing within range [${range}], but tried writing to row [${p.startRow + rows}]`);
      }
      write(s, p.sheet, p.startRow, p.startCol, values, option);
      sendJson(res, 200, { spreadsheetId: s.spreadsheetId, updatedRange: a1({ sheet: p.sheet, startRow: p.startRow, startCol: p.startCol, endRow: p.startRow + rows - 1, endCol: p.startCol + cols - 1 }), updatedRows: rows, updatedColumns: cols, updatedCells: values.reduce((n, r) => n + r.length, 0) });
    },
  });

  fake.route({
    method: 'POST',
    path: /^\/v4\/spreadsheets\/([^/:]+)\/values\/([^/:]+):append$/,
    scopes: SHEETS_SCOPES,
    handle: (req, res) => {
      const w = writeRequest(req, res);
      if (!w) return;
      const { s, option, p, values } = w;
      const grid = s.sheets.get(p.sheet)!;
      // The table: the last row with a value in the range's columns; append below it.
      let last = p.startRow - 1;
      for (let r = p.startRow; r < grid.length; r++) {
        const cells = (grid[r] ?? []).slice(p.startCol, p.endCol === undefined ? undefined : p.endCol + 1);
        if (cells.some((c) => c !== '' && c !== undefined)) last = r;
      }
      const at = last + 1;
      if (req.query.get('insertDataOption') !== 'OVERWRITE') grid.splice(at, 0, ...values.map(() => [] as FakeCell[]));
      write(s, p.sheet, at, p.startCol, values, option);
      const cols = Math.max(0, ...values.map((r) => r.length));
      sendJson(res, 200, {
        spreadsheetId: s.spreadsheetId,
        ...(last >= p.startRow ? { tableRange: a1({ sheet: p.sheet, startRow: p.startRow, startCol: p.startCol, endRow: last, endCol: p.startCol + Math.max(cols, 1) - 1 }) } : {}),
        updates: { spreadsheetId: s.spreadsheetId, updatedRange: a1({ sheet: p.sheet, startRow: at, startCol: p.startCol, endRow: at + values.length - 1, endCol: p.startCol + cols - 1 }), updatedRows: values.length, updatedColumns: cols, updatedCells: values.reduce((n, r) => n + r.length, 0) },
      });
    },
  });
  return state;
}

const fakeSheetsState = new WeakMap<FakeGoogle, FakeSheetsState>();
/** Lets the Drive module list spreadsheets as Drive files. */
export const fakeSheetsHooks = new WeakMap<FakeGoogle, { onCreate?: (s: FakeSpreadsheet) => void }>();

/** The Sheets state of a fake created with the default modules. */
export function fakeSheets(fake: FakeGoogle): FakeSheetsState {
  const s = fakeSheetsState.get(fake);
  if (!s) throw new Error('the Sheets module is not installed in this fake Google');
  return s;
}
