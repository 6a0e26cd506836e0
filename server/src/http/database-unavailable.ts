// Errors that mean "the database cannot be reached right now", not "this request is wrong":
// a refused or dropped connection, a server shutting down or refusing new sessions, a closed
// pool or PGlite, or Redis (ioredis giving up on a command: the shared rate limits live there). They become 503 with Retry-After, so senders (webhook retries, clients) come back.

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
// SQLSTATE: 08… connection exception; 57P01–57P03 admin/crash shutdown, cannot connect now; 53300 too many connections.
const SQLSTATES = /^(08...|57P0[123]|53300)$/;
const MESSAGES = /connection terminated|timeout exceeded when trying to connect|cannot use a pool after calling end|pglite is closed|driver has already been destroyed|the database system is (starting up|shutting down)|max retries per request limit|connection is closed/i;

function check(err: unknown, depth: number): boolean {
  if (depth > 4 || err === null || typeof err !== 'object') return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || SQLSTATES.test(e.code))) return true;
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  // Node reports a refused dual-stack connect as an AggregateError of the per-address errors.
  if (Array.isArray(e.errors) && e.errors.some((x) => check(x, depth + 1))) return true;
  return check(e.cause, depth + 1);
}

/** True when `err` says the database is unreachable (Postgres or PGlite), whatever layer wrapped it. */
export function isDatabaseUnavailable(err: unknown): boolean {
  return check(err, 0);
}

/** Seconds a client should wait before retrying. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;
