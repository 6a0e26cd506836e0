// Checks a request recorded by the fake against the trimmed official spec: the operation exists
// (method + path template), path ids and query/body parameters fit their schemas, required ones
// are present, nothing undeclared is sent, and the credential travels as the spec's
// securitySchemes say (key and token in the query string). Used by the tests on every request.
import spec from './spec/trello-openapi.trimmed.json' with { type: 'json' };
import type { RecordedRequest } from './fake-trello.ts';

interface Schema {
  type?: string;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  minLength?: number;
  oneOf?: Schema[];
  items?: Schema;
  nullable?: boolean;
  $ref?: string;
  properties?: unknown;
}
interface Parameter { name: string; in: 'query' | 'path' | 'header'; required?: boolean; explode?: boolean; description?: string; schema?: Schema }
interface Operation { parameters?: Parameter[] }
type PathItem = Record<string, Operation | Parameter[]>;

const paths = spec.paths as unknown as Record<string, PathItem>;
const schemas = spec.components.schemas as unknown as Record<string, Schema>;
const security = spec.components.securitySchemes as Record<string, { in: string; name: string }>;
const SERVER_PREFIX = new URL(spec.servers[0]!.url).pathname; // '/1'

function resolve(schema: Schema): Schema {
  let s = schema;
  while (s.$ref) {
    const name = s.$ref.split('/').pop()!;
    const target = schemas[name];
    if (!target) throw new Error(`spec: unresolved ${s.$ref}`);
    // A $ref with siblings (as in Label.id) keeps the target's meaning.
    s = { ...target };
  }
  return s;
}

function fits(value: string, raw: Schema): boolean {
  const schema = resolve(raw);
  if (schema.nullable && value === 'null') return true;
  if (schema.oneOf) return schema.oneOf.some((s) => fits(value, s));
  if (schema.type === 'array') return value.split(',').every((v) => fits(v, schema.items ?? {}));
  if (schema.type === 'object' || schema.properties) return true; // the spec uses objects loosely (fields: Label)
  if (schema.type === 'boolean') return value === 'true' || value === 'false';
  if (schema.type === 'integer' || schema.type === 'number') {
    const n = Number(value);
    if (value === '' || !Number.isFinite(n) || (schema.type === 'integer' && !Number.isInteger(n))) return false;
    return (schema.minimum === undefined || n >= schema.minimum) && (schema.maximum === undefined || n <= schema.maximum);
  }
  // Trello's field lists: an enum of single names, sent comma-separated.
  if (schema.enum) return value.split(',').every((v) => schema.enum!.includes(v));
  if (schema.pattern && !new RegExp(schema.pattern).test(value)) return false;
  if (schema.minLength !== undefined && value.length < schema.minLength) return false;
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return false;
  if ((schema as { format?: string }).format === 'date' && value !== 'null' && Number.isNaN(Date.parse(value))) return false;
  return true;
}

function matchTemplate(template: string, path: string): Record<string, string> | undefined {
  const t = template.split('/').filter(Boolean);
  const p = path.split('/').filter(Boolean);
  if (t.length !== p.length) return undefined;
  const out: Record<string, string> = {};
  for (let i = 0; i < t.length; i += 1) {
    const m = /^\{(.+)\}$/.exec(t[i]!);
    if (m) out[m[1]!] = decodeURIComponent(p[i]!);
    else if (t[i] !== p[i]) return undefined;
  }
  return out;
}

/** Problems with one recorded request ([] when it fits the spec). */
export function specProblems(req: RecordedRequest): string[] {
  const problems: string[] = [];
  if (!req.path.startsWith(`${SERVER_PREFIX}/`)) return [`${req.path}: not under the server URL ${SERVER_PREFIX}`];
  const path = req.path.slice(SERVER_PREFIX.length);
  const method = req.method.toLowerCase();
  const found = Object.entries(paths)
    .map(([template, item]) => ({ template, item, ids: matchTemplate(template, path) }))
    // Literal segments beat templates (cards/{id}/idLabels vs cards/{id}/{field}).
    .filter((c) => c.ids !== undefined && c.item[method] !== undefined)
    .sort((a, b) => Object.keys(a.ids!).length - Object.keys(b.ids!).length)[0];
  if (!found) return [`${req.method} ${req.path}: no such operation in the spec`];
  const where = `${req.method} ${found.template}`;
  const op = found.item[method] as Operation;
  const declared = [...((found.item.parameters as Parameter[] | undefined) ?? []), ...(op.parameters ?? [])];

  for (const [name, scheme] of Object.entries(security)) {
    if (scheme.in === 'query' && !req.query[scheme.name]) problems.push(`${where}: security ${name} wants "${scheme.name}" in the query`);
  }
  const sent: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query)) if (!Object.values(security).some((s) => s.name === k)) sent[k] = v;
  if (req.body !== '') {
    // Trello takes a JSON body in place of query parameters (the spec says so of POST/PUT /cards).
    const body = JSON.parse(req.body) as Record<string, unknown>;
    for (const [k, v] of Object.entries(body)) {
      if (k in sent) problems.push(`${where}: ${k} sent twice (query and body)`);
      sent[k] = v === null ? 'null' : String(v);
    }
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) problems.push(`${where}: a body without content-type application/json`);
  }
  for (const p of declared) {
    if (p.in === 'path') {
      const value = found.ids![p.name];
      // /members/{id}: "The ID or username of the member" — `me` is the documented alias.
      const alias = p.name === 'id' && found.template.startsWith('/members/') && value === 'me';
      if (value === undefined || (!alias && p.schema && !fits(value, p.schema))) problems.push(`${where}: path ${p.name}=${value} does not fit the spec`);
    } else if (p.in === 'query') {
      const value = sent[p.name];
      if (value === undefined) {
        if (p.required) problems.push(`${where}: required ${p.name} missing`);
      } else if (p.schema && !fits(value, p.schema)) {
        problems.push(`${where}: ${p.name}=${value.slice(0, 60)} does not fit the spec`);
      }
    }
  }
  for (const k of Object.keys(sent)) if (!declared.some((p) => p.in === 'query' && p.name === k)) problems.push(`${where}: ${k} is not a parameter of this operation`);
  return problems;
}

/** Every recorded request's problems, for one expect(...).toEqual([]). */
export function allSpecProblems(requests: readonly RecordedRequest[]): string[] {
  return requests.flatMap(specProblems);
}
