// Opaque keyset cursors over (a timestamp, an id), newest first: the position after the last
// row of a page. Unlike an offset, the next page costs the same however deep it is, and unlike
// a bare timestamp, rows that share one are neither skipped nor repeated.
// A JS Date holds milliseconds and Postgres microseconds: a cursor may carry the exact time as
// microseconds since the epoch (digits), so rows made within one millisecond are not skipped.
export type Keyset = [Date, string, string?];

export function encodeKeyset(at: Date, id: string, micros?: string): string {
  return Buffer.from(JSON.stringify(micros ? [at.toISOString(), id, micros] : [at.toISOString(), id])).toString('base64url');
}

/** Undefined for anything this module did not make. */
export function decodeKeyset(cursor: string): Keyset | undefined {
  try {
    const [at, id, micros] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown, unknown];
    if (typeof at !== 'string' || typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) return undefined;
    if (micros !== undefined && (typeof micros !== 'string' || !/^\d{1,17}$/.test(micros))) return undefined;
    const d = new Date(at);
    if (Number.isNaN(d.getTime())) return undefined;
    return micros === undefined ? [d, id] : [d, id, micros];
  } catch {
    return undefined;
  }
}
