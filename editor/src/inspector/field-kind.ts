// Which control edits a config field, decided from its JSON Schema alone (no per-node forms).
// A few field names carry meaning the schema cannot: `cron` (with its sibling `timezone`),
// `credentialId` / `credentialIds` (the owner's keys) — the node contract names them so.
import type { JsonSchema } from './types.ts';

export type FieldKind =
  | { kind: 'select'; options: { value: string | number; label: string }[] }
  | { kind: 'switch' }
  | { kind: 'number'; integer: boolean; min?: number; max?: number; exclusiveMin?: number; exclusiveMax?: number }
  | { kind: 'text'; multiline: boolean }
  | { kind: 'expression'; multiline: boolean }
  | { kind: 'cron' }
  | { kind: 'credential'; multiple: boolean }
  /** An AI node's pinned model, from the price table. */
  | { kind: 'model' }
  | { kind: 'list'; item: JsonSchema; itemKind: FieldKind }
  | { kind: 'object'; schema: JsonSchema }
  | { kind: 'record'; value: JsonSchema; keyPattern?: string }
  | { kind: 'json' }
  /** No type at all (`{}`): text with expressions, or any JSON value. */
  | { kind: 'any' };

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function types(schema: JsonSchema): string[] {
  const t = schema['type'];
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  return [];
}

function selectOptions(schema: JsonSchema): { value: string | number; label: string }[] | undefined {
  const e = schema['enum'];
  if (Array.isArray(e) && e.length > 0 && e.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return e.map((v) => ({ value: v as string | number, label: String(v) }));
  }
  const one = schema['oneOf'] ?? schema['anyOf'];
  if (Array.isArray(one) && one.length > 0 && one.every((s) => isObject(s) && (typeof s['const'] === 'string' || typeof s['const'] === 'number'))) {
    return (one as JsonSchema[]).map((s) => ({
      value: s['const'] as string | number,
      label: typeof s['title'] === 'string' ? s['title'] : typeof s['description'] === 'string' ? s['description'] : String(s['const']),
    }));
  }
  return undefined;
}

// Long free text (prompts, bodies) gets several lines; short strings one.
const MULTILINE_FROM = 5_000;

/** The control for one field; `key` is the property name in its parent object. */
export function fieldKind(schema: JsonSchema, key: string): FieldKind {
  const options = selectOptions(schema);
  if (options) return { kind: 'select', options };
  const t = types(schema);
  if (t.length === 0 && schema['properties'] === undefined) return { kind: 'any' };
  const main = t.find((x) => x !== 'null') ?? 'object';
  if (t.length > 1 && t.filter((x) => x !== 'null').length > 1) return { kind: 'expression', multiline: false };
  switch (main) {
    case 'boolean':
      return { kind: 'switch' };
    case 'integer':
    case 'number': {
      const n: FieldKind = { kind: 'number', integer: main === 'integer' };
      if (typeof schema['minimum'] === 'number') n.min = schema['minimum'];
      if (typeof schema['maximum'] === 'number') n.max = schema['maximum'];
      if (typeof schema['exclusiveMinimum'] === 'number') n.exclusiveMin = schema['exclusiveMinimum'];
      if (typeof schema['exclusiveMaximum'] === 'number') n.exclusiveMax = schema['exclusiveMaximum'];
      return n;
    }
    case 'string': {
      if (key === 'cron') return { kind: 'cron' };
      if (key === 'credentialId' || schema['format'] === 'uuid') return { kind: 'credential', multiple: false };
      const max = typeof schema['maxLength'] === 'number' ? schema['maxLength'] : Infinity;
      // Names, patterns and zones are identifiers: an expression there is rare and confusing.
      if (key === 'timezone' || typeof schema['pattern'] === 'string') return { kind: 'text', multiline: false };
      return { kind: 'expression', multiline: max > MULTILINE_FROM };
    }
    case 'array': {
      const items = isObject(schema['items']) ? schema['items'] : {};
      if (key === 'credentialIds' || items['format'] === 'uuid') return { kind: 'credential', multiple: true };
      return { kind: 'list', item: items, itemKind: fieldKind(items, key) };
    }
    case 'object': {
      if (isObject(schema['properties']) && Object.keys(schema['properties']).length > 0) return { kind: 'object', schema };
      const extra = schema['additionalProperties'];
      // A record of plain values is key/value pairs; a record of anything is a JSON document.
      if (isObject(extra) && types(extra).length > 0 && !types(extra).includes('object') && !types(extra).includes('array')) {
        const names = isObject(schema['propertyNames']) ? schema['propertyNames'] : {};
        const kind: FieldKind = { kind: 'record', value: extra };
        if (typeof names['pattern'] === 'string') kind.keyPattern = names['pattern'];
        return kind;
      }
      return { kind: 'json' };
    }
    default:
      return { kind: 'json' };
  }
}

/** "timeoutMs" → "Timeout ms", "credential_id" → "Credential id". */
export function humanise(key: string): string {
  const words = key
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The label of a field: its schema title, else its key humanised. */
export function fieldTitle(schema: JsonSchema, key: string): string {
  return typeof schema['title'] === 'string' && schema['title'].trim() !== '' ? schema['title'] : humanise(key);
}

export function propertiesOf(schema: JsonSchema): [string, JsonSchema][] {
  const props = schema['properties'];
  if (!isObject(props)) return [];
  return Object.entries(props).map(([k, v]) => [k, isObject(v) ? v : {}]);
}

export function requiredOf(schema: JsonSchema): Set<string> {
  const r = schema['required'];
  return new Set(Array.isArray(r) ? r.filter((x): x is string => typeof x === 'string') : []);
}
