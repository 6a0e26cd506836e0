// A fake Notion API on 127.0.0.1 for tests, driven through @notionhq/client. It speaks
// Notion's wire format: error objects `{ object: "error", status, code, message }`, 401
// unauthorized, 403 restricted_resource (missing capability), 404 object_not_found (not
// shared with the integration), 400 validation_error, 429 rate_limited with Retry-After,
// `has_more`/`next_cursor` pagination, and the Notion-Version header. It records every request.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { acceptPropertyValue, checkBlocks, emptyValue, FakeNotionError, richTextResponse, schemaResponse, validation, type FakeProperty } from './fake-notion-rules.ts';

export const FAKE_NOTION_VERSION = '2025-09-03';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  status?: number;
}

export interface FakeToken {
  botId: string;
  /** Notion's integration capabilities; all true unless set. */
  capabilities: { read: boolean; update: boolean; insert: boolean };
  /** Ids of databases/pages shared with the integration; undefined = everything. */
  shared?: Set<string>;
}

interface FakeDataSource {
  id: string;
  databaseId: string;
  title: string;
  properties: FakeProperty[];
}

interface FakePage {
  id: string;
  dataSourceId: string | undefined;
  parentPageId: string | undefined;
  values: Map<string, unknown>; // by property id
  inTrash: boolean;
  created: string;
  edited: string;
}

interface Fault {
  method?: string;
  path?: RegExp;
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
  times: number;
  /** Matching requests let through before the fault applies. */
  skip?: number;
}

type Json = Record<string, unknown>;

const hex = (id: string) => id.replace(/-/g, '');

/** Notion answers page times rounded down to the minute ("2025-01-01T00:01:00.000Z") and filters on those. */
export const toMinute = (iso: string) => new Date(Math.floor(Date.parse(iso) / 60_000) * 60_000).toISOString();

const TIMESTAMPS = { created_time: 'created', last_edited_time: 'edited' } as const;

/**
 * A query's timestamp filter ({ timestamp: 'created_time' | 'last_edited_time', <same>: { on_or_after | after | before | on_or_before | equals: ISO } }),
 * compared with the minute-rounded times as Notion does. Other filters are not modelled: every page passes.
 */
function timestampFilter(filter: unknown): (p: FakePage) => boolean {
  const f = filter as Json | undefined;
  const ts = f?.timestamp;
  if (ts !== 'created_time' && ts !== 'last_edited_time') return () => true;
  const cond = f![ts] as Json | undefined;
  const [op, raw] = Object.entries(cond ?? {})[0] ?? [];
  const at = typeof raw === 'string' ? Date.parse(raw) : NaN;
  if (Number.isNaN(at)) throw validation(`body.filter.${ts} should be a date filter with an ISO 8601 date.`);
  const cmp: Record<string, (v: number) => boolean> = { on_or_after: (v) => v >= at, after: (v) => v > at, on_or_before: (v) => v <= at, before: (v) => v < at, equals: (v) => v === at };
  if (!op || !cmp[op]) throw validation(`body.filter.${ts}.${String(op)} is not a supported date filter.`);
  return (p) => cmp[op]!(Date.parse(toMinute(p[TIMESTAMPS[ts]])));
}

/** Timestamp sorts ({ timestamp, direction }), stable; property sorts are not modelled (left in insertion order). */
function sortByTimestamps(pages: FakePage[], sorts: unknown): void {
  const keys = (Array.isArray(sorts) ? sorts : []).filter((s): s is { timestamp: keyof typeof TIMESTAMPS; direction: string } => (s as Json)?.timestamp === 'created_time' || (s as Json)?.timestamp === 'last_edited_time');
  for (const k of keys) if (k.direction !== 'ascending' && k.direction !== 'descending') throw validation('body.sorts[0].direction should be `"ascending"` or `"descending"`.');
  if (keys.length === 0) return;
  pages.sort((a, b) => {
    for (const k of keys) {
      const d = Date.parse(toMinute(a[TIMESTAMPS[k.timestamp]])) - Date.parse(toMinute(b[TIMESTAMPS[k.timestamp]]));
      if (d !== 0) return k.direction === 'descending' ? -d : d;
    }
    return 0;
  });
}

export class FakeNotion {
  readonly requests: RecordedRequest[] = [];
  readonly tokens = new Map<string, FakeToken>();
  readonly databases = new Map<string, { id: string; title: string; dataSourceIds: string[] }>();
  readonly dataSources = new Map<string, FakeDataSource>();
  readonly pages = new Map<string, FakePage>();
  /** Children of a page or block, in order. */
  readonly children = new Map<string, Json[]>();
  private faults: Fault[] = [];
  private clock = Date.parse('2025-01-01T00:00:00.000Z');
  url = '';
  private readonly server = createServer((req, res) => void this.handle(req, res));

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
  }

  addToken(token: string, over: Partial<Omit<FakeToken, 'capabilities'>> & { capabilities?: Partial<FakeToken['capabilities']> } = {}): FakeToken {
    const t: FakeToken = { botId: over.botId ?? randomUUID(), capabilities: { read: true, update: true, insert: true, ...over.capabilities }, ...(over.shared ? { shared: over.shared } : {}) };
    this.tokens.set(token, t);
    return t;
  }

  /** A database with `dataSources` data sources (default one), each with these properties. */
  addDatabase(title: string, properties: Omit<FakeProperty, 'id'>[], dataSources = 1): { databaseId: string; dataSourceIds: string[] } {
    const databaseId = randomUUID();
    const dataSourceIds = Array.from({ length: dataSources }, (_, i) => {
      const id = randomUUID();
      const props = properties.map((p, j) => ({ ...p, id: p.type === 'title' ? 'title' : `p${j}`, ...(p.options ? { options: [...p.options] } : {}) }));
      this.dataSources.set(id, { id, databaseId, title: dataSources === 1 ? title : `${title} ${i + 1}`, properties: props });
      return id;
    });
    this.databases.set(databaseId, { id: databaseId, title, dataSourceIds });
    return { databaseId, dataSourceIds };
  }

  /** Adds a page to a data source with raw Notion property values by name. */
  addPage(dataSourceId: string, values: Record<string, unknown> = {}): string {
    const ds = this.dataSources.get(dataSourceId)!;
    const page: FakePage = { id: randomUUID(), dataSourceId, parentPageId: undefined, values: new Map(), inTrash: false, created: this.tick(), edited: '' };
    page.edited = page.created;
    for (const [name, v] of Object.entries(values)) {
      const p = ds.properties.find((x) => x.name === name)!;
      page.values.set(p.id, acceptPropertyValue(p, { [p.type]: v }));
    }
    this.pages.set(page.id, page);
    this.children.set(page.id, []);
    return page.id;
  }

  /** The next `times` requests matching answer with this Notion error. */
  failNext(fault: Omit<Fault, 'times'> & { times?: number }): void {
    this.faults.push({ times: 1, ...fault });
  }

  rateLimitNext(retryAfterSeconds: number, match: { method?: string; path?: RegExp } = {}): void {
    this.failNext({ ...match, status: 429, code: 'rate_limited', message: "You have been rate limited. Please try again in a few minutes.", headers: { 'retry-after': String(retryAfterSeconds) } });
  }

  /** Moves the fake's clock (each created or edited page also moves it by one second). */
  advanceClock(ms: number): void {
    this.clock += ms;
  }

  /** An edit made in Notion's UI: the page's last_edited_time moves to now. */
  touchPage(id: string): void {
    this.pages.get(id)!.edited = this.tick();
  }

  private tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body: undefined };
    this.requests.push(record);
    const send = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': randomUUID(), ...extra });
      res.end(JSON.stringify(body));
    };
    try {
      if (raw !== '') {
        try {
          record.body = JSON.parse(raw);
        } catch {
          throw new FakeNotionError(400, 'invalid_json', 'Error parsing JSON body.');
        }
      }
      const fault = this.faults.find((f) => (!f.method || f.method === record.method) && (!f.path || f.path.test(record.path)));
      if (fault && fault.skip) fault.skip -= 1;
      else if (fault) {
        fault.times -= 1;
        if (fault.times <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
        throw new FakeNotionError(fault.status, fault.code, fault.message, fault.headers);
      }
      const token = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
      const auth = token === undefined ? undefined : this.tokens.get(token);
      if (!auth) throw new FakeNotionError(401, 'unauthorized', 'API token is invalid.');
      if (headers['notion-version'] === undefined) {
        throw new FakeNotionError(400, 'missing_version', 'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.');
      }
      if (headers['notion-version'] !== FAKE_NOTION_VERSION) throw validation(`Notion-Version header failed validation: this fake speaks ${FAKE_NOTION_VERSION}, got \`${headers['notion-version']}\`.`);
      send(200, this.route(record, auth, url.searchParams));
    } catch (error) {
      const e = error instanceof FakeNotionError ? error : new FakeNotionError(500, 'internal_server_error', 'Unexpected error occurred.');
      send(e.status, { object: 'error', status: e.status, code: e.code, message: e.message, request_id: randomUUID() }, e.headers);
    }
  }

  private route(req: RecordedRequest, auth: FakeToken, query: URLSearchParams): unknown {
    const body = (req.body ?? {}) as Json;
    const m = `${req.method} ${req.path}`;
    let match: RegExpExecArray | null;
    const reads = req.method === 'GET' || m === 'POST /v1/search' || /\/query$/.test(req.path);
    if (reads && m !== 'GET /v1/users/me' && !auth.capabilities.read) throw new FakeNotionError(403, 'restricted_resource', 'Insufficient permissions for this endpoint.');
    if (m === 'GET /v1/users/me') return { object: 'user', id: auth.botId, name: 'Keyflow test bot', avatar_url: null, type: 'bot', bot: { owner: { type: 'workspace', workspace: true }, workspace_name: 'Fake workspace' } };
    if (m === 'POST /v1/search') return this.search(body, auth);
    if ((match = /^GET \/v1\/databases\/([^/]+)$/.exec(m))) return this.databaseResponse(this.visibleDatabase(match[1]!, auth));
    if ((match = /^GET \/v1\/data_sources\/([^/]+)$/.exec(m))) return this.dataSourceResponse(this.visibleDataSource(match[1]!, auth));
    if ((match = /^POST \/v1\/data_sources\/([^/]+)\/query$/.exec(m))) {
      const ds = this.visibleDataSource(match[1]!, auth);
      const pages = [...this.pages.values()].filter((p) => p.dataSourceId === ds.id && p.inTrash === Boolean(body.in_trash) && timestampFilter(body.filter)(p));
      sortByTimestamps(pages, body.sorts);
      return this.paginate(pages.map((p) => this.pageResponse(p)), body.start_cursor, body.page_size, { type: 'page_or_data_source', page_or_data_source: {} });
    }
    if (m === 'POST /v1/pages') return this.createPage(body, auth);
    if ((match = /^GET \/v1\/pages\/([^/]+)$/.exec(m))) return this.pageResponse(this.visiblePage(match[1]!, auth));
    if ((match = /^PATCH \/v1\/pages\/([^/]+)$/.exec(m))) return this.updatePage(this.visiblePage(match[1]!, auth), body, auth);
    if ((match = /^GET \/v1\/blocks\/([^/]+)\/children$/.exec(m))) {
      const parent = this.visiblePage(match[1]!, auth);
      const size = query.get('page_size');
      return this.paginate(this.children.get(parent.id) ?? [], query.get('start_cursor') ?? undefined, size === null ? undefined : Number(size), { type: 'block', block: {} });
    }
    if ((match = /^PATCH \/v1\/blocks\/([^/]+)\/children$/.exec(m))) {
      const parent = this.visiblePage(match[1]!, auth);
      if (!auth.capabilities.insert) throw new FakeNotionError(403, 'restricted_resource', 'Insufficient permissions for this endpoint.');
      if (parent.inTrash) throw validation("Can't edit block that is archived. You must unarchive the block before editing.");
      if (body.children === undefined) throw validation('body.children should be defined, instead was `undefined`.');
      const added = this.storeBlocks(parent.id, checkBlocks(body.children, 'body.children'));
      return { object: 'list', results: added, next_cursor: null, has_more: false, type: 'block', block: {} };
    }
    throw new FakeNotionError(400, 'invalid_request_url', 'Invalid request URL.');
  }

  private canSee(auth: FakeToken, id: string): boolean {
    return auth.shared === undefined || auth.shared.has(id);
  }

  private notFound(kind: string, id: string): FakeNotionError {
    return new FakeNotionError(404, 'object_not_found', `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`);
  }

  private visibleDatabase(id: string, auth: FakeToken) {
    const db = this.databases.get(id);
    if (!db || !this.canSee(auth, db.id)) throw this.notFound('database', id);
    return db;
  }

  private visibleDataSource(id: string, auth: FakeToken): FakeDataSource {
    const ds = this.dataSources.get(id);
    if (!ds || !this.canSee(auth, ds.databaseId)) throw this.notFound('data_source', id);
    return ds;
  }

  private visiblePage(id: string, auth: FakeToken): FakePage {
    const page = this.pages.get(id);
    const owner = page?.dataSourceId ? this.dataSources.get(page.dataSourceId)!.databaseId : page?.parentPageId;
    if (!page || (!this.canSee(auth, page.id) && !(owner && this.canSee(auth, owner)))) throw this.notFound('page', id);
    return page;
  }

  private paginate(items: unknown[], cursor: unknown, pageSize: unknown, extra: Json): Json {
    const size = pageSize === undefined ? 100 : Number(pageSize);
    if (!Number.isInteger(size) || size < 1 || size > 100) throw validation(`body.page_size should be ≤ \`100\`, instead was \`${String(pageSize)}\`.`);
    let start = 0;
    if (cursor !== undefined && cursor !== null) {
      start = items.findIndex((i) => (i as Json).id === cursor);
      if (start === -1) throw validation('The start_cursor provided is invalid.');
    }
    const page = items.slice(start, start + size);
    const next = items[start + size] as Json | undefined;
    return { object: 'list', results: page, next_cursor: next ? next.id : null, has_more: next !== undefined, ...extra };
  }

  private search(body: Json, auth: FakeToken): Json {
    const filter = body.filter as { property?: string; value?: string } | undefined;
    const q = typeof body.query === 'string' ? body.query.toLowerCase() : '';
    const sources = filter?.value === 'page' ? [] : [...this.dataSources.values()].filter((ds) => this.canSee(auth, ds.databaseId) && ds.title.toLowerCase().includes(q));
    return this.paginate(sources.map((ds) => this.dataSourceResponse(ds)), body.start_cursor, body.page_size, { type: 'page_or_data_source', page_or_data_source: {} });
  }

  private databaseResponse(db: { id: string; title: string; dataSourceIds: string[] }): Json {
    return {
      object: 'database',
      id: db.id,
      title: richTextResponse([{ text: { content: db.title } }]),
      description: [],
      parent: { type: 'workspace', workspace: true },
      is_inline: false,
      in_trash: false,
      archived: false,
      is_locked: false,
      data_sources: db.dataSourceIds.map((id) => ({ id, name: this.dataSources.get(id)!.title })),
      url: `https://www.notion.so/${hex(db.id)}`,
      public_url: null,
    };
  }

  private dataSourceResponse(ds: FakeDataSource): Json {
    return {
      object: 'data_source',
      id: ds.id,
      title: richTextResponse([{ text: { content: ds.title } }]),
      description: [],
      parent: { type: 'database_id', database_id: ds.databaseId },
      database_parent: { type: 'workspace', workspace: true },
      in_trash: false,
      archived: false,
      properties: Object.fromEntries(ds.properties.map((p) => [p.name, schemaResponse(p)])),
      url: `https://www.notion.so/${hex(ds.databaseId)}`,
      public_url: null,
    };
  }

  private pageResponse(page: FakePage): Json {
    const ds = page.dataSourceId ? this.dataSources.get(page.dataSourceId) : undefined;
    const properties = ds
      ? Object.fromEntries(ds.properties.map((p) => [p.name, { id: p.id, type: p.type, [p.type]: page.values.has(p.id) ? page.values.get(p.id) : emptyValue(p.type) }]))
      : { title: { id: 'title', type: 'title', title: page.values.get('title') ?? [] } };
    return {
      object: 'page',
      id: page.id,
      created_time: toMinute(page.created),
      last_edited_time: toMinute(page.edited),
      in_trash: page.inTrash,
      archived: page.inTrash,
      is_archived: page.inTrash,
      is_locked: false,
      parent: ds ? { type: 'data_source_id', data_source_id: ds.id, database_id: ds.databaseId } : { type: 'page_id', page_id: page.parentPageId },
      properties,
      url: `https://www.notion.so/${hex(page.id)}`,
      public_url: null,
    };
  }

  private acceptValues(ds: FakeDataSource, page: FakePage, values: unknown): void {
    if (values === undefined) return;
    if (typeof values !== 'object' || values === null) throw validation('body.properties should be an object.');
    for (const [key, value] of Object.entries(values)) {
      const p = ds.properties.find((x) => x.name === key || x.id === key);
      if (!p) throw validation(`${key} is not a property that exists.`);
      page.values.set(p.id, acceptPropertyValue(p, value));
    }
  }

  private createPage(body: Json, auth: FakeToken): Json {
    const parent = body.parent as Json | undefined;
    if (!parent) throw validation('body.parent should be defined, instead was `undefined`.');
    let ds: FakeDataSource;
    if (typeof parent.data_source_id === 'string') ds = this.visibleDataSource(parent.data_source_id, auth);
    else if (typeof parent.database_id === 'string') {
      const db = this.visibleDatabase(parent.database_id, auth);
      if (db.dataSourceIds.length !== 1) throw validation('Databases with multiple data sources are not supported in this API version. Use a data source ID instead.');
      ds = this.dataSources.get(db.dataSourceIds[0]!)!;
    } else throw validation('body.parent.data_source_id should be defined, instead was `undefined`.');
    if (!auth.capabilities.insert) throw new FakeNotionError(403, 'restricted_resource', 'Insufficient permissions for this endpoint.');
    const created = this.tick();
    const page: FakePage = { id: randomUUID(), dataSourceId: ds.id, parentPageId: undefined, values: new Map(), inTrash: false, created, edited: created };
    this.acceptValues(ds, page, body.properties);
    const blocks = body.children === undefined ? [] : checkBlocks(body.children, 'body.children');
    this.pages.set(page.id, page);
    this.children.set(page.id, []);
    this.storeBlocks(page.id, blocks);
    return this.pageResponse(page);
  }

  private updatePage(page: FakePage, body: Json, auth: FakeToken): Json {
    if (!auth.capabilities.update) throw new FakeNotionError(403, 'restricted_resource', 'Insufficient permissions for this endpoint.');
    const trash = body.in_trash ?? body.archived;
    if (page.inTrash && trash !== false) throw validation("Can't edit block that is archived. You must unarchive the block before editing.");
    if (trash !== undefined && typeof trash !== 'boolean') throw validation('body.in_trash should be a boolean.');
    if (page.dataSourceId) this.acceptValues(this.dataSources.get(page.dataSourceId)!, page, body.properties);
    if (typeof trash === 'boolean') page.inTrash = trash;
    page.edited = this.tick();
    return this.pageResponse(page);
  }

  private storeBlocks(parentId: string, blocks: Json[]): Json[] {
    const list = this.children.get(parentId) ?? [];
    const added = blocks.map((b) => {
      const id = randomUUID();
      const type = b.type as string;
      const body = { ...(b[type] as Json) };
      const nested = body.children as Json[] | undefined;
      delete body.children;
      if (Array.isArray(body.rich_text)) body.rich_text = richTextResponse(body.rich_text);
      this.children.set(id, []);
      if (nested) this.storeBlocks(id, nested);
      return { object: 'block', id, type, [type]: body, has_children: Boolean(nested?.length), in_trash: false, parent: { type: 'block_id', block_id: parentId } };
    });
    list.push(...added);
    this.children.set(parentId, list);
    return added;
  }
}

export function startFakeNotion(): Promise<FakeNotion> {
  return new FakeNotion().start();
}
