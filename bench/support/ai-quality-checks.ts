// The automatic checks of the ai-quality task set (bench/data/ai-quality-tasks.json): required
// facts present, the one right label, JSON valid against the task's schema with the expected
// values. Pure, so they are unit-tested without any provider.

export type Check =
  | { kind: 'facts'; all: string[][]; maxWords?: number }
  | { kind: 'label'; labels: string[]; expected: string }
  | { kind: 'json'; expect: Record<string, unknown>; contains?: Record<string, string[]> };

export interface EvalTask {
  id: string;
  task: 'summarization' | 'classification' | 'extraction' | 'writing';
  reference: string;
  maxTokens: number;
  system: string;
  prompt: string;
  schema?: Record<string, unknown>;
  check: Check;
}

export interface CheckResult {
  pass: boolean;
  /** What failed, for the report; empty when passed. */
  problems: string[];
}

const words = (s: string) => s.trim().split(/\s+/).filter(Boolean).length;
const norm = (s: string) => s.toLowerCase().normalize('NFKC');

/** Violations of the JSON Schema subset the task set uses: type, required, properties, items, enum. */
export function schemaProblems(value: unknown, schema: Record<string, unknown>, path = '$'): string[] {
  const type = schema.type;
  const problems: string[] = [];
  const typeOk =
    type === undefined ||
    (type === 'object' && typeof value === 'object' && value !== null && !Array.isArray(value)) ||
    (type === 'array' && Array.isArray(value)) ||
    (type === 'string' && typeof value === 'string') ||
    (type === 'number' && typeof value === 'number' && Number.isFinite(value)) ||
    (type === 'integer' && Number.isInteger(value)) ||
    (type === 'boolean' && typeof value === 'boolean');
  if (!typeOk) return [`${path}: expected ${String(type)}`];
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) problems.push(`${path}: not one of ${schema.enum.join(', ')}`);
  if (type === 'object') {
    const obj = value as Record<string, unknown>;
    for (const key of (schema.required as string[] | undefined) ?? []) if (!(key in obj)) problems.push(`${path}.${key}: missing`);
    const props = (schema.properties as Record<string, Record<string, unknown>> | undefined) ?? {};
    for (const [key, sub] of Object.entries(props)) if (key in obj) problems.push(...schemaProblems(obj[key], sub, `${path}.${key}`));
  }
  if (type === 'array' && schema.items) (value as unknown[]).forEach((v, i) => problems.push(...schemaProblems(v, schema.items as Record<string, unknown>, `${path}[${i}]`)));
  return problems;
}

/** The answer's JSON: the whole text, or a ```json fence in it. */
export function parseJsonAnswer(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  return JSON.parse((fenced?.[1] ?? text).trim());
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return norm(a.trim()) === norm(b.trim());
  return a === b;
}

export function checkAnswer(task: EvalTask, text: string): CheckResult {
  const c = task.check;
  const problems: string[] = [];
  if (c.kind === 'facts') {
    const t = norm(text);
    for (const alternatives of c.all) if (!alternatives.some((a) => t.includes(norm(a)))) problems.push(`missing fact: ${alternatives.join(' | ')}`);
    if (c.maxWords !== undefined && words(text) > c.maxWords) problems.push(`too long: ${words(text)} words > ${c.maxWords}`);
  } else if (c.kind === 'label') {
    const answer = norm(text).trim().replace(/^["'`]+|["'`.!]+$/g, '');
    if (!c.labels.includes(answer)) problems.push(`not a label: ${JSON.stringify(text.slice(0, 40))}`);
    else if (answer !== c.expected) problems.push(`wrong label: ${answer} (expected ${c.expected})`);
  } else {
    let value: unknown;
    try {
      value = parseJsonAnswer(text);
    } catch {
      return { pass: false, problems: ['not JSON'] };
    }
    if (task.schema) problems.push(...schemaProblems(value, task.schema));
    const obj = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(c.expect)) if (!sameValue(obj[k], v)) problems.push(`${k}: ${JSON.stringify(obj[k])} ≠ ${JSON.stringify(v)}`);
    for (const [k, needed] of Object.entries(c.contains ?? {})) {
      const list = Array.isArray(obj[k]) ? (obj[k] as unknown[]).map((x) => norm(String(x))) : [];
      for (const n of needed) if (!list.some((x) => x.includes(norm(n)))) problems.push(`${k}: lacks ${n}`);
    }
  }
  return { pass: problems.length === 0, problems };
}

/** Refuses a task file that is not the expected shape, naming the task and field. */
export function parseTaskFile(data: unknown): EvalTask[] {
  const tasks = (data as { tasks?: unknown })?.tasks;
  if (!Array.isArray(tasks) || tasks.length === 0) throw new Error('ai-quality-tasks.json: "tasks" must be a non-empty array');
  const ids = new Set<string>();
  return tasks.map((raw, i) => {
    const t = raw as Partial<EvalTask>;
    const where = `ai-quality-tasks.json tasks[${i}]${typeof t.id === 'string' ? ` (${t.id})` : ''}`;
    for (const f of ['id', 'task', 'reference', 'system', 'prompt'] as const) if (typeof t[f] !== 'string' || t[f] === '') throw new Error(`${where}: "${f}" must be a non-empty string`);
    if (!['summarization', 'classification', 'extraction', 'writing'].includes(t.task as string)) throw new Error(`${where}: "task" is not one of summarization, classification, extraction, writing`);
    if (!Number.isInteger(t.maxTokens) || (t.maxTokens as number) < 1) throw new Error(`${where}: "maxTokens" must be a positive integer`);
    if (!t.check || !['facts', 'label', 'json'].includes((t.check as Check).kind)) throw new Error(`${where}: "check.kind" must be facts, label or json`);
    if (t.check.kind === 'json' && !t.schema) throw new Error(`${where}: a json check needs "schema"`);
    if (ids.has(t.id as string)) throw new Error(`${where}: duplicate id`);
    ids.add(t.id as string);
    return t as EvalTask;
  });
}
