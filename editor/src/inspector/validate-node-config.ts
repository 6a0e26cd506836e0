// Config validation in the browser, before saving: the node's config JSON Schema (the one
// `GET /api/nodes` serves, generated from the zod schema the API validates with) checked with
// @cfworker/json-schema. Like the server (engine/src/graph/check-node-config.ts), an issue on
// or under a string holding a `{{ … }}` expression is deferred to run time — except an unknown
// key, which is wrong whatever its value.
import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import type { ConfigIssue, JsonSchema, NodeDescriptor } from './types.ts';
import { humanise, isObject } from './field-kind.ts';

// Keywords that only summarise their children's errors; the children are reported instead.
const SUMMARY = new Set(['properties', 'items', 'prefixItems', 'additionalProperties', 'patternProperties', 'unevaluatedProperties', 'unevaluatedItems', 'dependentSchemas', '$ref', 'allOf', 'contains']);

const validators = new WeakMap<JsonSchema, Validator>();
function validatorFor(schema: JsonSchema): Validator {
  let v = validators.get(schema);
  if (!v) {
    v = new Validator(schema as Schema, '2020-12', false);
    validators.set(schema, v);
  }
  return v;
}

function pointerParts(location: string): string[] {
  return location
    .replace(/^#\/?/, '')
    .split('/')
    .filter((p) => p !== '')
    .map((p) => decodeURIComponent(p).replace(/~1/g, '/').replace(/~0/g, '~'));
}

function schemaAt(schema: JsonSchema, parts: string[]): unknown {
  let node: unknown = schema;
  for (const p of parts) {
    if (isObject(node)) node = node[p];
    else if (Array.isArray(node)) node = node[Number(p)];
    else return undefined;
  }
  return node;
}

function hasExpression(value: unknown): boolean {
  return typeof value === 'string' && value.includes('{{');
}

function crossesExpression(config: unknown, path: string[]): boolean {
  let node = config;
  for (const key of path) {
    if (hasExpression(node)) return true;
    if (isObject(node) && Object.hasOwn(node, key)) node = node[key];
    else if (Array.isArray(node) && /^\d+$/.test(key) && Number(key) < node.length) node = node[Number(key)];
    else return false;
  }
  return hasExpression(node);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A message a person can act on, from the failed keyword and its value in the schema. */
function message(unit: OutputUnit, schema: JsonSchema): string {
  const parts = pointerParts(unit.keywordLocation);
  const value = schemaAt(schema, parts);
  switch (unit.keyword) {
    case 'required':
      return 'Required';
    case 'false':
      return 'Unknown field: remove it';
    case 'type': {
      const t = Array.isArray(value) ? value.join(' or ') : String(value);
      return `Must be ${t === 'integer' ? 'a whole number' : t === 'object' ? 'an object' : t === 'array' ? 'a list' : `a ${t}`}`;
    }
    case 'minLength':
      return value === 1 ? 'Required' : `At least ${plural(Number(value), 'character')}`;
    case 'maxLength':
      return `At most ${plural(Number(value), 'character')}`;
    case 'minimum':
      return `Must be ${String(value)} or more`;
    case 'maximum':
      return `Must be ${String(value)} or less`;
    case 'exclusiveMinimum':
      return `Must be more than ${String(value)}`;
    case 'exclusiveMaximum':
      return `Must be less than ${String(value)}`;
    case 'multipleOf':
      return `Must be a multiple of ${String(value)}`;
    case 'minItems':
      return `Add at least ${plural(Number(value), 'item')}`;
    case 'maxItems':
      return `At most ${plural(Number(value), 'item')}`;
    case 'minProperties':
      return `At least ${plural(Number(value), 'entry')}`;
    case 'maxProperties':
      return `At most ${plural(Number(value), 'entry')}`;
    case 'enum':
      return Array.isArray(value) ? `Must be one of: ${value.map(String).join(', ')}` : 'Not one of the allowed values';
    case 'const':
      return `Must be ${JSON.stringify(value)}`;
    case 'pattern':
      return 'Not in the expected format';
    case 'format':
      return `Must be a valid ${String(value)}`;
    case 'propertyNames':
      return 'A key is not in the expected format';
    case 'uniqueItems':
      return 'Items must be different';
    default:
      return unit.error;
  }
}

/** Every problem with `config` against the node's config schema; [] when it may be saved. */
export function validateNodeConfig(descriptor: NodeDescriptor, config: Record<string, unknown>): ConfigIssue[] {
  const schema = descriptor.configSchema;
  const result = validatorFor(schema).validate(config);
  if (result.valid) return [];
  const seen = new Set<string>();
  const issues: ConfigIssue[] = [];
  for (const unit of result.errors) {
    if (SUMMARY.has(unit.keyword)) continue;
    let path = pointerParts(unit.instanceLocation);
    if (unit.keyword === 'required') {
      const missing = /"([^"]*)"/.exec(unit.error)?.[1];
      if (missing !== undefined) path = [...path, missing];
    }
    // An unknown key is wrong whatever it holds; everything else waits for expressions' values.
    if (unit.keyword !== 'false' && crossesExpression(config, path)) continue;
    const text = unit.keyword === 'false' ? `Unknown field "${humanise(path.at(-1) ?? '')}": remove it` : message(unit, schema);
    const key = `${path.join('.')}\u0000${text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ path: path.join('.'), message: text });
  }
  return issues;
}
