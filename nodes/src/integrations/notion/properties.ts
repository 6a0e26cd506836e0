// Plain values → Notion property values, by the type each property has in the data
// source's schema, and back. Workflows hand over strings, numbers and lists (often from an
// expression), so the conversion is lenient where the meaning is clear ("42" for a number,
// "a, b" for a multi-select) and refuses everything else with the property's name.
import { NonRetriableNodeError } from '../../contract/index.ts';
import { plainRichText, RICH_TEXT_MAX_CHARS, RICH_TEXT_MAX_ITEMS, richTextToPlain } from './rich-text.ts';
import { normalizeNotionId } from './ids.ts';

/** A property of a data source's schema as Notion returns it (only what we read). */
export interface PropertySchema {
  id: string;
  name: string;
  type: string;
  select?: { options?: { name: string }[] };
  multi_select?: { options?: { name: string }[] };
  status?: { options?: { name: string }[] };
}

export type PropertySchemas = Record<string, PropertySchema>;

/** Types Keyflow can write; the rest (formula, rollup, created_time…) Notion computes itself. */
export const WRITABLE_TYPES = ['title', 'rich_text', 'number', 'select', 'multi_select', 'status', 'date', 'checkbox', 'url', 'email', 'phone_number', 'people', 'relation'] as const;
export type WritableType = (typeof WRITABLE_TYPES)[number];

const EXPECTED: Record<WritableType, string> = {
  title: 'a text',
  rich_text: 'a text',
  number: 'a number',
  select: 'an option name',
  multi_select: 'a list of option names (or one comma-separated text)',
  status: 'a status name',
  date: 'an ISO 8601 date or date-time, or { start, end? }',
  checkbox: 'true or false',
  url: 'an http(s) URL',
  email: 'an email address',
  phone_number: 'a phone number',
  people: 'a user id or a list of user ids',
  relation: 'a page id or a list of page ids',
};

export class PropertyValueError extends NonRetriableNodeError {
  constructor(property: string, type: string, message: string) {
    super(`Notion property '${property}' (${type}): ${message}`, { details: { property, type } });
    this.name = 'PropertyValueError';
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function isWritable(type: string): type is WritableType {
  return (WRITABLE_TYPES as readonly string[]).includes(type);
}

function asText(name: string, type: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new PropertyValueError(name, type, `expected ${EXPECTED[type as WritableType] ?? 'a text'}, got ${describeValue(value)}`);
}

function asList(value: unknown, splitCommas: boolean): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string' && splitCommas) return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return [value];
}

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function checkDate(name: string, value: unknown): string {
  if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value))) {
    throw new PropertyValueError(name, 'date', `expected ${EXPECTED.date}, got ${describeValue(value)}`);
  }
  return value;
}

function optionName(name: string, type: string, value: unknown): string {
  const text = asText(name, type, value).trim();
  if (text === '') throw new PropertyValueError(name, type, 'an option name must not be empty');
  // Notion refuses commas in select option names (they separate multi-select values in its UI).
  if (text.includes(',')) throw new PropertyValueError(name, type, `option names cannot contain a comma, got ${describeValue(text)}`);
  if (text.length > 100) throw new PropertyValueError(name, type, 'option names are at most 100 characters');
  return text;
}

function idList(name: string, type: 'people' | 'relation', value: unknown): string[] {
  return asList(value, true).map((item) => {
    const raw = typeof item === 'object' && item !== null && 'id' in item ? (item as { id: unknown }).id : item;
    const id = typeof raw === 'string' ? normalizeNotionId(raw) : undefined;
    if (!id) throw new PropertyValueError(name, type, `expected ${EXPECTED[type]}, got ${describeValue(item)}`);
    return id;
  });
}

/** Converts one plain value to the property value Notion expects for `schema`'s type. */
export function toPropertyValue(schema: PropertySchema, value: unknown): Record<string, unknown> {
  const { name, type } = schema;
  if (!isWritable(type)) throw new PropertyValueError(name, type, `Notion computes ${type} properties itself; they cannot be set`);
  if (value === undefined) throw new PropertyValueError(name, type, 'a value is required (use null to clear it)');
  switch (type) {
    case 'title':
    case 'rich_text': {
      const items = value === null ? [] : plainRichText(asText(name, type, value));
      // Notion keeps at most 100 rich-text items of 2000 characters in one property value.
      if (items.length > RICH_TEXT_MAX_ITEMS) throw new PropertyValueError(name, type, `text is too long: Notion keeps at most ${RICH_TEXT_MAX_ITEMS * RICH_TEXT_MAX_CHARS} characters in a property`);
      return { [type]: items };
    }
    case 'number': {
      if (value === null) return { number: null };
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (!Number.isFinite(n)) throw new PropertyValueError(name, type, `expected ${EXPECTED.number}, got ${describeValue(value)}`);
      return { number: n };
    }
    case 'select':
      return { select: value === null || value === '' ? null : { name: optionName(name, type, value) } };
    case 'multi_select':
      return { multi_select: value === null ? [] : asList(value, true).map((v) => ({ name: optionName(name, type, v) })) };
    case 'status': {
      if (value === null) return { status: null };
      const wanted = optionName(name, type, value);
      // Unlike select, Notion does not create status options on the fly: say which exist.
      const options = schema.status?.options?.map((o) => o.name);
      if (options && options.length > 0 && !options.includes(wanted)) {
        throw new PropertyValueError(name, type, `no status named "${wanted}"; the statuses are: ${options.join(', ')}`);
      }
      return { status: { name: wanted } };
    }
    case 'date': {
      if (value === null || value === '') return { date: null };
      if (typeof value === 'object' && !Array.isArray(value)) {
        const v = value as { start?: unknown; end?: unknown; time_zone?: unknown; timeZone?: unknown };
        const zone = v.time_zone ?? v.timeZone;
        if (zone !== undefined && typeof zone !== 'string') throw new PropertyValueError(name, type, 'time_zone must be an IANA zone name');
        return {
          date: {
            start: checkDate(name, v.start),
            ...(v.end !== undefined && v.end !== null ? { end: checkDate(name, v.end) } : {}),
            ...(typeof zone === 'string' ? { time_zone: zone } : {}),
          },
        };
      }
      return { date: { start: checkDate(name, value) } };
    }
    case 'checkbox': {
      if (typeof value === 'boolean') return { checkbox: value };
      if (value === 'true' || value === 'false') return { checkbox: value === 'true' };
      throw new PropertyValueError(name, type, `expected ${EXPECTED.checkbox}, got ${describeValue(value)}`);
    }
    case 'url': {
      if (value === null || value === '') return { url: null };
      const text = asText(name, type, value).trim();
      if (!/^https?:\/\/\S+$/i.test(text) || !URL.canParse(text)) throw new PropertyValueError(name, type, `expected ${EXPECTED.url}, got ${describeValue(value)}`);
      return { url: text };
    }
    case 'email': {
      if (value === null || value === '') return { email: null };
      const text = asText(name, type, value).trim();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) throw new PropertyValueError(name, type, `expected ${EXPECTED.email}, got ${describeValue(value)}`);
      return { email: text };
    }
    case 'phone_number': {
      if (value === null || value === '') return { phone_number: null };
      const text = asText(name, type, value).trim();
      if (!/^\+?[\d\s().-]{3,40}$/.test(text)) throw new PropertyValueError(name, type, `expected ${EXPECTED.phone_number}, got ${describeValue(value)}`);
      return { phone_number: text };
    }
    case 'people':
      return { people: value === null ? [] : idList(name, type, value).map((id) => ({ object: 'user', id })) };
    case 'relation':
      return { relation: value === null ? [] : idList(name, type, value).map((id) => ({ id })) };
  }
}

/**
 * Converts a `{ "<property name>": value }` map with the data source's schema. Unknown names
 * are refused with the list of real ones (and a hint when only the case differs).
 */
export function toPropertyValues(schemas: PropertySchemas, values: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, value] of Object.entries(values)) {
    const schema = schemas[name];
    if (!schema) {
      const names = Object.keys(schemas);
      const near = names.find((n) => n.toLowerCase() === name.toLowerCase());
      throw new NonRetriableNodeError(
        `Notion database has no property '${name}'${near ? ` (did you mean '${near}'?)` : ''}; its properties are: ${names.join(', ') || 'none'}`,
        { details: { property: name, properties: names } },
      );
    }
    out[name] = toPropertyValue({ ...schema, name }, value);
  }
  return out;
}

/** A page's property values as plain values, for the next node (the inverse of the above). */
export function fromPropertyValues(properties: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(properties)) {
    if (typeof raw === 'object' && raw !== null) out[name] = plainValue(raw as Record<string, unknown>);
  }
  return out;
}

function plainValue(p: Record<string, unknown>): unknown {
  const type = typeof p.type === 'string' ? p.type : '';
  const v = p[type];
  switch (type) {
    case 'title':
    case 'rich_text':
      return Array.isArray(v) ? richTextToPlain(v) : '';
    case 'select':
    case 'status':
      return v && typeof v === 'object' ? (v as { name?: unknown }).name ?? null : null;
    case 'multi_select':
      return Array.isArray(v) ? v.map((o) => (o as { name?: unknown }).name) : [];
    case 'people':
    case 'relation':
      return Array.isArray(v) ? v.map((o) => (o as { id?: unknown }).id) : [];
    case 'date': {
      if (!v || typeof v !== 'object') return null;
      const d = v as { start?: unknown; end?: unknown };
      return d.end ? { start: d.start, end: d.end } : d.start ?? null;
    }
    case 'formula':
      return v && typeof v === 'object' ? (v as Record<string, unknown>)[(v as { type?: string }).type ?? ''] ?? null : null;
    case 'unique_id': {
      const u = v as { prefix?: string | null; number?: number | null } | undefined;
      return u?.number == null ? null : u.prefix ? `${u.prefix}-${u.number}` : u.number;
    }
    case 'files':
      return Array.isArray(v) ? v.map((f) => (f as { external?: { url?: unknown }; file?: { url?: unknown } }).external?.url ?? (f as { file?: { url?: unknown } }).file?.url) : [];
    case 'created_by':
    case 'last_edited_by':
      return v && typeof v === 'object' ? (v as { id?: unknown }).id ?? null : null;
    default:
      return v ?? null;
  }
}

/** A property's editor descriptor: one form field per property, with its type and options. */
export function describeProperty(schema: PropertySchema): { name: string; id: string; type: string; writable: boolean; expected?: string; options?: string[] } {
  const opts = (schema[schema.type as 'select' | 'multi_select' | 'status'] as { options?: { name: string }[] } | undefined)?.options;
  return {
    name: schema.name,
    id: schema.id,
    type: schema.type,
    writable: isWritable(schema.type),
    ...(isWritable(schema.type) ? { expected: EXPECTED[schema.type] } : {}),
    ...(opts ? { options: opts.map((o) => o.name) } : {}),
  };
}
