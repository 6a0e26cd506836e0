// Request headers as a run stores them ($trigger.headers): credentials and signatures masked, so
// whoever reads a run (or its export) holds neither a key nor a signed request to replay.
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'x-auth-token', 'api-key']);
const SECRET_NAME = /token|secret|key|password|signature/i;
// Dedupe ids, not credentials: workflows read them.
const KEPT = new Set(['idempotency-key']);

export const REDACTED = '[redacted]';

/**
 * Copies `headers` (names lower-cased), masking the value of any credential-like header and of
 * `extra` (e.g. a custom signature header) as "[redacted]". The name stays, so a workflow can
 * still tell that the header was sent.
 */
export function redactHeaders(headers: Record<string, string>, extra: readonly string[] = []): Record<string, string> {
  const masked = new Set(extra.map((h) => h.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    const secret = CREDENTIAL_HEADERS.has(lower) || masked.has(lower) || (SECRET_NAME.test(lower) && !KEPT.has(lower));
    out[lower] = secret ? REDACTED : value;
  }
  return out;
}
