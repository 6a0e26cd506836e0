// The Google mappers (and the other mappings added with them) over node shapes taken from the
// corpus (bench/data/corpus/n8n); every imported graph must pass the API's validator.
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '@keyflow/nodes';
import { createTestContext, parseNodeConfig } from '@keyflow/nodes/contract';
import { validateGraph, type GraphNode } from '../../graph/index.ts';
import { importN8nWorkflow, type NodeReport } from './import-n8n.ts';
import { parseTemplatedJson } from './templated-json.ts';

const B = 'n8n-nodes-base.';
type Params = Record<string, unknown>;

/** Imports `Start (manual) → Prev (noOp) → X` and returns X as imported, with the whole result. */
function imp(type: string, parameters: Params, typeVersion = 1, extra: { credentials?: Params } = {}) {
  const doc = {
    nodes: [
      { name: 'Start', type: `${B}manualTrigger`, parameters: {} },
      { name: 'Prev', type: `${B}noOp`, parameters: {} },
      { name: 'X', type, typeVersion, parameters, ...extra },
      { name: 'After', type: `${B}set`, typeVersion: 3.4, parameters: { assignments: { assignments: [{ name: 'r', value: '={{ $json.TWITTER }}', type: 'string' }] } } },
    ],
    connections: { Start: { main: [[{ node: 'Prev', type: 'main', index: 0 }]] }, Prev: { main: [[{ node: 'X', type: 'main', index: 0 }]] }, X: { main: [[{ node: 'After', type: 'main', index: 0 }]] } },
  };
  const result = importN8nWorkflow(doc, { registry: defaultRegistry, minScheduleSeconds: 60 });
  expect(validateGraph(result.graph, defaultRegistry, { minScheduleSeconds: 60 }).ok).toBe(true);
  const report = result.report.nodes.find((n) => n.name === 'X') as NodeReport;
  const node = result.graph.nodes.find((n) => n.name === 'X') as GraphNode;
  return { node, report, result };
}

const doc = (id = '1s1v58pqGaVha9g_evNX4UEMchzteO7CyLNp87tcKJ1Q') => ({ __rl: true, mode: 'list', value: id, cachedResultName: 'Docs Summarise Data' });
const sheet = (name: string) => ({ __rl: true, mode: 'list', value: 'gid=0', cachedResultName: name });
const col = (id: string, more: Params = {}) => ({ id, type: 'string', display: true, required: false, displayName: id, defaultMatch: false, canBeUsedToMatch: true, ...more });

describe('Google Sheets', () => {
  it.each([
    [
      'append, columns defined below (v4.5)',
      { operation: 'append', documentId: doc(), sheetName: sheet('Sheet1'), columns: { mappingMode: 'defineBelow', value: { Name: '={{ $json.name }}', 'Email ': 'fixed', Count: 3 }, schema: [col('Name'), col('Email ')], matchingColumns: [] }, options: {} },
      4.5,
      { type: 'sheets.append_rows', config: { spreadsheetId: '1s1v58pqGaVha9g_evNX4UEMchzteO7CyLNp87tcKJ1Q', range: "'Sheet1'!A1", rows: [{ Name: '{{ $node["Prev"].output.name }}', 'Email ': 'fixed', Count: 3 }], valueInputOption: 'USER_ENTERED', insertDataOption: 'OVERWRITE' } },
    ],
    [
      'append, mapped from the input by the columns n8n knew (v4.5)',
      { operation: 'append', documentId: doc(), sheetName: sheet("Bob's log"), columns: { mappingMode: 'autoMapInputData', value: {}, schema: [col('title'), col('gone', { removed: true }), col('link')] }, options: { useAppend: true } },
      4.5,
      { type: 'sheets.append_rows', config: { range: "'Bob''s log'!A1", rows: [{ title: '{{ default($node["Prev"].output["title"], null) }}', link: '{{ default($node["Prev"].output["link"], null) }}' }] } },
    ],
    [
      'append, mapped from the input with no schema (v4: RAW)',
      { operation: 'append', documentId: { __rl: true, value: 'REPLACE_WITH_SPREADSHEET_ID', mode: 'id' }, sheetName: { __rl: true, value: 'Leads', mode: 'name' }, columns: { mappingMode: 'autoMapInputData', value: {} }, options: {} },
      4,
      { type: 'sheets.append_rows', config: { spreadsheetId: 'REPLACE_WITH_SPREADSHEET_ID', range: "'Leads'!A1", rows: '{{ [$node["Prev"].output] }}', valueInputOption: 'RAW' } },
    ],
    [
      'get rows, the whole sheet (v4.5, the default operation)',
      { documentId: doc(), sheetName: sheet('Blad1'), options: {} },
      4.5,
      { type: 'sheets.read_range', config: { range: "'Blad1'", headerRow: true } },
    ],
    [
      'get rows of an A1 range, the document by URL',
      { documentId: { __rl: true, mode: 'url', value: 'https://docs.google.com/spreadsheets/d/19VwKRDbsh8uU6xitnTXUjk1u73XCGThzyE8nv1YsP24/edit?gid=0#gid=0' }, sheetName: sheet('tracks listing'), options: { dataLocationOnSheet: { values: { range: 'A:B', rangeDefinition: 'specifyRangeA1' } } } },
      4.5,
      { type: 'sheets.read_range', config: { spreadsheetId: 'https://docs.google.com/spreadsheets/d/19VwKRDbsh8uU6xitnTXUjk1u73XCGThzyE8nv1YsP24/edit?gid=0#gid=0', range: "'tracks listing'!A:B" } },
    ],
    [
      'update the row given by row_number (v4.5): other cells left alone',
      { operation: 'update', documentId: doc(), sheetName: sheet('Foglio1'), columns: { mappingMode: 'defineBelow', value: { LINKEDIN: 'x', TWITTER: 'dropped', row_number: "={{ $('Prev').item.json.row_number }}" }, schema: [col('POST ID'), col('TWITTER', { removed: true }), col('LINKEDIN'), col('row_number', { readOnly: true })], matchingColumns: ['row_number'] }, options: {} },
      4.5,
      { type: 'sheets.update_range', config: { range: "'Foglio1'!A{{ $node[\"Prev\"].output.row_number }}", values: [[null, null, 'x']], valueInputOption: 'USER_ENTERED' } },
    ],
  ])('%s', (_label, parameters, version, expected) => {
    const { node, report } = imp(`${B}googleSheets`, parameters, version, { credentials: { googleSheetsOAuth2Api: { id: '7', name: 'mine' } } });
    expect(report.status).toBe('mapped');
    expect(node).toMatchObject(expected);
    expect(node.config).not.toHaveProperty('credentialId');
  });

  it('lists the n8n credential to connect and never carries it', () => {
    const { result } = imp(`${B}googleSheets`, { documentId: doc(), sheetName: sheet('S') }, 4.5, { credentials: { googleSheetsOAuth2Api: { id: '7', name: 'mine' } } });
    expect(result.report.credentialsToConnect).toEqual([{ node: 'X', nodeId: 'X', n8nCredentialType: 'googleSheetsOAuth2Api' }]);
    expect(JSON.stringify(result.graph)).not.toContain('mine');
  });

  it('get rows with filters: the read, then a Code node keeps the matching rows (numbered as n8n does), and later nodes read it', async () => {
    const { node, report, result } = imp(`${B}googleSheets`, { documentId: doc(), sheetName: sheet('Foglio1'), filtersUI: { values: [{ lookupColumn: 'TWITTER' }, { lookupColumn: 'kind', lookupValue: '={{ $json.kind }}' }] }, options: { returnFirstMatch: true } }, 4.5);
    expect(report.status).toBe('mapped');
    expect(node).toMatchObject({ type: 'sheets.read_range', config: { range: "'Foglio1'", headerRow: true } });
    const filter = result.graph.nodes.find((n) => n.name === 'X (filter)')!;
    expect(result.graph.edges).toEqual(expect.arrayContaining([expect.objectContaining({ source: 'X', target: filter.id }), expect.objectContaining({ source: filter.id, target: 'After' })]));
    expect(result.graph.nodes.find((n) => n.name === 'After')!.config.fields).toEqual([{ name: 'r', value: `{{ $node["${filter.id}"].output.TWITTER }}` }]);
    const def = defaultRegistry.latest('core.code')!;
    const rows = [{ TWITTER: 'x', kind: 'a' }, { TWITTER: '', kind: 'b' }, { TWITTER: '', kind: 'a' }, { TWITTER: '', kind: 'a' }];
    const ctx = createTestContext(parseNodeConfig(def, filter.config), { input: null, nodes: { X: { output: { rows } }, Prev: { output: { kind: 'a' } } } } as never);
    expect(((await def.run(ctx as never)) as { output: unknown }).output).toEqual([{ TWITTER: '', kind: 'a', row_number: 4 }]);
  });

  it.each([
    ['an upsert', { operation: 'appendOrUpdate', documentId: doc(), sheetName: sheet('S'), columns: { mappingMode: 'defineBelow', value: { a: '1' }, matchingColumns: ['a'] } }, 4.5, /upsert/],
    ['an update matched on another column', { operation: 'update', documentId: doc(), sheetName: sheet('S'), columns: { mappingMode: 'defineBelow', value: { jobid: '1' }, schema: [col('jobid')], matchingColumns: ['jobid'] } }, 4.5, /'jobid' matched/],
    ['a sheet known only by its gid', { documentId: doc(), sheetName: { __rl: true, mode: 'id', value: 123 } }, 4.5, /by its id \(123\)/],
    ['a new spreadsheet', { resource: 'spreadsheet', title: 'My XML Data' }, 2, /spreadsheet\/create/],
    ['a filter value we cannot translate', { documentId: doc(), sheetName: sheet('S'), filtersUI: { values: [{ lookupColumn: 'date', lookupValue: "={{ $now.format('yyyy-MM-dd') }}" }] } }, 4.5, /row filter 1 \('date'\)/],
    ['no spreadsheet', { documentId: { __rl: true, mode: 'list', value: '' }, sheetName: sheet('S') }, 4.5, /spreadsheet is not set/],
  ])('%s stays a placeholder with the reason', (_label, parameters, version, reason) => {
    const { node, report } = imp(`${B}googleSheets`, parameters, version);
    expect(node.type).toBe('core.unsupported');
    expect(report).toMatchObject({ status: 'placeholder', reason: expect.stringMatching(reason) });
  });

  it('hostile shapes: wrong types, `{{` in names and values become a valid graph, never a throw', () => {
    for (const parameters of [
      { operation: 'append', documentId: { __rl: true, value: { a: 1 } }, sheetName: 42, columns: 'x' },
      { operation: 'append', documentId: doc(), sheetName: { __rl: true, mode: 'name', value: "{{ $env.SECRET }}'!A1" }, columns: { mappingMode: 'defineBelow', value: { '{{ x }}': '{{ $env.SECRET }}' } } },
      { operation: 'update', documentId: doc(), sheetName: sheet('S'), columns: { mappingMode: 'defineBelow', value: 'nope', schema: 'nope', matchingColumns: ['row_number'] } },
      { documentId: doc(), sheetName: sheet('S'), filtersUI: { values: [{ lookupColumn: { a: 1 } }, 7] } },
    ]) {
      const { node } = imp(`${B}googleSheets`, parameters, 4.5);
      // Literal `{{` never becomes an expression of ours.
      expect(JSON.stringify(node.config)).not.toMatch(/\{\{ \$env/);
    }
    const { node } = imp(`${B}googleSheets`, { operation: 'append', documentId: doc(), sheetName: { __rl: true, mode: 'name', value: "{{ x }}'s" }, columns: { mappingMode: 'defineBelow', value: { a: 'b' } } }, 4.5);
    expect(node.config.range).toBe(`'{{ "{{" }} x }}''s'!A1`);
  });
});

describe('Google Drive', () => {
  it.each([
    ['download by URL, a Google Doc as text', { operation: 'download', fileId: { __rl: true, mode: 'url', value: 'https://drive.google.com/file/d/11Koq9q53nkk0F5Y8eZgaWJUVR03I4-MM/view' }, options: { googleFileConversion: { conversion: { docsToFormat: 'text/plain' } } } }, 3, { type: 'drive.download', config: { fileId: 'https://drive.google.com/file/d/11Koq9q53nkk0F5Y8eZgaWJUVR03I4-MM/view', exportMimeType: 'text/plain' } }],
    ['create from text in the root folder', { operation: 'createFromText', name: "={{ $json.jobId }}-summary.md", content: '={{ $json.text }}', driveId: { __rl: true, mode: 'list', value: 'My Drive' }, folderId: { __rl: true, mode: 'list', value: 'root', cachedResultName: '/ (Root folder)' }, options: {} }, 3, { type: 'drive.upload', config: { name: '{{ $node["Prev"].output.jobId }}-summary.md', content: '{{ $node["Prev"].output.text }}', mimeType: 'text/plain', folderId: 'root' } }],
    ['search a folder (v3)', { resource: 'fileFolder', queryString: "Bob's", filter: { folderId: { __rl: true, mode: 'id', value: '1H8Xe2uIO0sI-QdxFsDH0Yg_w9RaPOoD_' }, whatToSearch: 'files' }, limit: 10 }, 3, { type: 'drive.list', config: { query: "name contains 'Bob\\'s' and mimeType != 'application/vnd.google-apps.folder'", folderId: '1H8Xe2uIO0sI-QdxFsDH0Yg_w9RaPOoD_', pageSize: 10 } }],
    ['list by name and type (v1)', { operation: 'list', options: { fields: ['id'] }, queryFilters: { name: [{ value: '={{$json["year"]}}', operation: 'is' }], mimeType: [{ mimeType: 'application/vnd.google-apps.folder' }] } }, 1, { type: 'drive.list', config: { query: "name = '{{ $node[\"Prev\"].output[\"year\"] }}' and (mimeType = 'application/vnd.google-apps.folder')" } }],
  ])('%s', (_label, parameters, version, expected) => {
    const { node, report } = imp(`${B}googleDrive`, parameters, version);
    expect(report.status).toBe('mapped');
    expect(node).toMatchObject(expected);
  });

  it.each([
    ['an upload of binary data', { name: '={{ $binary.data.fileName }}', folderId: { __rl: true, mode: 'list', value: 'root' } }, 3, /no binary data/],
    ['a rename', { operation: 'update', fileId: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, newUpdatedFileName: 'x.pdf' }, 3, /changes an existing file/],
    ['a Google Doc from text', { operation: 'createFromText', name: 'n', content: 'c', options: { convertToGoogleDocument: true } }, 3, /Google Doc/],
    ['an unknown list filter', { operation: 'list', queryFilters: { owner: [{ value: 'x' }] } }, 1, /'owner'/],
    ['hostile: a file id that is an object', { operation: 'download', fileId: { __rl: true, value: { $where: 1 } } }, 3, /fileId/],
  ])('%s stays a placeholder with the reason', (_label, parameters, version, reason) => {
    const { report } = imp(`${B}googleDrive`, parameters, version);
    expect(report).toMatchObject({ status: 'placeholder', reason: expect.stringMatching(reason) });
  });

  const driveTrigger = (parameters: Params) => {
    const r = importN8nWorkflow({ nodes: [{ name: 'T', type: `${B}googleDriveTrigger`, typeVersion: 1, parameters }, { name: 'N', type: `${B}noOp` }], connections: { T: { main: [[{ node: 'N', type: 'main', index: 0 }]] } } }, { registry: defaultRegistry, minScheduleSeconds: 60 });
    expect(validateGraph(r.graph, defaultRegistry, { minScheduleSeconds: 60 }).ok).toBe(true);
    return { node: r.graph.nodes.find((n) => n.name === 'T')!, report: r.report.nodes[0]! };
  };
  const folder = { __rl: true, mode: 'list', value: '1HOeRP5iwccg93UPUYmWYD7DyDmRREkhj', cachedResultName: 'Actual Budget' };

  it.each([
    ['a new file in a folder, every minute (the corpus shape)', { event: 'fileCreated', options: {}, pollTimes: { item: [{ mode: 'everyMinute' }] }, triggerOn: 'specificFolder', folderToWatch: folder, authentication: 'serviceAccount' }, { type: 'drive.new_file', config: { folderId: folder.value, intervalMinutes: 1 } }],
    ['an updated Google Doc every 10 minutes', { event: 'fileUpdated', options: { fileType: 'application/vnd.google-apps.document' }, pollTimes: { item: [{ mode: 'everyX', unit: 'minutes', value: 10 }] }, triggerOn: 'specificFolder', folderToWatch: { __rl: true, mode: 'url', value: 'https://drive.google.com/drive/folders/1WaIRWXcaeNViKmpW5IyQ3YGARWYdMg47' } }, { type: 'drive.file_updated', config: { folderId: 'https://drive.google.com/drive/folders/1WaIRWXcaeNViKmpW5IyQ3YGARWYdMg47', fileType: 'google_doc', intervalMinutes: 10 } }],
    ['a new folder', { event: 'folderCreated', triggerOn: 'specificFolder', folderToWatch: folder }, { type: 'drive.new_file', config: { folderId: folder.value, fileType: 'folder' } }],
  ])('Drive Trigger: %s', (_label, parameters, expected) => {
    const { node, report } = driveTrigger(parameters);
    expect(report.status).toBe('mapped');
    expect(node).toMatchObject(expected);
    expect(report.reason).toMatch(/drive\.download/);
  });

  it.each([
    ['one file watched', { event: 'fileUpdated', triggerOn: 'specificFile', fileToWatch: { __rl: true, mode: 'list', value: 'abc' } }, /one file/],
    ['no folder chosen (corpus: an empty URL locator)', { event: 'fileCreated', triggerOn: 'specificFolder', folderToWatch: { __rl: true, mode: 'url', value: '' } }, /folderId/],
    ['the folder itself', { event: 'watchFolderUpdated', triggerOn: 'specificFolder', folderToWatch: folder }, /folder itself/],
    ['hostile: a file type that is not a MIME type', { event: 'fileCreated', triggerOn: 'specificFolder', folderToWatch: folder, options: { fileType: "x' or name contains '" } }, /fileType/],
  ])('Drive Trigger with %s stays a placeholder trigger', (_label, parameters, reason) => {
    const { node, report } = driveTrigger(parameters);
    expect(node.type).toBe('core.unsupported_trigger');
    expect(report.reason).toMatch(reason);
  });
});

describe('Notion Trigger', () => {
  const trigger = (parameters: Params) => {
    const r = importN8nWorkflow({ nodes: [{ name: 'T', type: `${B}notionTrigger`, typeVersion: 1, parameters }, { name: 'N', type: `${B}noOp` }], connections: { T: { main: [[{ node: 'N', type: 'main', index: 0 }]] } } }, { registry: defaultRegistry, minScheduleSeconds: 60 });
    expect(validateGraph(r.graph, defaultRegistry, { minScheduleSeconds: 60 }).ok).toBe(true);
    return { node: r.graph.nodes.find((n) => n.name === 'T')!, report: r.report.nodes[0]! };
  };
  const db = { __rl: true, mode: 'list', value: 'ec6dc7b4-9ce0-47f7-8025-ef09295999fd', cachedResultName: 'Knowledge Base' };

  it.each([
    ['a page added (n8n default event, raw output)', { simple: false, pollTimes: { item: [{ mode: 'everyMinute' }] }, databaseId: db }, 'notion.page_added', /plain property values/],
    ['a page updated (n8n spells it pagedUpdated…)', { event: 'pagedUpdatedInDatabase', pollTimes: { item: [{ mode: 'everyHour' }] }, databaseId: db }, 'notion.page_updated', /minute precision/],
  ])('%s', (_label, parameters, type, note) => {
    const { node, report } = trigger(parameters);
    expect(report.status).toBe('mapped');
    expect(node).toMatchObject({ type, config: { databaseId: db.value } });
    expect(report.reason).toMatch(note);
  });

  it('an unknown event or a missing database stays a placeholder trigger naming why', () => {
    expect(trigger({ event: 'pageDeleted', databaseId: db }).report.reason).toMatch(/pageDeleted/);
    expect(trigger({ databaseId: { __rl: true, mode: 'list', value: '' } }).report.reason).toMatch(/databaseId/);
  });
});

describe('Gmail', () => {
  const trigger = (parameters: Params, typeVersion = 1.2) => {
    const r = importN8nWorkflow({ nodes: [{ name: 'Mail', type: `${B}gmailTrigger`, typeVersion, parameters }, { name: 'N', type: `${B}noOp` }], connections: { Mail: { main: [[{ node: 'N', type: 'main', index: 0 }]] } } }, { registry: defaultRegistry, minScheduleSeconds: 60 });
    expect(validateGraph(r.graph, defaultRegistry, { minScheduleSeconds: 60 }).ok).toBe(true);
    return { node: r.graph.nodes.find((n) => n.name === 'Mail')!, report: r.report.nodes[0]! };
  };

  it.each([
    ['unread mail every minute (InboxZero)', { pollTimes: { item: [{ mode: 'everyMinute', minute: 5 }] }, simple: false, filters: { readStatus: 'unread' } }, { intervalMinutes: 1 }, /INBOX/],
    ['one label every 30 minutes, an empty poll entry ignored', { pollTimes: { item: [{ mode: 'everyX', unit: 'minutes', value: 30 }, {}] }, filters: { labelIds: ['Label_12'] } }, { intervalMinutes: 30, labelId: 'Label_12' }, undefined],
    ['the shortest of several poll times', { pollTimes: { item: [{ mode: 'everyHour' }, { mode: 'everyX', unit: 'minutes', value: 5 }] }, filters: {} }, { intervalMinutes: 5 }, undefined],
    ['daily checks become hourly', { pollTimes: { item: [{ mode: 'everyDay', hour: 9 }] }, filters: { labelIds: ['INBOX'] } }, { intervalMinutes: 60, labelId: 'INBOX' }, /every 60 minutes/],
  ])('Gmail Trigger: %s → gmail.new_message', (_label, parameters, config, note) => {
    const { node, report } = trigger(parameters);
    expect(node).toMatchObject({ type: 'gmail.new_message', config });
    expect(report.status).toBe('mapped');
    if (note) expect(report.reason).toMatch(note);
  });

  it.each([
    ['a search filter', { filters: { q: 'has:attachment filename:zip' } }, /matching the search 'has:attachment filename:zip'/],
    ['several labels', { filters: { labelIds: ['A', 'B'] } }, /one label/],
    ['hostile: a label id that is not one', { filters: { labelIds: ['{{ $env.X }}'] } }, /labelId/],
  ])('Gmail Trigger with %s stays a placeholder trigger', (_label, parameters, reason) => {
    const { node, report } = trigger(parameters);
    expect(node.type).toBe('core.unsupported_trigger');
    expect(report.reason).toMatch(reason);
  });

  it.each([
    ['get a message with attachments', { operation: 'get', simple: false, messageId: "={{ $('Prev').item.json.id }}", options: { downloadAttachments: true } }, 2.1, { type: 'gmail.get_message', config: { messageId: '{{ $node["Prev"].output.id }}', includeAttachments: true } }],
    ['getAll with a sender and unread filter', { operation: 'getAll', limit: 28, filters: { q: 'has:attachment', sender: ' joe@example.com', readStatus: 'unread', labelIds: ['INBOX'] } }, 2.1, { type: 'gmail.list_messages', config: { q: 'has:attachment from:joe@example.com is:unread', maxResults: 28, labelIds: ['INBOX'] } }],
    ['v1 getAll (additionalFields), every page', { resource: 'message', operation: 'getAll', returnAll: true, additionalFields: { q: 'from:(a@b.c) is:unread', format: 'resolved' } }, 1, { type: 'gmail.list_messages', config: { q: 'from:(a@b.c) is:unread', maxResults: 100 } }],
    ['v1 remove a label', { labelIds: ['UNREAD'], resource: 'messageLabel', messageId: '={{$node["Prev"].json["id"]}}', operation: 'remove' }, 1, { type: 'gmail.add_label', config: { messageId: '{{ $node["Prev"].output["id"] }}', labelIds: [], removeLabelIds: ['UNREAD'] } }],
    ['mark as read', { operation: 'markAsRead', messageId: 'abc123' }, 2.1, { type: 'gmail.add_label', config: { removeLabelIds: ['UNREAD'] } }],
    ['v1 send (toList)', { toList: ['={{$node["Prev"].json["email"]}}'], message: '=Hi {{$json["name"]}}', subject: 'Your order', resource: 'message', additionalFields: {} }, 1, { type: 'gmail.send', config: { to: '{{ $node["Prev"].output["email"] }}', subject: 'Your order', text: 'Hi {{ $node["Prev"].output["name"] }}' } }],
  ])('%s', (_label, parameters, version, expected) => {
    const { node, report } = imp(`${B}gmail`, parameters, version);
    expect(report.status).toBe('mapped');
    expect(node).toMatchObject(expected);
  });

  it.each([
    ['threads', { resource: 'thread', returnAll: true }, /thread\/getAll/],
    ['send and wait', { operation: 'sendAndWait', sendTo: 'a@b.c', message: 'm', subject: 's' }, /send-and-wait/],
    ['a reply', { operation: 'reply', messageId: 'abc', message: 'm' }, /recipient/],
    ['received-after dates', { operation: 'getAll', filters: { receivedAfter: '={{ $json.end }}' } }, /received-after/],
  ])('%s stays a placeholder', (_label, parameters, reason) => {
    expect(imp(`${B}gmail`, parameters, 2.1).report).toMatchObject({ status: 'placeholder', reason: expect.stringMatching(reason) });
  });
});

describe('Google Calendar', () => {
  const cal = { __rl: true, mode: 'list', value: 'team@group.calendar.google.com', cachedResultName: 'team' };
  it.each([
    ['getAll (v1: the range under options)', { operation: 'getAll', calendar: cal, options: { timeMin: '2026-12-01T00:00:00Z', timeMax: '={{ $json.until }}', singleEvents: true } }, 1, { type: 'calendar.list_events', config: { calendarId: 'team@group.calendar.google.com', timeMin: '2026-12-01T00:00:00Z', timeMax: '{{ $node["Prev"].output.until }}', maxResults: 50 } }],
    ['getAll (v1.3: the range on the node), every page', { operation: 'getAll', calendar: cal, returnAll: true, timeMin: '2026-12-01T00:00:00Z' }, 1.3, { type: 'calendar.list_events', config: { timeMin: '2026-12-01T00:00:00Z', maxResults: 250 } }],
    ['update the attendees', { operation: 'update', calendar: cal, eventId: "={{ $('Prev').item.json.eventId }}", updateFields: { attendees: ['={{ $json.email }}'] } }, 1.1, { type: 'calendar.update_event', config: { eventId: '{{ $node["Prev"].output.eventId }}', attendees: '{{ $node["Prev"].output.email }}' } }],
    ['delete', { operation: 'delete', calendar: cal, eventId: 'abc123' }, 1.3, { type: 'calendar.delete_event', config: { eventId: 'abc123', calendarId: 'team@group.calendar.google.com' } }],
  ])('%s', (_label, parameters, version, expected) => {
    const { node, report } = imp(`${B}googleCalendar`, parameters, version);
    expect(report.status).toBe('mapped');
    expect(node).toMatchObject(expected);
  });

  it.each([
    ['get one event', { operation: 'get', calendar: cal, eventId: '={{ $json.eventId }}' }, /reads one Calendar event/],
    ['an update that changes nothing', { operation: 'update', calendar: cal, eventId: 'abc', updateFields: {} }, /changes no field/],
    ['hostile: an event id with a slash', { operation: 'delete', calendar: cal, eventId: '../../x' }, /eventId/],
  ])('%s stays a placeholder', (_label, parameters, reason) => {
    expect(imp(`${B}googleCalendar`, parameters, 1.3).report).toMatchObject({ status: 'placeholder', reason: expect.stringMatching(reason) });
  });
});

describe('other mappings', () => {
  it('Notion filters (manual) → a Notion filter object; any → or, all → and', () => {
    const base = { resource: 'databasePage', operation: 'getAll', databaseId: { __rl: true, value: 'ec6dc7b4-9ce0-47f7-8025-ef09295999fd' }, filterType: 'manual' };
    const one = imp(`${B}notion`, { ...base, filters: { conditions: [{ key: 'Request ID|rich_text', condition: 'equals', richTextValue: '={{ $json.id }}' }] } }, 2.2);
    expect(one.node).toMatchObject({ type: 'notion.query_database', config: { filter: { property: 'Request ID', rich_text: { equals: '{{ $node["Prev"].output.id }}' } } } });
    const two = imp(`${B}notion`, { ...base, matchType: 'allFilters', filters: { conditions: [{ key: 'Created time|created_time', condition: 'on_or_after', createdTimeValue: '2026-01-01' }, { key: 'Done|checkbox', condition: 'is_empty' }] } }, 2.2);
    expect(two.node.config.filter).toEqual({ and: [{ timestamp: 'created_time', created_time: { on_or_after: '2026-01-01' } }, { property: 'Done', checkbox: { is_empty: true } }] });
    expect(imp(`${B}notion`, { ...base, filterType: 'json', filterJson: '={{$node["Prev"].json["notionfilter"]}}' }, 2.2).node.config.filter).toBe('{{ $node["Prev"].output["notionfilter"] }}');
    expect(imp(`${B}notion`, { ...base, filters: { conditions: [{ key: 'F|formula', condition: 'equals', formulaValue: 1 }] } }, 2.2).report.reason).toMatch(/formula property/);
  });

  it('HTTP Request query and headers given as JSON (with {{ }} inside) are carried; secret headers still dropped', () => {
    const { node, report } = imp(`${B}httpRequest`, { url: 'https://api.example.com/x', method: 'POST', sendQuery: true, specifyQuery: 'json', jsonQuery: '={ "q": "{{ $json.q }}", "n": {{ $json.n }}, }', sendHeaders: true, specifyHeaders: 'json', jsonHeaders: '{ "X-Api-Key": "s3cret", "Accept": "text/plain" }' }, 4.2);
    expect(node.config).toMatchObject({ query: { q: '{{ $node["Prev"].output.q }}', n: '{{ $node["Prev"].output.n }}' }, headers: { Accept: 'text/plain' } });
    expect(JSON.stringify(node.config)).not.toContain('s3cret');
    expect(report.reason).toMatch(/X-Api-Key header was not imported/);
    expect(imp(`${B}httpRequest`, { url: 'https://a.example', sendQuery: true, specifyQuery: 'json', jsonQuery: '[1, 2]' }, 4.2).report.reason).toMatch(/not one JSON object/);
  });

  it('Asana task update and getAll → asana.update_task and asana.find_tasks', () => {
    expect(imp(`${B}asana`, { id: '={{ $json.gid }}', operation: 'update', otherProperties: { due_on: '2026-12-03' } }).node).toMatchObject({ type: 'asana.update_task', config: { taskId: '{{ $node["Prev"].output.gid }}', due: '2026-12-03' } });
    const find = imp(`${B}asana`, { filters: { assignee: '1201727447190193', workspace: '1201727656813934', completed_since: '2026-12-03' }, operation: 'getAll', returnAll: true });
    expect(find.node).toMatchObject({ type: 'asana.find_tasks', config: { workspaceId: '1201727656813934', assignee: '1201727447190193', completed: false, limit: 2000 } });
    expect(find.report.reason).toMatch(/completed since/);
    expect(imp(`${B}asana`, { filters: { tag: 'x', workspace: '1' }, operation: 'getAll' }).report.reason).toMatch(/'tag'/);
  });

  it('Boolean(x) in a condition becomes !!(x)', () => {
    const { node } = imp(`${B}if`, { conditions: { boolean: [{ value1: '={{ Boolean($json.needs_exec_escalation) }}', value2: true }] } }, 2);
    expect(node.type).toBe('core.condition');
    expect(String(node.config.if)).toContain('!!($node["Prev"].output.needs_exec_escalation)');
  });

  it('a chat model connected to nothing is left out (n8n never runs it), not kept as a placeholder', () => {
    const r = importN8nWorkflow({ nodes: [{ name: 'Start', type: `${B}manualTrigger` }, { name: 'Spare model', type: '@n8n/n8n-nodes-langchain.lmChatOpenAi', parameters: { options: {} }, credentials: { openAiApi: { id: '1' } } }], connections: {} }, { registry: defaultRegistry });
    expect(r.graph.nodes.map((n) => n.name)).toEqual(['Start']);
    expect(r.report.nodes[1]).toMatchObject({ status: 'mapped', keyflowType: null, reason: expect.stringMatching(/connected to nothing/) });
    expect(r.report.credentialsToConnect).toEqual([]);
  });
});

describe('parseTemplatedJson', () => {
  it.each([
    ['segments inside strings, with quotes in them', '{ "a": "{{ $json.x.replaceAll(\'"\', "") }}" }', { a: '{{ $json.x.replaceAll(\'"\', "") }}' }],
    ['a segment as a whole value, and a trailing comma', '{ "n": {{ $json.n }}, "l": [1, {{ $json.m }},], }', { n: '{{ $json.n }}', l: [1, '{{ $json.m }}'] }],
    ['a comma inside a string stays', '{ "s": "a, }" }', { s: 'a, }' }],
  ])('%s', (_label, text, value) => {
    expect(parseTemplatedJson(text)).toEqual({ value });
  });

  it.each([['not JSON', '{ a: 1 }'], ['our own marks in the text', '{ "a": "\uE0000\uE001" }'], ['an unclosed string', '{ "a": "{{ 1 }}']])('%s → undefined', (_label, text) => {
    expect(parseTemplatedJson(text)).toBeUndefined();
  });
});
