// Checks a request recorded by the fake against the trimmed official Asana spec: the operation
// exists (method + path template), path ids are gids, every query parameter is declared and
// fits its type, required ones are present, a write carries a JSON { data } body, and the token
// travels as the spec's securitySchemes say (HTTP bearer).
import spec from './spec/asana-oas.trimmed.json' with { type: 'json' };
import type { RecordedRequest } from './fake-asana.ts';

interface Parameter { name: string; in: 'query' | 'path' | 'header'; required?: boolean; schema: { type?: string; enum?: unknown[]; minimum?: number; maximum?: number; items?: { type?: string } } }
interface Operation { operationId: string; parameters: Parameter[]; requestBody?: { required: boolean } }

const paths = spec.paths as unknown as Record<string, Record<string, Operation>>;
const templates = Object.keys(paths).map((t) => ({ template: t, re: new RegExp(`^${t.replace(/\{[^}]+\}/g, '([^/]+)')}$`), names: [...t.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!) }));

function fits(value: string, p: Parameter): boolean {
  const s = p.schema;
  if (s.enum && !s.enum.includes(value)) return false;
  if (s.type === 'boolean') return value === 'true' || value === 'false';
  if (s.type === 'integer') {
    const n = Number(value);
    return Number.isInteger(n) && (s.minimum === undefined || n >= s.minimum) && (s.maximum === undefined || n <= s.maximum);
  }
  return true;
}

/** What is wrong with one request, as readable lines ([] when it fits the spec). */
export function specProblems(req: RecordedRequest): string[] {
  const where = `${req.method} ${req.path}`;
  const match = templates.map((t) => ({ t, m: t.re.exec(req.path) })).find((x) => x.m && paths[x.t.template]![req.method.toLowerCase()]);
  if (!match) return [`${where}: no such operation in the spec`];
  const op = paths[match.t.template]![req.method.toLowerCase()]!;
  const problems: string[] = [];
  if (spec.components.securitySchemes.personalAccessToken.scheme !== 'bearer' || !/^Bearer \S+$/.test(String(req.headers.authorization ?? ''))) problems.push(`${where}: no bearer token`);
  match.t.names.forEach((name, i) => {
    const value = decodeURIComponent(match.m![i + 1]!);
    if (!(name === 'user_gid' && value === 'me') && !/^\d+$/.test(value)) problems.push(`${where}: path ${name}=${value} is not a gid`);
  });
  const declared = op.parameters.filter((p) => p.in === 'query');
  for (const [name, value] of Object.entries(req.query)) {
    const p = declared.find((d) => d.name === name);
    if (!p) problems.push(`${where}: query ${name} is not declared by ${op.operationId}`);
    else if (!fits(value, p)) problems.push(`${where}: query ${name}=${value} does not fit its schema`);
  }
  for (const p of declared) if (p.required && !(p.name in req.query)) problems.push(`${where}: required query ${p.name} missing`);
  if (op.requestBody?.required) {
    try {
      const body = JSON.parse(req.body) as { data?: unknown };
      if (!body.data || typeof body.data !== 'object') problems.push(`${where}: body has no data object`);
    } catch {
      problems.push(`${where}: body is not JSON`);
    }
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) problems.push(`${where}: body is not sent as JSON`);
  }
  return problems;
}

export function allSpecProblems(requests: readonly RecordedRequest[]): string[] {
  return requests.flatMap(specProblems);
}
