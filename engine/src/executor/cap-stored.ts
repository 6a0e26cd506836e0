// Every value a run stores (a step's rendered config and error, the run's output and error, a
// trigger's copy of its payload) is capped: over the cap it is stored as a marker that says it
// was cut and how big it was, with the start of its JSON. Outputs that later steps read are not
// capped this way: an output over the output limit fails its step instead (see run-node.ts).

/** How many characters of the JSON a truncation marker keeps. */
export const PREVIEW_CHARS = 1024;

export interface TruncatedValue {
  $truncated: true;
  /** The size of the value's JSON, in UTF-8 bytes. */
  bytes: number;
  /** The first PREVIEW_CHARS characters of that JSON. */
  preview: string;
}

export function isTruncated(value: unknown): value is TruncatedValue {
  return typeof value === 'object' && value !== null && (value as { $truncated?: unknown }).$truncated === true;
}

/** `value` when its JSON fits in `maxBytes`, else a TruncatedValue (undefined stays undefined). */
export function capStored(value: unknown, maxBytes: number): unknown {
  return capStoredJson(value, maxBytes).value;
}

/** capStored, with the JSON text of `value` when it is kept (the statement that stores it reuses it). */
export function capStoredJson(value: unknown, maxBytes: number): { value: unknown; text?: string } {
  if (value === undefined) return { value };
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) return { value };
  if (text.length * 3 <= maxBytes) return { value, text };
  const bytes = Buffer.byteLength(text);
  if (bytes <= maxBytes) return { value, text };
  return { value: { $truncated: true, bytes, preview: cut(text, PREVIEW_CHARS) } satisfies TruncatedValue };
}

/** Text cut to `max` characters, saying how long it was. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${cut(text, max)}… (truncated, ${Buffer.byteLength(text)} bytes)`;
}

/** The first `max` characters, never ending between the halves of a surrogate pair (Postgres JSON refuses a lone one). */
function cut(text: string, max: number): string {
  const head = text.slice(0, max);
  const last = head.charCodeAt(head.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? head.slice(0, -1) : head;
}
