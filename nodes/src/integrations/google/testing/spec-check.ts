// Checks a request recorded by the fake Google against the discovery documents in spec/ (Drive,
// Gmail, Calendar: the official ones, trimmed; Sheets: written from the public reference): the method exists
// (HTTP method + path template, upload paths included), every query parameter is declared by the
// method or globally, enum values are allowed ones, required parameters are present. OAuth
// endpoints (token, revoke, tokeninfo, userinfo) are outside these documents and skipped.
import drive from './spec/drive-v3.trimmed.json' with { type: 'json' };
import sheets from './spec/sheets-v4.json' with { type: 'json' };
import calendar from './spec/calendar-v3.trimmed.json' with { type: 'json' };
import gmail from './spec/gmail-v1.trimmed.json' with { type: 'json' };
import type { RecordedRequest } from './fake-google.ts';

interface Param { type?: string; location?: string; required?: boolean; enum?: string[]; repeated?: boolean }
interface Method { id: string; httpMethod: string; path: string; parameters?: Record<string, Param>; mediaUpload?: { protocols: Record<string, { path: string }> } }
interface Doc { servicePath: string; parameters: Record<string, Param>; resources: Record<string, { methods: Record<string, Method> }> }

interface Route { re: RegExp; method: Method; doc: Doc; upload: boolean }

function templateRe(path: string): RegExp {
  const escaped = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^/${escaped}$`);
}

const routes: Route[] = [];
for (const doc of [drive, sheets, gmail, calendar] as unknown as Doc[]) {
  for (const resource of Object.values(doc.resources)) {
    for (const method of Object.values(resource.methods)) {
      routes.push({ re: templateRe(`${doc.servicePath}${method.path}`), method, doc, upload: false });
      for (const p of Object.values(method.mediaUpload?.protocols ?? {})) routes.push({ re: templateRe(p.path.replace(/^\//, '')), method, doc, upload: true });
    }
  }
}

const COVERED = /^\/(drive\/v3|upload\/drive\/v3|resumable\/upload\/drive\/v3|v4\/spreadsheets|gmail\/v1|calendar\/v3)\//;

/** What is wrong with one request (empty when it fits the spec). */
export function specProblems(req: RecordedRequest): string[] {
  if (!COVERED.test(req.path)) return [];
  const where = `${req.method} ${req.path}`;
  // A resumable session's chunk PUTs go to the session URI (upload_id), not to a method.
  if (req.method === 'PUT' && req.path === '/upload/drive/v3/files' && req.query.has('upload_id')) return [];
  const route = routes.find((r) => r.method.httpMethod === req.method && r.re.test(req.path));
  if (!route) return [`${where}: no such method in the spec`];
  const problems: string[] = [];
  const declared = { ...route.doc.parameters, ...(route.method.parameters ?? {}) };
  for (const [name, value] of req.query) {
    const p = declared[name];
    if (!p || p.location === 'path') {
      problems.push(`${where}: query parameter ${name} is not declared by ${route.method.id}`);
      continue;
    }
    if (p.enum && !p.enum.includes(value)) problems.push(`${where}: ${name}=${value} is not one of ${p.enum.join(', ')}`);
    if (p.type === 'integer' && !/^-?\d+$/.test(value)) problems.push(`${where}: ${name} must be an integer`);
    if (p.type === 'boolean' && !/^(true|false)$/.test(value)) problems.push(`${where}: ${name} must be true or false`);
  }
  for (const [name, p] of Object.entries(route.method.parameters ?? {})) {
    if (p.required && p.location === 'query' && !req.query.has(name)) problems.push(`${where}: required ${name} is missing`);
  }
  if (route.upload && !['media', 'multipart', 'resumable'].includes(req.query.get('uploadType') ?? '')) problems.push(`${where}: an upload needs uploadType media, multipart or resumable`);
  return problems;
}

export function allSpecProblems(requests: readonly RecordedRequest[]): string[] {
  return requests.flatMap(specProblems);
}
