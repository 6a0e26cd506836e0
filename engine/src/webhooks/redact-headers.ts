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
  const masked = extra.length === 0 ? undefined : new Set(extra.map((h) => h.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    out[lower] = masked?.has(lower) || isSecretName(lower) ? REDACTED : value;
  }
  return out;
}

// Header names repeat from request to request: each is classified once (a bounded memo).
const secretNames = new Map<string, boolean>();
function isSecretName(lower: string): boolean {
  let secret = secretNames.get(lower);
  if (secret === undefined) {
    secret = CREDENTIAL_HEADERS.has(lower) || (SECRET_NAME.test(lower) && !KEPT.has(lower));
    if (secretNames.size >= 1_000) secretNames.clear();
    secretNames.set(lower, secret);
  }
  return secret;
}
