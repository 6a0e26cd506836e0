// What is stored and streamed about a run must not carry credentials: values under
// credential-like keys are replaced wherever they sit in the structure (step rows, a loop's
// collected results, the run's output).
const SENSITIVE = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[-_]?key|apikey|access[-_]?token|refresh[-_]?token|client[-_]?secret|password|secret|token)$/i;

/** Beyond this depth nothing is inspected, so nothing is passed on either. */
const MAX_DEPTH = 64;

export function redactForStorage(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[redacted: nested too deeply]';
  if (Array.isArray(value)) return value.map((v) => redactForStorage(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SENSITIVE.test(k) && v !== null && v !== undefined && v !== '' ? '[redacted]' : redactForStorage(v, depth + 1);
  return out;
}
