/** A non-null, non-array object: the shape of JSON objects that flow between nodes. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
