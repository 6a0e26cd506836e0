// n8n's Google nodes (Sheets, Drive, Gmail, Calendar and their triggers) → Keyflow's google/
// integration: sheets.*, drive.*, gmail.*, calendar.* and the gmail.new_message poll trigger.
// An operation Keyflow has no node for, or one that would not mean the same, is a failure with
// the reason, so the node stays a placeholder. Credentials are never carried (the importer lists them).
import { literalText, operandExpression } from './expressions.ts';
import { isRecord, locatorValue } from './records.ts';
import { mapped, requireType, str, type MapContext, type MapOutcome } from './map-kit.ts';
import { POLL_TIMES_FAILURE, pollInterval } from './poll-times.ts';

const text = (v: unknown): v is string => typeof v === 'string' && v !== '';
const option = (p: Record<string, unknown>, key: string): Record<string, unknown> => (isRecord(p[key]) ? p[key] : {});
const resourceOf = (p: Record<string, unknown>, fallback: string) => (typeof p.resource === 'string' ? p.resource : fallback);
const operationOf = (p: Record<string, unknown>, fallback: string) => (typeof p.operation === 'string' ? p.operation : fallback);
const clip = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n)}…` : s);
const clampInt = (v: unknown, lo: number, hi: number, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? Math.min(hi, Math.max(lo, Math.round(v))) : fallback);

/** A translated value placed inside a quoted search string; literal text has its quotes escaped. */
function quotedInQuery(value: string): string {
  return value.includes('{{') ? value : value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

// ---- Sheets -------------------------------------------------------------------------------

interface SheetTarget {
  spreadsheetId: string;
  /** The sheet's name quoted for A1 notation ('My sheet'), when n8n names it. */
  sheet?: string;
}

/** A sheet name quoted for A1 notation: literal quotes doubled; an expression's value is taken as it is. */
function a1Sheet(ctx: MapContext, name: string): string {
  return `'${name.startsWith('=') ? str(ctx, name).trim() : literalText(name.trim().replace(/'/g, "''"))}'`;
}

/** The spreadsheet (documentId locator in v3+, sheetId before) and, from v3, the sheet by name. */
function sheetTarget(ctx: MapContext, version: number): SheetTarget | { failure: string } {
  const p = ctx.params;
  const spreadsheetId = str(ctx, locatorValue(version >= 3 ? p.documentId : p.sheetId)).trim();
  if (spreadsheetId === '') return { failure: 'the spreadsheet is not set' };
  if (version < 3) return { spreadsheetId };
  const rl = isRecord(p.sheetName) ? p.sheetName : undefined;
  const value = locatorValue(p.sheetName);
  if (rl?.mode === 'name' || (rl === undefined && typeof value === 'string')) {
    const name = typeof value === 'string' ? value : '';
    return name.replace(/^=/, '').trim() === '' ? { failure: 'the sheet is not set' } : { spreadsheetId, sheet: a1Sheet(ctx, name) };
  }
  // list/id/url modes hold the sheet's gid; the export keeps its name beside it when n8n listed it.
  if (rl && text(rl.cachedResultName)) return { spreadsheetId, sheet: a1Sheet(ctx, rl.cachedResultName.replace(/^=/, '')) };
  return { failure: `the sheet is chosen by its id (${clip(String(value ?? ''), 40)}) and the export does not name it; Keyflow's range needs the sheet's name: set it on the node` };
}

/** A cell from n8n's column value: an expression or literal text (numbers and booleans kept). */
function cell(ctx: MapContext, v: unknown): unknown {
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return v;
  return str(ctx, v);
}

interface Column {
  id: string;
  removed: boolean;
}

function schemaColumns(columns: Record<string, unknown>): Column[] {
  const list = Array.isArray(columns.schema) ? columns.schema.filter(isRecord) : [];
  return list.filter((c): c is Record<string, unknown> & { id: string } => text(c.id)).map((c) => ({ id: c.id, removed: c.removed === true }));
}

/** The item's field `name`, or null (an empty cell) when it has none. */
function fieldOf(ctx: MapContext, name: string): string {
  return `{{ default(${ctx.scope.current}[${JSON.stringify(name)}], null) }}`;
}

/**
 * v4's columns → one row as an object keyed by column name (append), or undefined with a reason.
 * defineBelow: the values n8n lists; autoMapInputData: the item's fields named like the columns.
 */
function rowObject(ctx: MapContext, columns: Record<string, unknown>, notes: string[]): Record<string, unknown> | string {
  const mode = typeof columns.mappingMode === 'string' ? columns.mappingMode : 'defineBelow';
  const row: Record<string, unknown> = {};
  const put = (k: string, v: unknown) => Object.defineProperty(row, k, { value: v, enumerable: true, writable: true, configurable: true });
  if (mode === 'defineBelow') {
    const values = isRecord(columns.value) ? columns.value : {};
    for (const [k, v] of Object.entries(values)) if (k !== 'row_number' && v !== undefined) put(k, cell(ctx, v));
    if (Object.keys(row).length === 0) return 'no column is given a value';
    return row;
  }
  if (mode !== 'autoMapInputData') return `the column mapping mode '${clip(String(mode), 30)}' is not known`;
  const cols = schemaColumns(columns).filter((c) => !c.removed && c.id !== 'row_number');
  if (cols.length === 0) return '';
  for (const c of cols) put(c.id, fieldOf(ctx, c.id));
  notes.push(`n8n filled the columns from the item's fields of the same name; Keyflow does the same for the columns n8n knew (${clip(cols.map((c) => c.id).join(', '), 120)})`);
  return row;
}

function sheetsAppend(ctx: MapContext, version: number, target: SheetTarget): MapOutcome {
  const missing = requireType(ctx, 'sheets.append_rows');
  if (missing) return { failure: missing };
  const p = ctx.params;
  const options = option(p, 'options');
  const notes: string[] = [];
  let rows: unknown;
  let range: string;
  if (version < 3) {
    // v1/v2: the item's fields are laid out under the header row of the range (A:F unless set).
    range = text(p.range) ? str(ctx, p.range) : 'A:F';
    rows = `{{ [${ctx.scope.current}] }}`;
    notes.push("the item's fields are written under the columns of the same name; a field that is not a column is an error in Keyflow");
  } else {
    const columns = option(p, 'columns');
    const row = rowObject(ctx, columns, notes);
    if (typeof row === 'string' && row !== '') return { failure: row };
    range = `${target.sheet}!A1`;
    if (typeof row === 'string') {
      rows = `{{ [${ctx.scope.current}] }}`;
      notes.push("the item's fields are written under the columns of the same name; a field that is not a column is an error in Keyflow");
    } else rows = [row];
  }
  const cellFormat = options.cellFormat ?? (version < 4.1 ? 'RAW' : 'USER_ENTERED');
  // n8n writes into the empty rows after the table (Sheets' own default), shifting nothing.
  const config: Record<string, unknown> = { spreadsheetId: target.spreadsheetId, range, rows, valueInputOption: cellFormat === 'RAW' ? 'RAW' : 'USER_ENTERED', insertDataOption: 'OVERWRITE' };
  return mapped('sheets.append_rows', config, notes);
}

function sheetsRead(ctx: MapContext, version: number, target: SheetTarget, unfiltered = false): MapOutcome {
  const missing = requireType(ctx, 'sheets.read_range');
  if (missing) return { failure: missing };
  const p = ctx.params;
  const options = option(p, 'options');
  const filters = isRecord(p.filtersUI) && Array.isArray(p.filtersUI.values) ? p.filtersUI.values.filter(isRecord) : [];
  if (filters.length > 0 && !unfiltered) return sheetsLookup(ctx, version, target, filters);
  let range: string;
  if (version < 3) range = text(p.range) ? str(ctx, p.range) : 'A:F';
  else {
    const location = isRecord(options.dataLocationOnSheet) && isRecord(options.dataLocationOnSheet.values) ? options.dataLocationOnSheet.values : {};
    range = location.rangeDefinition === 'specifyRangeA1' && text(location.range) ? `${target.sheet}!${str(ctx, location.range)}` : target.sheet!;
    if (location.rangeDefinition === 'specifyRange') return { failure: "a data location given by header and first data row numbers is not carried over (give an A1 range)" };
  }
  return mapped('sheets.read_range', { spreadsheetId: target.spreadsheetId, range, headerRow: version >= 3 || p.rawData !== true }, ["n8n gave one item per row (with its row_number); Keyflow's output lists the rows under 'rows', keyed by the header row"]);
}

/** A lookup value as JavaScript for the filter code: a literal, or an expression of ours that is also plain JavaScript. */
const CODE_SAFE_REF = /^(\$node\["[^"\\]{1,200}"\]|\$trigger)(\??\.[A-Za-z_$][\w$]*|\??\.?\[(\d+|"[^"\\]*")\])*$/;

function lookupValueCode(ctx: MapContext, value: unknown): string | undefined {
  if (typeof value === 'string' && value.startsWith('=')) {
    const expr = operandExpression(value, ctx.scope, ctx.counts, 'string');
    if (expr === undefined) return undefined;
    if (/^"(?:[^"\\]|\\.)*"$/.test(expr) || CODE_SAFE_REF.test(expr)) return expr;
    return undefined;
  }
  return JSON.stringify(value === undefined || value === null ? '' : typeof value === 'string' ? value : String(value));
}

/**
 * Get Row(s) with filters (v4.5+): the range is read, then a Code node keeps the rows whose columns
 * equal the lookup values (all of them, or any with combineFilters OR), numbering them as n8n does.
 */
function sheetsLookup(ctx: MapContext, version: number, target: SheetTarget, filters: Record<string, unknown>[]): MapOutcome {
  if (version < 4.5) return { failure: "n8n's row filters before Google Sheets v4.5 are not carried over (read the range and filter the rows in a Code node)" };
  const missing = requireType(ctx, 'sheets.read_range') ?? requireType(ctx, 'core.code');
  if (missing) return { failure: missing };
  const p = ctx.params;
  const options = option(p, 'options');
  const wanted: string[] = [];
  for (const [i, f] of filters.entries()) {
    const column = typeof f.lookupColumn === 'string' ? f.lookupColumn.replace(/^=/, '').trim() : '';
    if (column === '' || column.includes('{{')) return { failure: `row filter ${i + 1} names no fixed column` };
    const value = lookupValueCode(ctx, f.lookupValue);
    if (value === undefined) return { failure: `the value of row filter ${i + 1} ('${clip(column, 60)}') is an expression we cannot translate` };
    wanted.push(`[${JSON.stringify(column)}, ${value}]`);
  }
  const outcome = sheetsRead(ctx, version, target, true);
  if ('failure' in outcome) return outcome;
  if (outcome.config.range !== target.sheet) return { failure: 'row filters on a part of the sheet are not carried over' };
  const join = p.combineFilters === 'OR' ? 'some' : 'every';
  const first = options.returnFirstMatch === true;
  return {
    ...outcome,
    notes: [`n8n returned the rows whose ${filters.length > 1 ? 'columns' : 'column'} matched; a Code node after the read keeps them (with row_number, as n8n numbered them)`],
    readsThen: true,
    then: {
      type: 'core.code',
      config: (firstId) => ({
        mode: 'runOnceForAllItems',
        code: [
          `const rows = ($node[${JSON.stringify(firstId)}].output.rows ?? []).map((row, i) => ({ ...row, row_number: i + 2 }));`,
          `const wanted = [${wanted.join(', ')}];`,
          `const hit = (row) => wanted.${join}(([column, value]) => String(row[column] ?? '') === String(value ?? ''));`,
          `return rows.filter(hit)${first ? '.slice(0, 1)' : ''}.map((json) => ({ json }));`,
        ].join('\n'),
      }),
      handle: (index) => (index === 0 ? 'main' : undefined),
      label: 'filter',
    },
  };
}

function sheetsUpdate(ctx: MapContext, version: number, target: SheetTarget): MapOutcome {
  const missing = requireType(ctx, 'sheets.update_range');
  if (missing) return { failure: missing };
  const p = ctx.params;
  const options = option(p, 'options');
  if (version < 3) {
    // v1/v2 raw data: the item's field holds the rows of cells written to the range.
    if (p.rawData !== true) return { failure: "n8n's Sheets v1/v2 update found rows by a key column; Keyflow's sheets.update_range writes a range by position" };
    const field = text(p.dataProperty) ? p.dataProperty : 'data';
    const range = text(p.range) ? str(ctx, p.range) : 'A:F';
    return mapped('sheets.update_range', { spreadsheetId: target.spreadsheetId, range, values: `{{ ${ctx.scope.current}[${JSON.stringify(field)}] }}`, valueInputOption: options.valueInputMode === 'USER_ENTERED' ? 'USER_ENTERED' : 'RAW' });
  }
  const columns = option(p, 'columns');
  const matching = Array.isArray(columns.matchingColumns) ? columns.matchingColumns.filter(text) : text(p.columnToMatchOn) ? [p.columnToMatchOn] : [];
  if (matching.length !== 1 || matching[0] !== 'row_number') {
    return { failure: `n8n updated the row whose '${clip(matching.join("', '") || '?', 80)}' matched; Keyflow's sheets.update_range writes a range by position (read the range, find the row, then update it)` };
  }
  const cols = schemaColumns(columns).filter((c) => c.id !== 'row_number');
  if (cols.length === 0) return { failure: "the export does not list the sheet's columns, so their positions are not known" };
  const mode = typeof columns.mappingMode === 'string' ? columns.mappingMode : 'defineBelow';
  const values = isRecord(columns.value) ? columns.value : {};
  const rowNumber = mode === 'defineBelow' ? values.row_number : `={{ $json.row_number }}`;
  const row = typeof rowNumber === 'number' ? String(rowNumber) : str(ctx, rowNumber);
  if (row.trim() === '') return { failure: 'the row to update (row_number) is not given' };
  // null leaves a cell as it is (Sheets skips nulls), as n8n left the columns it was not given.
  const cells = cols.map((c) => (c.removed ? null : mode === 'defineBelow' ? (Object.hasOwn(values, c.id) ? cell(ctx, values[c.id]) : null) : fieldOf(ctx, c.id)));
  if (cells.every((c) => c === null)) return { failure: 'no column is given a value' };
  const cellFormat = options.cellFormat ?? (version < 4.1 ? 'RAW' : 'USER_ENTERED');
  return mapped(
    'sheets.update_range',
    { spreadsheetId: target.spreadsheetId, range: `${target.sheet}!A${row.trim()}`, values: [cells], valueInputOption: cellFormat === 'RAW' ? 'RAW' : 'USER_ENTERED' },
    [`the cells are written from column A in the order of the columns n8n knew (${clip(cols.map((c) => c.id).join(', '), 120)}); check they still match the sheet`],
  );
}

/** n8n's Google Sheets: append, read (Get Row(s)) and update by row_number map; the rest stay placeholders. */
export function googleSheets(ctx: MapContext, version: number): MapOutcome {
  const p = ctx.params;
  const resource = resourceOf(p, 'sheet');
  const operation = operationOf(p, resource === 'spreadsheet' ? 'create' : 'read');
  if (resource !== 'sheet') return { failure: `Google Sheets ${clip(resource, 30)}/${clip(operation, 30)} has no Keyflow node (Keyflow appends, reads and updates ranges of an existing spreadsheet)` };
  if (operation === 'appendOrUpdate' || operation === 'upsert') return { failure: "n8n appended the row or updated the one whose matching column was equal (an upsert); Keyflow has no upsert for Sheets: read the range, then update or append" };
  if (!['append', 'read', 'lookup', 'update'].includes(operation)) return { failure: `Google Sheets ${clip(operation, 30)} has no Keyflow node (Keyflow appends, reads and updates ranges)` };
  const target = sheetTarget(ctx, version);
  if ('failure' in target) return target;
  if (operation === 'append') return sheetsAppend(ctx, version, target);
  if (operation === 'update') return sheetsUpdate(ctx, version, target);
  if (operation === 'lookup') return { failure: "n8n returned only the rows whose lookup column matched; Keyflow's sheets.read_range reads the whole range" };
  return sheetsRead(ctx, version, target);
}

export function googleSheetsTrigger(): MapOutcome {
  return { failure: 'Keyflow has no Google Sheets trigger: start the workflow on a schedule and read the range with sheets.read_range' };
}

// ---- Drive --------------------------------------------------------------------------------

const FOLDER_MIME = 'application/vnd.google-apps.folder';

function folderOf(ctx: MapContext, value: unknown): string | undefined {
  const id = str(ctx, locatorValue(value)).trim();
  return id === '' ? undefined : id;
}

function driveDownload(ctx: MapContext): MapOutcome {
  const missing = requireType(ctx, 'drive.download');
  if (missing) return { failure: missing };
  const p = ctx.params;
  const fileId = str(ctx, locatorValue(p.fileId)).trim();
  if (fileId === '') return { failure: 'the file to download is not set' };
  const options = option(p, 'options');
  const conversion = isRecord(options.googleFileConversion) && isRecord(options.googleFileConversion.conversion) ? options.googleFileConversion.conversion : {};
  const config: Record<string, unknown> = { fileId };
  const notes = [`n8n put the file in the binary property '${clip(text(options.binaryPropertyName) ? options.binaryPropertyName : 'data', 40)}'; Keyflow's output holds it under 'content' (text, or base64 for other types)`];
  const formats = ['docsToFormat', 'sheetsToFormat', 'slidesToFormat', 'drawingsToFormat'].filter((k) => text(conversion[k]));
  if (formats.length > 0) {
    config.exportMimeType = conversion[formats[0]!];
    if (formats.length > 1) notes.push('one export format is carried over (the first n8n names); the others use Keyflow’s defaults');
  }
  return mapped('drive.download', config, notes);
}

function driveCreateFromText(ctx: MapContext): MapOutcome {
  const missing = requireType(ctx, 'drive.upload');
  if (missing) return { failure: missing };
  const p = ctx.params;
  const options = option(p, 'options');
  if (options.convertToGoogleDocument === true) return { failure: "n8n created a Google Doc from the text; Keyflow's drive.upload creates a plain text file" };
  const config: Record<string, unknown> = { name: str(ctx, p.name) || 'Untitled', content: str(ctx, p.content), mimeType: 'text/plain' };
  const folder = folderOf(ctx, p.folderId);
  if (folder) config.folderId = folder;
  return mapped('drive.upload', config, driveNotes(p));
}

function driveNotes(p: Record<string, unknown>): string[] {
  const drive = locatorValue(p.driveId);
  return typeof drive === 'string' && drive !== '' && drive !== 'My Drive' ? ['n8n worked in a shared drive; Keyflow finds the folder by its id'] : [];
}

/** v3 "Search files and folders": a name or a Drive query, and filters on folder, kind and types. */
function driveSearch(ctx: MapContext): MapOutcome {
  const missing = requireType(ctx, 'drive.list');
  if (missing) return { failure: missing };
  const p = ctx.params;
  const filter = option(p, 'filter');
  const parts: string[] = [];
  const q = typeof p.queryString === 'string' ? str(ctx, p.queryString) : '';
  if (q.trim() !== '') parts.push(p.searchMethod === 'query' ? q : `name contains '${quotedInQuery(q)}'`);
  if (filter.whatToSearch === 'folders') parts.push(`mimeType = '${FOLDER_MIME}'`);
  else if (filter.whatToSearch === 'files') parts.push(`mimeType != '${FOLDER_MIME}'`);
  const types = Array.isArray(filter.fileTypes) ? filter.fileTypes.filter(text).filter((t) => t !== '*') : [];
  if (types.length > 0) parts.push(`(${types.map((t) => `mimeType = '${quotedInQuery(t)}'`).join(' or ')})`);
  const config: Record<string, unknown> = { includeTrashed: filter.includeTrashed === true };
  if (parts.length > 0) config.query = parts.join(' and ');
  const folder = folderOf(ctx, filter.folderId);
  if (folder && folder !== 'root') config.folderId = folder;
  if (p.returnAll === true) config.all = true;
  else config.pageSize = clampInt(p.limit, 1, 1000, 50);
  return mapped('drive.list', config, ["n8n gave one item per file; Keyflow's output lists them under 'files'", ...driveNotes(filter)]);
}

/** v1/v2 "List": a query string, or name / mime type filters. */
function driveList(ctx: MapContext): MapOutcome {
  const missing = requireType(ctx, 'drive.list');
  if (missing) return { failure: missing };
  const p = ctx.params;
  const parts: string[] = [];
  if (p.useQueryString === true) {
    const q = str(ctx, p.queryString);
    if (q.trim() !== '') parts.push(q);
  } else {
    const filters = option(p, 'queryFilters');
    const unknown = Object.keys(filters).filter((k) => k !== 'name' && k !== 'mimeType');
    if (unknown.length > 0) return { failure: `the Drive list filter '${clip(unknown[0]!, 40)}' is not carried over (write it as a Drive query)` };
    for (const f of Array.isArray(filters.name) ? filters.name.filter(isRecord) : []) {
      const v = quotedInQuery(str(ctx, f.value));
      const op = f.operation === 'isNot' ? '!=' : f.operation === 'contains' ? 'contains' : '=';
      parts.push(`name ${op} '${v}'`);
    }
    const mimes = (Array.isArray(filters.mimeType) ? filters.mimeType.filter(isRecord) : []).map((m) => (m.mimeType === 'custom' ? m.customMimeType : m.mimeType)).filter(text);
    if (mimes.length > 0) parts.push(`(${mimes.map((m) => `mimeType = '${quotedInQuery(m)}'`).join(' or ')})`);
  }
  const config: Record<string, unknown> = {};
  if (parts.length > 0) config.query = parts.join(' and ');
  if (p.returnAll === true) config.all = true;
  else config.pageSize = clampInt(p.limit, 1, 1000, 100);
  return mapped('drive.list', config, ["n8n gave one item per file; Keyflow's output lists them under 'files'"]);
}

/** n8n's Google Drive: download, create from text, search / list; uploads of binary data and edits stay placeholders. */
export function googleDrive(ctx: MapContext, version: number): MapOutcome {
  const p = ctx.params;
  const resource = resourceOf(p, 'file');
  const operation = operationOf(p, resource === 'fileFolder' ? 'search' : resource === 'folder' ? 'create' : 'upload');
  if (resource === 'fileFolder' && operation === 'search') return driveSearch(ctx);
  if (resource !== 'file') return { failure: `Google Drive ${clip(resource, 30)}/${clip(operation, 30)} has no Keyflow node (Keyflow lists, downloads, uploads and shares files)` };
  if (operation === 'download') return driveDownload(ctx);
  if (operation === 'createFromText') return driveCreateFromText(ctx);
  if (operation === 'list' && version < 3) return driveList(ctx);
  if (operation === 'upload') return { failure: "n8n uploaded the binary file of the item it received; Keyflow runs carry no binary data, so drive.upload needs the content as text or base64 from an earlier step" };
  if (operation === 'update') return { failure: "n8n updated the file's content or name; Keyflow has no Drive node that changes an existing file" };
  if (operation === 'share') return { failure: "n8n's share permissions are not carried over: add drive.share with the role and who to share with" };
  return { failure: `Google Drive file/${clip(operation, 30)} has no Keyflow node (Keyflow lists, downloads, uploads and shares files)` };
}

/** n8n's Drive fileType option → drive.* fileType (n8n's Google-type values for media never match uploads: the media kind is meant). */
const DRIVE_FILE_TYPES: Readonly<Record<string, string>> = {
  all: 'any',
  'application/vnd.google-apps.document': 'google_doc',
  'application/vnd.google-apps.spreadsheet': 'google_sheet',
  'application/vnd.google-apps.presentation': 'google_slides',
  'application/vnd.google-apps.audio': 'audio',
  'application/vnd.google-apps.photo': 'image',
  'application/vnd.google-apps.video': 'video',
};

/** n8n's Google Drive Trigger on a folder → drive.new_file (fileCreated, folderCreated) or drive.file_updated (fileUpdated, folderUpdated). */
export function googleDriveTrigger(ctx: MapContext): MapOutcome {
  const p = ctx.params;
  const triggerOn = typeof p.triggerOn === 'string' ? p.triggerOn : 'specificFile';
  const event = typeof p.event === 'string' ? p.event : 'fileUpdated';
  if (triggerOn === 'specificFile') return { failure: "n8n watched changes of one file; Keyflow's Drive triggers watch a folder (drive.file_updated on the file's folder starts for each of its changed files)" };
  if (triggerOn !== 'specificFolder' && triggerOn !== 'anyFileFolder') return { failure: `the Drive trigger's '${clip(triggerOn, 30)}' is not a folder Keyflow can watch` };
  if (event === 'watchFolderUpdated') return { failure: "n8n watched changes of the folder itself; Keyflow's Drive triggers report the files in it" };
  const types: Record<string, [string, string | undefined]> = { fileCreated: ['drive.new_file', undefined], fileUpdated: ['drive.file_updated', undefined], folderCreated: ['drive.new_file', 'folder'], folderUpdated: ['drive.file_updated', 'folder'] };
  const target = types[event];
  if (!target) return { failure: `the Drive trigger's event '${clip(event, 30)}' has no Keyflow counterpart` };
  const [type, folderKind] = target;
  const missing = requireType(ctx, type);
  if (missing) return { failure: missing };
  const poll = pollInterval(ctx);
  if (!poll) return { failure: POLL_TIMES_FAILURE };
  const notes = poll.note ? [poll.note] : [];
  const config: Record<string, unknown> = { intervalMinutes: poll.intervalMinutes };
  if (triggerOn === 'specificFolder') {
    const folder = str(ctx, locatorValue(p.folderToWatch)).trim();
    if (folder === '') return { failure: 'folderId: the folder to watch is not set' };
    config.folderId = folder;
  } else notes.push('n8n watched the whole Drive; so does Keyflow (no folder set)');
  const fileType = option(p, 'options').fileType;
  if (folderKind) config.fileType = folderKind;
  else if (typeof fileType === 'string' && fileType !== 'all') {
    const kind = DRIVE_FILE_TYPES[fileType];
    if (kind) config.fileType = kind;
    else if (/^[\w.+-]+\/[\w.+-]+$/.test(fileType)) config.mimeType = fileType;
    else return { failure: `fileType: '${clip(fileType, 60)}' is not a MIME type` };
  }
  if (p.driveToWatch !== undefined && p.driveToWatch !== 'root' && triggerOn === 'anyFileFolder') notes.push('only My Drive and the files shared with the account are watched, not one shared drive');
  notes.push("the run's data is the file's id, name, mimeType, size, times, webViewLink and parents (n8n gave every Drive field); read the content with drive.download");
  return mapped(type, config, notes);
}

// ---- Gmail --------------------------------------------------------------------------------

function labelIds(value: unknown): string[] {
  return (Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : []).filter((l): l is string => typeof l === 'string').map((l) => l.trim()).filter(Boolean);
}

function gmailSend(ctx: MapContext, version: number): MapOutcome {
  const missing = requireType(ctx, 'gmail.send');
  if (missing) return { failure: missing };
  const p = ctx.params;
  // v1: toList (a list) and additionalFields; v2: sendTo (comma-separated) and options.
  // Read by shape as well as version: an export without typeVersion is read as v1.
  const v1 = version < 2 && p.sendTo === undefined;
  const options = v1 ? option(p, 'additionalFields') : option(p, 'options');
  const to = v1 ? (Array.isArray(p.toList) ? p.toList : []).map((t) => str(ctx, t)).filter(Boolean).join(',') : str(ctx, p.sendTo);
  const config: Record<string, unknown> = { to, subject: str(ctx, p.subject) };
  const html = v1 ? text(options.htmlMessage) : p.emailType !== 'text';
  config[html ? 'html' : 'text'] = str(ctx, !v1 || !html ? p.message : options.htmlMessage);
  if (text(options.ccList)) config.cc = str(ctx, options.ccList);
  if (text(options.bccList)) config.bcc = str(ctx, options.bccList);
  if (text(options.replyTo)) config.replyTo = str(ctx, options.replyTo);
  const notes: string[] = [];
  if (options.attachmentsUi) notes.push('attachments are not carried over (give gmail.send its attachments from an earlier step)');
  if (text(options.senderName)) notes.push('the sender name is not carried over (Gmail sends as the connected account)');
  return mapped('gmail.send', config, notes);
}

/** The Gmail search that n8n's getAll filters amount to. */
function gmailQuery(ctx: MapContext, filters: Record<string, unknown>): string | { failure: string } {
  if (filters.receivedAfter !== undefined || filters.receivedBefore !== undefined) return { failure: "n8n's received-after/before dates are not carried over (write them in the search as after:YYYY/MM/DD)" };
  const parts: string[] = [];
  if (typeof filters.q === 'string' && filters.q.trim() !== '') parts.push(str(ctx, filters.q));
  if (typeof filters.sender === 'string' && filters.sender.trim() !== '') parts.push(`from:${str(ctx, filters.sender).trim()}`);
  if (filters.readStatus === 'unread') parts.push('is:unread');
  else if (filters.readStatus === 'read') parts.push('is:read');
  return parts.join(' ');
}

function gmailList(ctx: MapContext, version: number): MapOutcome {
  const missing = requireType(ctx, 'gmail.list_messages');
  if (missing) return { failure: missing };
  const p = ctx.params;
  const filters = version < 2 && p.filters === undefined ? option(p, 'additionalFields') : option(p, 'filters');
  const q = gmailQuery(ctx, filters);
  if (typeof q !== 'string') return q;
  const notes = ["n8n gave one item per message; Keyflow's output lists them under 'messages'"];
  if (p.returnAll === true) notes.push('returnAll became one page of 100 (follow nextPageToken for more)');
  const config: Record<string, unknown> = { q, maxResults: p.returnAll === true ? 100 : clampInt(p.limit, 1, 100, 50) };
  const labels = labelIds(filters.labelIds);
  if (labels.length > 0) config.labelIds = labels;
  if (filters.includeSpamTrash === true) config.includeSpamTrash = true;
  return mapped('gmail.list_messages', config, notes);
}

function gmailLabels(ctx: MapContext, add: string[], remove: string[]): MapOutcome {
  const missing = requireType(ctx, 'gmail.add_label');
  if (missing) return { failure: missing };
  const messageId = str(ctx, ctx.params.messageId).trim();
  if (messageId === '') return { failure: 'the message is not set' };
  if (add.length + remove.length === 0) return { failure: 'no label is given' };
  return mapped('gmail.add_label', { messageId, labelIds: add.map((l) => str(ctx, l)), removeLabelIds: remove.map((l) => str(ctx, l)) });
}

/** n8n's Gmail: send, get, getAll, labels and read marks on messages; threads, drafts and replies stay placeholders. */
export function gmail(ctx: MapContext, version: number): MapOutcome {
  const p = ctx.params;
  const resource = resourceOf(p, 'message');
  const operation = operationOf(p, resource === 'thread' ? 'getAll' : resource === 'messageLabel' ? 'add' : resource === 'message' ? 'send' : 'get');
  if (resource === 'message') {
    if (operation === 'send') return gmailSend(ctx, version);
    if (operation === 'getAll') return gmailList(ctx, version);
    if (operation === 'get') {
      const missing = requireType(ctx, 'gmail.get_message');
      if (missing) return { failure: missing };
      const options = option(p, 'options');
      const messageId = str(ctx, p.messageId).trim();
      if (messageId === '') return { failure: 'the message is not set' };
      return mapped('gmail.get_message', { messageId, includeAttachments: options.downloadAttachments === true }, options.downloadAttachments === true ? ["n8n put attachments in binary properties; Keyflow's output has them as base64 under 'attachments'"] : []);
    }
    if (operation === 'addLabels') return gmailLabels(ctx, labelIds(p.labelIds), []);
    if (operation === 'removeLabels') return gmailLabels(ctx, [], labelIds(p.labelIds));
    if (operation === 'markAsRead') return gmailLabels(ctx, [], ['UNREAD']);
    if (operation === 'markAsUnread') return gmailLabels(ctx, ['UNREAD'], []);
    if (operation === 'reply') return { failure: "n8n replied to the message's sender in its thread; Keyflow's gmail.send needs the recipient: read it with gmail.get_message, then send with threadId" };
    if (operation === 'sendAndWait') return { failure: "n8n sent the email and waited for the recipient's answer; Keyflow has no send-and-wait" };
  }
  if (resource === 'messageLabel' && (operation === 'add' || operation === 'remove')) {
    const labels = labelIds(p.labelIds);
    return operation === 'add' ? gmailLabels(ctx, labels, []) : gmailLabels(ctx, [], labels);
  }
  if (resource === 'thread') return { failure: `Gmail thread/${clip(operation, 30)} has no Keyflow node (Keyflow's Gmail nodes work on messages, not threads)` };
  return { failure: `Gmail ${clip(resource, 30)}/${clip(operation, 30)} has no Keyflow node (Keyflow sends, lists, reads and labels messages)` };
}

/** n8n's Gmail Trigger → gmail.new_message: one label and the poll interval carry; a search filter does not. */
export function gmailTrigger(ctx: MapContext): MapOutcome {
  const missing = requireType(ctx, 'gmail.new_message');
  if (missing) return { failure: missing };
  const p = ctx.params;
  const filters = option(p, 'filters');
  const options = option(p, 'options');
  if (typeof filters.q === 'string' && filters.q.trim() !== '') return { failure: `n8n started only for messages matching the search '${clip(filters.q, 80)}'; Keyflow's gmail.new_message starts for every new message in a label (watch a label a Gmail filter applies instead)` };
  if (typeof filters.sender === 'string' && filters.sender.trim() !== '') return { failure: "n8n started only for messages from one sender; Keyflow's gmail.new_message starts for every new message in a label (watch a label a Gmail filter applies instead)" };
  const labels = labelIds(filters.labelIds);
  if (labels.length > 1) return { failure: "n8n started for messages carrying all of several labels; Keyflow's gmail.new_message watches one label" };
  if (labels.length === 1 && !labels[0]!.startsWith('=') && !/^[A-Za-z0-9_-]{1,100}$/.test(labels[0]!)) return { failure: `labelId: '${clip(labels[0]!, 60)}' is not a Gmail label id (e.g. INBOX or Label_12)` };
  const poll = pollInterval(ctx);
  if (!poll) return { failure: POLL_TIMES_FAILURE };
  const notes: string[] = [];
  if (poll.note) notes.push(poll.note);
  if (labels.length === 0) notes.push('n8n watched all mail; Keyflow watches the INBOX label');
  if (filters.readStatus === 'read' || filters.readStatus === 'both') notes.push('Keyflow starts for every new message, read or not');
  if (filters.includeSpamTrash === true) notes.push('spam and trash are not watched');
  if (options.downloadAttachments === true) notes.push("the run's data is the message's headers and snippet: read attachments with gmail.get_message (includeAttachments)");
  else if (p.simple === false) notes.push("the run's data is the message's headers and snippet: read the body with gmail.get_message");
  const config: Record<string, unknown> = { intervalMinutes: poll.intervalMinutes };
  if (labels.length === 1) config.labelId = str(ctx, labels[0]);
  return mapped('gmail.new_message', config, notes);
}

// ---- Calendar -----------------------------------------------------------------------------

function attendeeList(ctx: MapContext, value: unknown): string {
  const list = Array.isArray(value) ? value.filter((a): a is string => typeof a === 'string').map((a) => str(ctx, a)) : typeof value === 'string' ? [str(ctx, value)] : [];
  return list.filter(Boolean).join(',');
}

function calendarCreate(ctx: MapContext, calendarId: string): MapOutcome {
  const missing = requireType(ctx, 'calendar.create_event');
  if (missing) return { failure: missing };
  const p = ctx.params;
  const extra = option(p, 'additionalFields');
  const config: Record<string, unknown> = { summary: str(ctx, extra.summary) || 'Event', start: str(ctx, p.start), end: str(ctx, p.end), ...(calendarId ? { calendarId } : {}) };
  if (text(extra.description)) config.description = str(ctx, extra.description);
  if (text(extra.location)) config.location = str(ctx, extra.location);
  const attendees = attendeeList(ctx, extra.attendees);
  if (attendees !== '') config.attendees = attendees;
  if (isRecord(extra.conferenceDataUi)) config.conference = true;
  return mapped('calendar.create_event', config, ['check timeZone: n8n uses the workflow’s time zone for times without an offset, Keyflow needs it on the node']);
}

function calendarList(ctx: MapContext, version: number, calendarId: string): MapOutcome {
  const missing = requireType(ctx, 'calendar.list_events');
  if (missing) return { failure: missing };
  const p = ctx.params;
  const options = option(p, 'options');
  // From v1.3 the time range is on the node; before, under options.
  const timeMin = version >= 1.3 ? p.timeMin : options.timeMin;
  const timeMax = version >= 1.3 ? p.timeMax : options.timeMax;
  const config: Record<string, unknown> = { ...(calendarId ? { calendarId } : {}), maxResults: p.returnAll === true ? 250 : clampInt(p.limit, 1, 250, 50) };
  const notes = ["n8n gave one item per event; Keyflow's output lists them under 'events' (recurring events expanded, by start time)"];
  if (timeMin !== undefined && timeMin !== '') config.timeMin = str(ctx, timeMin);
  if (timeMax !== undefined && timeMax !== '') config.timeMax = str(ctx, timeMax);
  if (version >= 1.3 && timeMin === undefined && timeMax === undefined) notes.push("n8n's default range (now to a week ahead) is not set: Keyflow lists from the calendar's first events");
  if (text(options.query)) config.q = str(ctx, options.query);
  if (p.returnAll === true) notes.push('returnAll became one page of 250 (follow nextPageToken for more)');
  return mapped('calendar.list_events', config, notes);
}

function calendarUpdate(ctx: MapContext, calendarId: string): MapOutcome {
  const missing = requireType(ctx, 'calendar.update_event');
  if (missing) return { failure: missing };
  const p = ctx.params;
  const fields = option(p, 'updateFields');
  const eventId = str(ctx, p.eventId).trim();
  if (eventId === '') return { failure: 'the event is not set' };
  const config: Record<string, unknown> = { eventId, ...(calendarId ? { calendarId } : {}) };
  for (const key of ['summary', 'description', 'location', 'start', 'end'] as const) if (text(fields[key])) config[key] = str(ctx, fields[key]);
  const attendees = attendeeList(ctx, fields.attendees);
  if (attendees !== '') config.attendees = attendees;
  if (isRecord(fields.attendeesUi)) return { failure: "n8n's attendee list with add/replace modes is not carried over (give calendar.update_event the full list)" };
  if (Object.keys(config).length === (calendarId ? 2 : 1)) return { failure: 'the update changes no field Keyflow carries (summary, description, location, start, end, attendees)' };
  return mapped('calendar.update_event', config, attendees !== '' ? ['the attendee list replaces the event’s attendees'] : []);
}

/** n8n's Google Calendar events: create, getAll, update and delete map; get and calendar/availability stay placeholders. */
export function googleCalendar(ctx: MapContext, version: number): MapOutcome {
  const p = ctx.params;
  const resource = resourceOf(p, 'event');
  const operation = operationOf(p, resource === 'calendar' ? 'availability' : 'create');
  if (resource !== 'event') return { failure: `Google Calendar ${clip(resource, 30)}/${clip(operation, 30)} has no Keyflow node (Keyflow creates, lists, updates and deletes events)` };
  const calendarId = str(ctx, locatorValue(p.calendar)).trim();
  if (operation === 'create') return calendarCreate(ctx, calendarId);
  if (operation === 'getAll') return calendarList(ctx, version, calendarId);
  if (operation === 'update') return calendarUpdate(ctx, calendarId);
  if (operation === 'delete') {
    const missing = requireType(ctx, 'calendar.delete_event');
    if (missing) return { failure: missing };
    const eventId = str(ctx, p.eventId).trim();
    if (eventId === '') return { failure: 'the event is not set' };
    return mapped('calendar.delete_event', { eventId, ...(calendarId ? { calendarId } : {}) });
  }
  if (operation === 'get') return { failure: 'Keyflow has no node that reads one Calendar event by its id (calendar.list_events lists a time range)' };
  return { failure: `Google Calendar event/${clip(operation, 30)} has no Keyflow node (Keyflow creates, lists, updates and deletes events)` };
}
