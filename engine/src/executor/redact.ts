// What is stored and streamed about a run must not carry credentials: values under
// credential-like keys are replaced wherever they sit in the structure (step rows, a loop's
// collected results, the run's output).
const SENSITIVE = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[-_]?key|apikey|access[-_]?token|refresh[-_]?token|client[-_]?secret|password|secret|token)$/i;

/** Beyond this depth nothing is inspected, so nothing is passed on either. */
const MAX_DEPTH = 64;

/**
 * `value` with those values replaced. Copy on write: a plain object or array in which nothing is
 * replaced is returned as it is, so the caller can tell (`result === value`) that the JSON text
 * it made of `value` is the stored one too. Other objects (class instances) are copied as before.
 */
export function redactForStorage(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[redacted: nested too deeply]';
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const r = redactForStorage(v, depth + 1);
      if (out) out.push(r);
      else if (r !== v) (out = value.slice(0, i)).push(r);
    }
    return out ?? value;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  let out: Record<string, unknown> | undefined = proto === Object.prototype || proto === null ? undefined : {};
  const entries = Object.entries(value);
  for (let i = 0; i < entries.length; i++) {
    const [k, v] = entries[i]!;
    const r = SENSITIVE.test(k) && v !== null && v !== undefined && v !== '' ? '[redacted]' : redactForStorage(v, depth + 1);
    if (out) out[k] = r;
    else if (r !== v) {
      out = {};
      for (let j = 0; j < i; j++) out[entries[j]![0]] = entries[j]![1];
      out[k] = r;
    }
  }
  return out ?? value;
}
