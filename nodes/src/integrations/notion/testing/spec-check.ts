// Checks requests the fake received against the trimmed official spec: the operation
// exists, its path and header parameters are present, and the JSON body fits the schema
// (a small JSON Schema subset: type, const, enum, required, properties,
// additionalProperties, items, maxItems, anyOf, oneOf, $ref). See spec/SOURCE.md for the gaps.
import specJson from './spec/notion-openapi.trimmed.json' with { type: 'json' };
import type { RecordedRequest } from './fake-notion.ts';

type Schema = Record<string, unknown>;

interface Operation {
  parameters?: Schema[];
  requestBody?: { content?: { 'application/json'?: { schema?: Schema } } };
}

const spec = specJson as unknown as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; parameters: Record<string, Schema> };
};

/** Schemas where the spec copy is narrower than the API; see spec/SOURCE.md. */
export const SPEC_GAPS = new Set(['#/components/schemas/blockObjectRequest', '#/components/schemas/parentRequest', 'POST /v1/pages body.children.items']);

/**
 * Shapes the API takes that the spec copy omits, added as another branch (see spec/SOURCE.md):
 * timestamp sorts, from the `sorts` type of @notionhq/client 5.26.0's QueryDataSourceBodyParameters.
 */
const SPEC_ADDITIONS: Record<string, Schema> = {
  '#/components/schemas/sortObject': {
    type: 'object',
    required: ['timestamp', 'direction'],
    additionalProperties: false,
    properties: { timestamp: { enum: ['created_time', 'last_edited_time'] }, direction: { enum: ['ascending', 'descending'] } },
  },
};

function resolve(schema: Schema): Schema {
  let s = schema;
  while (typeof s.$ref === 'string') {
    const name = s.$ref.replace('#/components/schemas/', '').replace('#/components/parameters/', '');
    s = (s.$ref.includes('/parameters/') ? spec.components.parameters[name] : spec.components.schemas[name]) as Schema;
  }
  return s;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function validate(schema: Schema, value: unknown, at: string, problems: string[], gapKey: string): void {
  if (typeof schema.$ref === 'string' && SPEC_GAPS.has(schema.$ref)) return;
  const added = typeof schema.$ref === 'string' ? SPEC_ADDITIONS[schema.$ref] : undefined;
  if (added) return validate({ anyOf: [resolve(schema), added] }, value, at, problems, gapKey);
  if (SPEC_GAPS.has(gapKey)) return;
  const s = resolve(schema);
  if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) {
    const branches = (s.anyOf ?? s.oneOf) as Schema[];
    const fits = branches.filter((b) => {
      const inner: string[] = [];
      validate(b, value, at, inner, gapKey);
      return inner.length === 0;
    }).length;
    if (s.oneOf ? fits !== 1 : fits === 0) problems.push(`${at}: fits ${fits} of the allowed shapes`);
    return;
  }
  if (s.format === 'json' && s.type === 'string') return; // the MCP copy encodes JSON values as text
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
  const actual = typeOf(value);
  if (types.length > 0 && !types.includes(actual) && !(actual === 'integer' && types.includes('number'))) {
    problems.push(`${at}: expected ${types.join('|')}, got ${actual}`);
    return;
  }
  if ('const' in s && value !== s.const) problems.push(`${at}: expected ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`);
  if (actual === 'object') {
    const obj = value as Record<string, unknown>;
    const props = (s.properties ?? {}) as Record<string, Schema>;
    for (const key of (s.required ?? []) as string[]) if (!(key in obj)) problems.push(`${at}.${key}: required`);
    for (const [key, v] of Object.entries(obj)) {
      if (props[key]) validate(props[key], v, `${at}.${key}`, problems, `${gapKey}.${key}`);
      else if (s.additionalProperties === false) problems.push(`${at}.${key}: not allowed`);
    }
  }
  if (actual === 'array') {
    const arr = value as unknown[];
    if (typeof s.maxItems === 'number' && arr.length > s.maxItems) problems.push(`${at}: more than ${s.maxItems} items`);
    if (s.items) arr.forEach((v, i) => validate(s.items as Schema, v, `${at}[${i}]`, problems, `${gapKey}.items`));
  }
}

function matchPath(template: string, path: string): Record<string, string> | undefined {
  const t = template.split('/');
  const p = path.split('/');
  if (t.length !== p.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i += 1) {
    const m = /^\{(\w+)\}$/.exec(t[i]!);
    if (m) params[m[1]!] = decodeURIComponent(p[i]!);
    else if (t[i] !== p[i]) return undefined;
  }
  return params;
}

/** Problems with one request (empty when it fits the spec). */
export function checkRequest(req: RecordedRequest): string[] {
  const method = req.method.toLowerCase();
  // A literal segment beats a parameter (/v1/users/me before /v1/users/{user_id}).
  const candidates = Object.keys(spec.paths).filter((t) => spec.paths[t]![method] && matchPath(t, req.path)).sort((a, b) => a.split('{').length - b.split('{').length);
  const template = candidates[0];
  if (!template) return [`${req.method} ${req.path}: no such operation in the spec`];
  const op = spec.paths[template]![method]!;
  const where = `${req.method} ${template}`;
  const problems: string[] = [];
  const params = matchPath(template, req.path)!;
  for (const raw of op.parameters ?? []) {
    const p = resolve(raw) as { name: string; in: string; required?: boolean; schema?: Schema };
    if (p.in === 'path' && !params[p.name]) problems.push(`${where}: path parameter ${p.name} missing`);
    if (p.in === 'header' && p.name === 'Notion-Version' && !req.headers['notion-version']) problems.push(`${where}: Notion-Version header missing`);
    if (p.in === 'query' && p.required && req.query[p.name] === undefined) problems.push(`${where}: query parameter ${p.name} missing`);
  }
  if (!/^Bearer \S+$/.test(req.headers.authorization ?? '')) problems.push(`${where}: no bearer token`);
  const bodySchema = op.requestBody?.content?.['application/json']?.schema;
  if (bodySchema) validate(bodySchema, req.body ?? {}, 'body', problems, `${req.method} ${template} body`);
  else if (req.body !== undefined && method === 'get') problems.push(`${where}: a GET with a body`);
  return problems.map((p) => (p.startsWith(req.method) ? p : `${where}: ${p}`));
}

/** Problems over every request the fake recorded. */
export function checkRequests(requests: readonly RecordedRequest[]): string[] {
  return requests.flatMap(checkRequest);
}
