// The Drive v3 part of the fake Google (installed by default): files with content, folders and
// permissions; files.list with the query subset Keyflow sends ("name contains 'x'",
// "mimeType = 'x'" / "contains", "'<id>' in parents", "trashed = false", "createdTime >= '<RFC 3339>'"
// and modifiedTime likewise, joined by "and"), orderBy (name, createdTime, modifiedTime, desc) and
// opaque nextPageToken pages; files.get (metadata, or alt=media content); files.export for Google
// Docs types; uploads as Drive takes them — uploadType=multipart (multipart/related: JSON
// metadata then the media), uploadType=media, and uploadType=resumable sessions (POST answers a
// Location with upload_id; PUT chunks with Content-Range answer 308 + Range until the last,
// then the file; "bytes */N" asks where the session is); permissions.create.
import { randomBytes } from 'node:crypto';
import type { FakeGoogle, FakeRequest } from './fake-google.ts';
import { fakeSheetsHooks } from './fake-sheets.ts';
import { googleError, sendJson } from './wire.ts';

export interface FakeDriveFile {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  content: Buffer;
  trashed: boolean;
  createdTime: string;
  modifiedTime: string;
  permissions: FakePermission[];
  /** Google Docs types: what files.export answers (by export MIME type). */
  exports?: Record<string, string>;
  /** Private key/value pairs of the app that made the file. */
  appProperties?: Record<string, string>;
}

export interface FakePermission {
  id: string;
  type: string;
  role: string;
  emailAddress?: string;
  domain?: string;
  /** Whether Drive would have mailed the grantee. */
  notified: boolean;
  emailMessage?: string;
}

export interface FakeDriveState {
  files: Map<string, FakeDriveFile>;
  addFile(f: Partial<FakeDriveFile> & { name: string }): FakeDriveFile;
  /** Open resumable sessions by upload_id: bytes received so far. */
  sessions: Map<string, { metadata: Record<string, unknown>; total: number | undefined; received: Buffer; contentType: string }>;
  /** An edit: the file's modifiedTime moves to `at` (now by default). */
  touch(id: string, at?: string): FakeDriveFile;
  /** The next `count` chunk PUTs of a resumable session answer 503 (the client must ask where it is and resume). */
  failNextChunks(count?: number): void;
}

const FOLDER = 'application/vnd.google-apps.folder';
const WRITE = ['https://www.googleapis.com/auth/drive', 'https://www.googleapis.com/auth/drive.file'];
const READ = [...WRITE, 'https://www.googleapis.com/auth/drive.readonly', 'https://www.googleapis.com/auth/drive.metadata.readonly'];
const CONTENT_READ = [...WRITE, 'https://www.googleapis.com/auth/drive.readonly'];
/** Drive's chunk granularity for resumable uploads. */
export const CHUNK_GRANULARITY = 256 * 1024;

const newId = () => `1${randomBytes(16).toString('base64url')}`;

/** The fields Drive answers by default, plus size (for non-Google types) and webViewLink. */
function resource(f: FakeDriveFile, fields: string | null): Record<string, unknown> {
  const full: Record<string, unknown> = {
    kind: 'drive#file',
    id: f.id,
    name: f.name,
    mimeType: f.mimeType,
    parents: f.parents,
    trashed: f.trashed,
    createdTime: f.createdTime,
    modifiedTime: f.modifiedTime,
    webViewLink: f.mimeType.startsWith('application/vnd.google-apps.') ? `https://docs.google.com/d/${f.id}/edit` : `https://drive.google.com/file/d/${f.id}/view`,
    ...(f.mimeType.startsWith('application/vnd.google-apps.') ? {} : { size: String(f.content.length) }),
  };
  if (!fields) return { kind: full.kind, id: f.id, name: f.name, mimeType: f.mimeType };
  const wanted = fields.replace(/^files\(|\)$/g, '').split(',').map((s) => s.trim());
  return Object.fromEntries(Object.entries(full).filter(([k]) => wanted.includes(k) || wanted.includes('*')));
}

type Clause = (f: FakeDriveFile) => boolean;

/** Drive's query language, the part Keyflow uses; undefined for anything else (Drive: 400 Invalid Value). */
export function parseDriveQuery(q: string): Clause | undefined {
  const clauses: Clause[] = [];
  // "and" inside an appProperties { … } clause does not split the query.
  for (const raw of q.split(/\s+and\s+(?![^{]*\})/i)) {
    const part = raw.trim().replace(/^\((.*)\)$/, '$1');
    const str = (s: string) => s.replace(/\\'/g, "'");
    let m: RegExpExecArray | null;
    if ((m = /^name\s+contains\s+'((?:[^'\\]|\\.)*)'$/.exec(part))) {
      const v = str(m[1]!).toLowerCase();
      clauses.push((f) => f.name.toLowerCase().includes(v));
    } else if ((m = /^name\s*=\s*'((?:[^'\\]|\\.)*)'$/.exec(part))) {
      const v = str(m[1]!);
      clauses.push((f) => f.name === v);
    } else if ((m = /^mimeType\s*(=|!=|contains)\s*'((?:[^'\\]|\\.)*)'$/.exec(part))) {
      const [op, v] = [m[1], str(m[2]!)];
      clauses.push((f) => (op === '=' ? f.mimeType === v : op === 'contains' ? f.mimeType.includes(v) : f.mimeType !== v));
    } else if ((m = /^(createdTime|modifiedTime)\s*(<=|>=|<|>|=)\s*'([^']+)'$/.exec(part))) {
      // RFC 3339; Drive reads a time without an offset as UTC.
      const [field, op, raw] = [m[1] as 'createdTime' | 'modifiedTime', m[2]!, m[3]!];
      const at = Date.parse(/(Z|[+-]\d\d:\d\d)$/.test(raw) ? raw : `${raw}Z`);
      if (Number.isNaN(at)) return undefined;
      const cmp = { '<': (a: number) => a < at, '<=': (a: number) => a <= at, '>': (a: number) => a > at, '>=': (a: number) => a >= at, '=': (a: number) => a === at }[op]!;
      clauses.push((f) => cmp(Date.parse(f[field])));
    } else if ((m = /^'((?:[^'\\]|\\.)*)'\s+in\s+parents$/.exec(part))) {
      const v = str(m[1]!);
      clauses.push((f) => f.parents.includes(v));
    } else if ((m = /^appProperties\s+has\s+\{\s*key\s*=\s*'((?:[^'\\]|\\.)*)'\s+and\s+value\s*=\s*'((?:[^'\\]|\\.)*)'\s*\}$/.exec(part))) {
      const [k, v] = [str(m[1]!), str(m[2]!)];
      clauses.push((f) => f.appProperties?.[k] === v);
    } else if ((m = /^trashed\s*=\s*(true|false)$/.exec(part))) {
      const v = m[1] === 'true';
      clauses.push((f) => f.trashed === v);
    } else {
      return undefined;
    }
  }
  return (f) => clauses.every((c) => c(f));
}

/**
 * files.list orderBy: comma-separated keys, each optionally "desc" (the keys Keyflow sends:
 * name, createdTime, modifiedTime). Without one the fake sorts by name; ties keep insertion order.
 */
export function parseOrderBy(orderBy: string | null): ((a: FakeDriveFile, b: FakeDriveFile) => number) | undefined {
  const keys: ((a: FakeDriveFile, b: FakeDriveFile) => number)[] = [];
  for (const raw of (orderBy ?? 'name').split(',')) {
    const m = /^\s*(name|createdTime|modifiedTime)(\s+desc)?\s*$/.exec(raw);
    if (!m) return undefined;
    const sign = m[2] ? -1 : 1;
    const key = m[1] as 'name' | 'createdTime' | 'modifiedTime';
    keys.push(key === 'name' ? (a, b) => sign * a.name.localeCompare(b.name) : (a, b) => sign * (Date.parse(a[key]) - Date.parse(b[key])));
  }
  return (a, b) => {
    for (const k of keys) {
      const d = k(a, b);
      if (d !== 0) return d;
    }
    return 0;
  };
}

/** multipart/related: [JSON metadata, media]. */
function parseMultipart(req: FakeRequest): { metadata: Record<string, unknown>; media: Buffer; mediaType: string } | undefined {
  const type = String(req.headers['content-type'] ?? '');
  const boundary = /boundary=("?)([^";]+)\1/.exec(type)?.[2];
  if (!type.startsWith('multipart/related') || !boundary) return undefined;
  const body = req.body;
  const delim = Buffer.from(`--${boundary}`);
  const parts: Buffer[] = [];
  let at = body.indexOf(delim);
  while (at >= 0) {
    const next = body.indexOf(delim, at + delim.length);
    if (next < 0) break;
    parts.push(body.subarray(at + delim.length, next));
    at = next;
  }
  const parsed = parts.map((p) => {
    const start = p.indexOf('\r\n\r\n');
    const head = p.subarray(0, start).toString('utf8');
    let content = p.subarray(start + 4);
    if (content.subarray(-2).toString() === '\r\n') content = content.subarray(0, -2);
    return { type: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim() ?? '', content };
  });
  if (parsed.length !== 2 || !parsed[0]!.type.includes('json')) return undefined;
  return { metadata: JSON.parse(parsed[0]!.content.toString('utf8')) as Record<string, unknown>, media: parsed[1]!.content, mediaType: parsed[1]!.type };
}

export function installFakeDrive(fake: FakeGoogle): FakeDriveState {
  const files = new Map<string, FakeDriveFile>();
  const sessions: FakeDriveState['sessions'] = new Map();
  let failingChunks = 0;
  const now = () => new Date().toISOString();
  const state: FakeDriveState = {
    files,
    sessions,
    addFile(f) {
      const file: FakeDriveFile = { id: f.id ?? newId(), name: f.name, mimeType: f.mimeType ?? 'application/octet-stream', parents: f.parents ?? ['root'], content: f.content ?? Buffer.alloc(0), trashed: f.trashed ?? false, createdTime: f.createdTime ?? now(), modifiedTime: f.modifiedTime ?? f.createdTime ?? now(), permissions: f.permissions ?? [], ...(f.exports ? { exports: f.exports } : {}), ...(f.appProperties ? { appProperties: f.appProperties } : {}) };
      files.set(file.id, file);
      return file;
    },
    touch(id, at) {
      const f = files.get(id);
      if (!f) throw new Error(`no fake Drive file ${id}`);
      f.modifiedTime = at ?? now();
      return f;
    },
    failNextChunks(count = 1) {
      failingChunks = count;
    },
  };
  fakeDriveState.set(fake, state);
  // Spreadsheets made in the Sheets module are Drive files too.
  fakeSheetsHooks.set(fake, { onCreate: (s) => void state.addFile({ id: s.spreadsheetId, name: s.title, mimeType: 'application/vnd.google-apps.spreadsheet' }) });

  const notFound = (res: Parameters<typeof googleError>[0], id: string) => googleError(res, 404, 'notFound', `File not found: ${id}.`, {}, {});
  const create = (metadata: Record<string, unknown>, media: Buffer, mediaType: string | undefined): FakeDriveFile | string => {
    if (typeof metadata.name !== 'string' || metadata.name === '') return 'name';
    const parents = Array.isArray(metadata.parents) ? metadata.parents.map(String) : ['root'];
    for (const p of parents) if (p !== 'root' && files.get(p)?.mimeType !== FOLDER) return `parent ${p}`;
    const appProperties = typeof metadata.appProperties === 'object' && metadata.appProperties !== null ? Object.fromEntries(Object.entries(metadata.appProperties as Record<string, unknown>).map(([k, v]) => [k, String(v)])) : undefined;
    return state.addFile({ name: metadata.name, mimeType: typeof metadata.mimeType === 'string' ? metadata.mimeType : (mediaType ?? 'application/octet-stream'), parents, content: media, ...(appProperties ? { appProperties } : {}) });
  };
  const answerCreated = (res: Parameters<typeof googleError>[0], made: FakeDriveFile | string, fields: string | null) => {
    if (typeof made === 'string') return made.startsWith('parent') ? googleError(res, 404, 'notFound', `File not found: ${made.slice(7)}.`) : googleError(res, 400, 'required', 'Required parameter: name');
    sendJson(res, 200, resource(made, fields));
  };

  fake.route({
    method: 'GET',
    path: /^\/drive\/v3\/files$/,
    scopes: READ,
    handle: (req, res) => {
      const q = req.query.get('q') ?? '';
      const match = q === '' ? () => true : parseDriveQuery(q);
      if (!match) return googleError(res, 400, 'invalid', 'Invalid Value', {}, {});
      const pageSize = Math.min(Math.max(Number(req.query.get('pageSize') ?? 100), 1), 1000);
      let offset = 0;
      const token = req.query.get('pageToken');
      if (token) {
        const decoded = /^off:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
        if (!decoded) return googleError(res, 400, 'invalid', 'Invalid Value');
        offset = Number(decoded[1]);
      }
      const order = parseOrderBy(req.query.get('orderBy'));
      if (!order) return googleError(res, 400, 'invalid', 'Invalid Value', {}, {});
      const all = [...files.values()].filter(match).sort(order);
      const page = all.slice(offset, offset + pageSize);
      const more = offset + pageSize < all.length;
      const fields = req.query.get('fields');
      const fileFields = fields ? (/files\(([^)]*)\)/.exec(fields)?.[1] ?? null) : null;
      sendJson(res, 200, { kind: 'drive#fileList', incompleteSearch: false, ...(more ? { nextPageToken: Buffer.from(`off:${offset + pageSize}`).toString('base64url') } : {}), files: page.map((f) => resource(f, fileFields)) });
    },
  });

  fake.route({
    method: 'GET',
    path: /^\/drive\/v3\/files\/([^/]+)$/,
    scopes: READ,
    handle: (req, res) => {
      const id = decodeURIComponent(req.match[1]!);
      const f = files.get(id);
      if (!f) return notFound(res, id);
      if (req.query.get('alt') === 'media') {
        if (!req.token!.scopes.some((s) => CONTENT_READ.includes(s))) return googleError(res, 403, 'insufficientPermissions', 'Request had insufficient authentication scopes.');
        if (f.mimeType.startsWith('application/vnd.google-apps.')) return googleError(res, 403, 'fileNotDownloadable', 'Only files with binary content can be downloaded. Use Export with Docs Editors files.');
        res.writeHead(200, { 'content-type': f.mimeType, 'content-length': String(f.content.length) });
        return void res.end(f.content);
      }
      sendJson(res, 200, resource(f, req.query.get('fields')));
    },
  });

  fake.route({
    method: 'GET',
    path: /^\/drive\/v3\/files\/([^/]+)\/export$/,
    scopes: CONTENT_READ,
    handle: (req, res) => {
      const id = decodeURIComponent(req.match[1]!);
      const f = files.get(id);
      if (!f) return notFound(res, id);
      const type = req.query.get('mimeType') ?? '';
      const text = f.exports?.[type];
      if (text === undefined) return googleError(res, 400, 'badRequest', 'The requested conversion is not supported.');
      res.writeHead(200, { 'content-type': type });
      res.end(text);
    },
  });

  fake.route({
    method: 'POST',
    path: /^\/upload\/drive\/v3\/files$/,
    scopes: WRITE,
    handle: (req, res) => {
      const kind = req.query.get('uploadType');
      const fields = req.query.get('fields');
      if (kind === 'multipart') {
        const parsed = parseMultipart(req);
        if (!parsed) return googleError(res, 400, 'badContent', 'Media type multipart/related must have exactly two parts: metadata and media.');
        return answerCreated(res, create(parsed.metadata, parsed.media, parsed.mediaType), fields);
      }
      if (kind === 'media') return answerCreated(res, create({ name: 'Untitled' }, req.body, String(req.headers['content-type'] ?? '')), fields);
      if (kind === 'resumable') {
        const metadata = req.body.length > 0 ? (req.json() as Record<string, unknown>) : {};
        if (typeof metadata.name !== 'string') return googleError(res, 400, 'required', 'Required parameter: name');
        const len = req.headers['x-upload-content-length'];
        const id = randomBytes(18).toString('base64url');
        sessions.set(id, { metadata, total: len ? Number(len) : undefined, received: Buffer.alloc(0), contentType: String(req.headers['x-upload-content-type'] ?? 'application/octet-stream') });
        res.writeHead(200, { location: `${fake.url}/upload/drive/v3/files?uploadType=resumable&upload_id=${id}${fields ? `&fields=${encodeURIComponent(fields)}` : ''}`, 'content-length': '0' });
        return void res.end();
      }
      googleError(res, 400, 'invalid', `Invalid value for uploadType: ${String(kind).slice(0, 20)}`);
    },
  });

  // The session URI is its own authorisation (Drive does not require the token on chunk PUTs).
  fake.route({
    method: 'PUT',
    path: /^\/upload\/drive\/v3\/files$/,
    handle: (req, res) => {
      const id = req.query.get('upload_id') ?? '';
      const s = sessions.get(id);
      if (!s) return googleError(res, 404, 'notFound', 'No upload session with this id.');
      const range = String(req.headers['content-range'] ?? '');
      const status = /^bytes \*\/(\d+|\*)$/.exec(range);
      const incomplete = () => {
        res.writeHead(308, { ...(s.received.length > 0 ? { range: `bytes=0-${s.received.length - 1}` } : {}), 'content-length': '0' });
        res.end();
      };
      if (status) {
        if (status[1] !== '*' && s.received.length === Number(status[1])) return finish();
        return incomplete();
      }
      if (failingChunks > 0) {
        failingChunks -= 1;
        return googleError(res, 503, 'backendError', 'Service Unavailable');
      }
      const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(range);
      if (!m) return googleError(res, 400, 'badRequest', 'Invalid Content-Range header');
      const [start, end] = [Number(m[1]), Number(m[2])];
      const total = m[3] === '*' ? undefined : Number(m[3]);
      if (start !== s.received.length) return googleError(res, 400, 'badRequest', `Invalid request: the upload starts at ${start} but ${s.received.length} bytes were received`);
      if (end - start + 1 !== req.body.length) return googleError(res, 400, 'badRequest', 'Content-Range does not match the body length');
      const last = total !== undefined && end + 1 === total;
      if (!last && req.body.length % CHUNK_GRANULARITY !== 0) return googleError(res, 400, 'badRequest', `Chunks must be a multiple of ${CHUNK_GRANULARITY} bytes`);
      s.received = Buffer.concat([s.received, req.body]);
      if (total !== undefined) s.total = total;
      if (!last) return incomplete();
      finish();

      function finish() {
        sessions.delete(id);
        answerCreated(res, create(s!.metadata, s!.received, s!.contentType), req.query.get('fields'));
      }
    },
  });

  fake.route({
    method: 'POST',
    path: /^\/drive\/v3\/files\/([^/]+)\/permissions$/,
    scopes: WRITE,
    handle: (req, res) => {
      const id = decodeURIComponent(req.match[1]!);
      const f = files.get(id);
      if (!f) return notFound(res, id);
      const body = req.json() as Record<string, unknown>;
      const type = String(body.type ?? '');
      const role = String(body.role ?? '');
      if (!['user', 'group', 'domain', 'anyone'].includes(type)) return googleError(res, 400, 'invalid', 'Invalid permission type specified');
      if (!['owner', 'organizer', 'fileOrganizer', 'writer', 'commenter', 'reader'].includes(role)) return googleError(res, 400, 'invalid', 'Invalid permission role specified');
      if ((type === 'user' || type === 'group') && typeof body.emailAddress !== 'string') return googleError(res, 400, 'required', 'Permission field emailAddress is required for type user or group');
      if (type === 'domain' && typeof body.domain !== 'string') return googleError(res, 400, 'required', 'Permission field domain is required for type domain');
      const notify = req.query.get('sendNotificationEmail') !== 'false' && (type === 'user' || type === 'group');
      const p: FakePermission = { id: randomBytes(10).toString('hex'), type, role, notified: notify, ...(typeof body.emailAddress === 'string' ? { emailAddress: body.emailAddress } : {}), ...(typeof body.domain === 'string' ? { domain: body.domain } : {}), ...(req.query.get('emailMessage') ? { emailMessage: req.query.get('emailMessage')! } : {}) };
      f.permissions.push(p);
      sendJson(res, 200, { kind: 'drive#permission', id: p.id, type, role, ...(p.emailAddress ? { emailAddress: p.emailAddress } : {}), ...(p.domain ? { domain: p.domain } : {}) });
    },
  });
  return state;
}

const fakeDriveState = new WeakMap<FakeGoogle, FakeDriveState>();

export function fakeDrive(fake: FakeGoogle): FakeDriveState {
  const s = fakeDriveState.get(fake);
  if (!s) throw new Error('the Drive module is not installed in this fake Google');
  return s;
}
