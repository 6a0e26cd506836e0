// How data crosses into and out of core.code, in n8n's item shape so its Code nodes carry over:
// the code sees items as { json }, and what it returns is unwrapped back to plain values.
import { isRecord } from './is-record.ts';

export interface CodeItem {
  json: unknown;
}

/** The node's input as items: an array is one item per element, anything else one item (none for no input). */
export function toItems(input: unknown): CodeItem[] {
  if (input === undefined) return [];
  return Array.isArray(input) ? input.map((json: unknown) => ({ json })) : [{ json: input }];
}

const ITEM_KEYS = new Set(['json', 'binary', 'pairedItem']);

/** { json } (n8n's item, possibly with binary/pairedItem) becomes its json; anything else stays. */
export function unwrapItem(value: unknown): unknown {
  if (isRecord(value) && Object.hasOwn(value, 'json') && Object.keys(value).every((k) => ITEM_KEYS.has(k))) return value.json;
  return value;
}

/** A returned array of items becomes an array of their json; a single item its json. */
export function unwrapResult(value: unknown): unknown {
  return Array.isArray(value) ? value.map(unwrapItem) : unwrapItem(value);
}
