// Opaque keyset cursors over (a timestamp, an id), newest first: the position after the last
// row of a page. Unlike an offset, the next page costs the same however deep it is, and unlike
// a bare timestamp, rows that share one are neither skipped nor repeated.
export type Keyset = [Date, string];

export function encodeKeyset(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

/** Undefined for anything this module did not make. */
export function decodeKeyset(cursor: string): Keyset | undefined {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof at !== 'string' || typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) return undefined;
    const d = new Date(at);
    return Number.isNaN(d.getTime()) ? undefined : [d, id];
  } catch {
    return undefined;
  }
}
