// Configuration from the environment, validated once at start-up. A bad value stops the
// process with a message naming the variable (ConfigError); secrets are never echoed.
import { resolve } from 'node:path';
import { ConfigError } from './errors.ts';
import { MAX_NODES, MAX_NODES_CEILING } from './graph/graph.schema.ts';
import { parseAllowList, type AllowList } from './net/allow-list.ts';

export const serviceNames = ['OPENAI', 'ANTHROPIC', 'GEMINI', 'DEEPSEEK', 'AZURE_OPENAI', 'SLACK', 'NOTION', 'TRELLO', 'ASANA', 'GOOGLE', 'TELEGRAM', 'TYPEFORM', 'CALCOM', 'WEBFLOW'] as const;
export type ServiceName = (typeof serviceNames)[number];

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  mode: 'embedded' | 'queue';
  encryptionKeys: string | undefined;
  publicUrl: string;
  /** A separate origin for /hooks/* (recommended): tenant content never shares the app's origin. */
  webhookUrl: string | undefined;
  /** How long a webhook delivery key is remembered for replay protection (signatures without a timestamp, unsigned ids). */
  webhookReplayWindowSeconds: number;
  serviceBaseUrls: Partial<Record<ServiceName, string>>;
  /** OAuth apps (KEYFLOW_<SERVICE>_CLIENT_ID / _CLIENT_SECRET); a service without one is "not configured". */
  oauthClients: Partial<Record<ServiceName, { clientId: string; clientSecret: string }>>;
  /** KEYFLOW_<SERVICE>_OAUTH_URL: replaces the origin of a service's OAuth URLs (tests, proxies). */
  oauthUrls: Partial<Record<ServiceName, string>>;
  /** How often each integration credential's identity call runs (KEYFLOW_CONNECTION_CHECK_MINUTES; 0: never). */
  connectionCheckMinutes: number;
  httpAllow: string | undefined;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  workerConcurrency: number;
  /** BullMQ job lock: how soon a dead worker's run is handed to another. */
  queueLockMs: number;
  /** 'async': step checkpoints commit without waiting for the WAL flush (Postgres only); 'sync': they wait. */
  checkpointCommit: 'async' | 'sync';
  /** Queue mode: webhook "wait" runs a server executes itself at once (0: all through the queue). */
  inlineRuns: number;
  /** Requests per minute one webhook accepts. */
  webhookRatePerMinute: number;
  /** Finished runs older than this many days are deleted (0 keeps them forever). */
  retentionDays: number;
  /** At most this many finished runs are kept per workflow (0: no limit). */
  retentionPerWorkflow: number;
  /** BullMQ queue name: workers and servers sharing one must agree; tests use their own. */
  queueName: string;
  bodyLimitBytes: number;
  secureCookies: boolean;
  /** Step rows one run may write (attempts included); more fail the run. */
  maxRunSteps: number;
  /** Bytes of step outputs one run may hold at once (about their JSON size); more fail the step. */
  maxRunBytes: number;
  /** Largest output one step may produce (its JSON size); a larger one fails the step. */
  maxStepOutputBytes: number;
  /** Executions in a row that died with their process before a run is failed as poison. */
  maxRunCrashes: number;
  /** Bearer token a scraper sends for GET /metrics; unset: /metrics answers 404 (unless metricsPort is set). */
  metricsToken: string | undefined;
  /** KEYFLOW_METRICS_PORT: /metrics on its own listener (on `host`), no token needed there. */
  metricsPort: number | undefined;
  /**
   * KEYFLOW_TRUST_PROXY: which reverse proxies' client-address header to believe. Unset: none
   * (the socket's peer address only); `hops`: that many proxies in front; `cidrs`: any peer in
   * these blocks is a proxy (a comma-separated list of IPs and CIDRs).
   */
  trustProxy: { hops: number } | { cidrs: AllowList } | undefined;
  /** KEYFLOW_SMTP_URL + KEYFLOW_ALERT_FROM: where email alerts go out (both or neither). */
  smtp: { url: string; from: string } | undefined;
  /** KEYFLOW_TRUST_PROXY_HEADER: the header trusted proxies set. */
  trustProxyHeader: 'x-forwarded-for' | 'forwarded';
  /** Sign-ups accepted per hour from all clients together (each client: at most 10 an hour). */
  signupsPerHour: number;
  /** The shortest gap between two ticks a cron trigger may have; faster schedules are refused on save and activation. */
  minScheduleSeconds: number;
  /** Most nodes one workflow graph may have (the validator's limit). */
  maxWorkflowNodes: number;
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw.slice(0, 40)}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(values as readonly string[]).includes(raw)) throw new ConfigError(name, `must be one of ${values.join(', ')}, got "${raw.slice(0, 40)}"`);
  return raw as T;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    // The value may carry a password: never print it.
    throw new ConfigError(name, `is not a valid URL (expected ${protocols.join(' or ')}…)`);
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(name, `must start with ${protocols.join(' or ')}`);
  return raw;
}

/** An origin only (scheme, host, port), on a different host from the app: the point is a separate origin. */
function webhookUrl(env: Env, publicUrl: string): string | undefined {
  const raw = url(env, 'KEYFLOW_WEBHOOK_URL', ['http:', 'https:']);
  if (raw === undefined) return undefined;
  const parsed = new URL(raw);
  if ((parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw new ConfigError('KEYFLOW_WEBHOOK_URL', 'must be an origin only, like https://hooks.example.com (no path, query or credentials)');
  }
  if (parsed.host === new URL(publicUrl).host) throw new ConfigError('KEYFLOW_WEBHOOK_URL', 'must have a different host from KEYFLOW_PUBLIC_URL (a separate origin is its purpose)');
  return parsed.origin;
}

function queueName(env: Env): string {
  const raw = env.KEYFLOW_QUEUE_NAME;
  if (raw === undefined || raw === '') return 'keyflow-runs';
  // BullMQ builds Redis keys from the name; a colon would split them.
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(raw)) throw new ConfigError('KEYFLOW_QUEUE_NAME', 'may hold only letters, digits, "_", "." and "-" (at most 100)');
  return raw;
}

function metricsToken(env: Env): string | undefined {
  const raw = env.KEYFLOW_METRICS_TOKEN;
  if (raw === undefined || raw === '') return undefined;
  // A guessable token would make the guard decorative; never echo the value.
  if (!/^[\x21-\x7e]{16,512}$/.test(raw)) throw new ConfigError('KEYFLOW_METRICS_TOKEN', 'must be 16 to 512 printable characters without spaces');
  return raw;
}

function trustProxy(env: Env): Config['trustProxy'] {
  const raw = env.KEYFLOW_TRUST_PROXY?.trim();
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return undefined;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 20) throw new ConfigError('KEYFLOW_TRUST_PROXY', `a number of proxy hops must be between 0 and 20, got ${hops}`);
    return { hops };
  }
  let cidrs: AllowList;
  try {
    cidrs = parseAllowList(raw);
  } catch {
    cidrs = { hosts: new Set(['?']), suffixes: [], blocks: [] };
  }
  if (cidrs.hosts.size || cidrs.suffixes.length || !cidrs.blocks.length) throw new ConfigError('KEYFLOW_TRUST_PROXY', 'must be a number of proxy hops (e.g. 1) or a comma-separated list of proxy IPs and CIDRs (e.g. 10.0.0.0/8,::1)');
  return { cidrs };
}

function smtp(env: Env): Config['smtp'] {
  const raw = url(env, 'KEYFLOW_SMTP_URL', ['smtp:', 'smtps:']);
  const from = env.KEYFLOW_ALERT_FROM || undefined;
  if (!raw && !from) return undefined;
  if (!raw) throw new ConfigError('KEYFLOW_SMTP_URL', 'is required when KEYFLOW_ALERT_FROM is set');
  if (!from) throw new ConfigError('KEYFLOW_ALERT_FROM', 'is required when KEYFLOW_SMTP_URL is set (the From address of alert emails)');
  if (!/^([^<>\r\n]*<)?[^\s@<>]+@[^\s@<>]+>?$/.test(from)) throw new ConfigError('KEYFLOW_ALERT_FROM', 'must be an email address, e.g. "Keyflow <alerts@example.com>"');
  return { url: raw, from };
}

function oauthClients(env: Env): { clients: Config['oauthClients']; urls: Config['oauthUrls'] } {
  const clients: Config['oauthClients'] = {};
  const urls: Config['oauthUrls'] = {};
  for (const s of serviceNames) {
    const id = env[`KEYFLOW_${s}_CLIENT_ID`] || undefined;
    const secret = env[`KEYFLOW_${s}_CLIENT_SECRET`] || undefined;
    if ((id === undefined) !== (secret === undefined)) throw new ConfigError(id ? `KEYFLOW_${s}_CLIENT_SECRET` : `KEYFLOW_${s}_CLIENT_ID`, `is required when KEYFLOW_${s}_${id ? 'CLIENT_ID' : 'CLIENT_SECRET'} is set`);
    if (id !== undefined && secret !== undefined) {
      if (!/^[\x21-\x7e]{1,500}$/.test(id)) throw new ConfigError(`KEYFLOW_${s}_CLIENT_ID`, 'must be printable characters without spaces');
      if (!/^[\x21-\x7e]{1,1000}$/.test(secret)) throw new ConfigError(`KEYFLOW_${s}_CLIENT_SECRET`, 'must be printable characters without spaces');
      clients[s] = { clientId: id, clientSecret: secret };
    }
    const o = url(env, `KEYFLOW_${s}_OAUTH_URL`, ['http:', 'https:']);
    if (o) urls[s] = new URL(o).origin;
  }
  return { clients, urls };
}

/** Reads and validates every setting. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const port = int(env, 'PORT', 3000, 0, 65535);
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const redisUrl = url(env, 'REDIS_URL', ['redis:', 'rediss:']);
  if (redisUrl && !databaseUrl) throw new ConfigError('DATABASE_URL', 'is required when REDIS_URL is set (queue mode needs a shared Postgres)');
  const publicUrl = url(env, 'KEYFLOW_PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`;
  const hooksUrl = webhookUrl(env, publicUrl);
  const serviceBaseUrls: Partial<Record<ServiceName, string>> = {};
  for (const s of serviceNames) {
    const v = url(env, `KEYFLOW_${s}_BASE_URL`, ['http:', 'https:']);
    if (v) serviceBaseUrls[s] = v.replace(/\/+$/, '');
  }
  const oauth = oauthClients(env);
  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) throw new ConfigError('LOG_LEVEL', 'must be one of debug, info, warn, error, silent');
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: resolve(env.KEYFLOW_DATA_DIR ?? './.keyflow'),
    databaseUrl,
    redisUrl,
    mode: redisUrl ? 'queue' : 'embedded',
    encryptionKeys: env.KEYFLOW_ENCRYPTION_KEYS || undefined,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    webhookUrl: hooksUrl,
    webhookReplayWindowSeconds: int(env, 'KEYFLOW_WEBHOOK_REPLAY_WINDOW_HOURS', 24, 1, 24 * 90) * 3600,
    serviceBaseUrls,
    oauthClients: oauth.clients,
    oauthUrls: oauth.urls,
    connectionCheckMinutes: int(env, 'KEYFLOW_CONNECTION_CHECK_MINUTES', 60, 0, 60 * 24 * 30),
    httpAllow: env.KEYFLOW_HTTP_ALLOW || undefined,
    logLevel,
    workerConcurrency: int(env, 'KEYFLOW_WORKER_CONCURRENCY', 20, 1, 1000),
    queueLockMs: int(env, 'KEYFLOW_QUEUE_LOCK_MS', 15_000, 1_000, 600_000),
    checkpointCommit: oneOf(env, 'KEYFLOW_CHECKPOINT_COMMIT', ['async', 'sync'] as const, 'async'),
    webhookRatePerMinute: int(env, 'KEYFLOW_WEBHOOK_RATE_PER_MINUTE', 6000, 1, 10_000_000),
    inlineRuns: int(env, 'KEYFLOW_INLINE_RUNS', 16, 0, 1000),
    retentionDays: int(env, 'KEYFLOW_RUN_RETENTION_DAYS', 30, 0, 36_500),
    retentionPerWorkflow: int(env, 'KEYFLOW_RUN_RETENTION_PER_WORKFLOW', 0, 0, 10_000_000),
    queueName: queueName(env),
    bodyLimitBytes: int(env, 'KEYFLOW_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    secureCookies: publicUrl.startsWith('https:'),
    maxRunSteps: int(env, 'KEYFLOW_MAX_RUN_STEPS', 100_000, 100, 10_000_000),
    maxRunBytes: int(env, 'KEYFLOW_MAX_RUN_BYTES', 64 * 1024 * 1024, 1024 * 1024, 4 * 1024 * 1024 * 1024),
    maxStepOutputBytes: int(env, 'KEYFLOW_MAX_STEP_OUTPUT_BYTES', 1024 * 1024, 1024, 256 * 1024 * 1024),
    maxRunCrashes: int(env, 'KEYFLOW_MAX_RUN_CRASHES', 3, 1, 100),
    metricsToken: metricsToken(env),
    metricsPort: env.KEYFLOW_METRICS_PORT ? int(env, 'KEYFLOW_METRICS_PORT', 0, 0, 65535) : undefined,
    trustProxy: trustProxy(env),
    smtp: smtp(env),
    trustProxyHeader: oneOf(env, 'KEYFLOW_TRUST_PROXY_HEADER', ['x-forwarded-for', 'forwarded'] as const, 'x-forwarded-for'),
    signupsPerHour: int(env, 'KEYFLOW_SIGNUPS_PER_HOUR', 100, 1, 1_000_000),
    minScheduleSeconds: int(env, 'KEYFLOW_MIN_SCHEDULE_SECONDS', 60, 1, 86_400),
    maxWorkflowNodes: int(env, 'KEYFLOW_MAX_WORKFLOW_NODES', MAX_NODES, 1, MAX_NODES_CEILING),
  };
}
