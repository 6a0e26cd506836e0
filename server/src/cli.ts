// `keyflow <command>`: start (all in one, the embedded default), server, worker, migrate, keys.
import { flushCompileCache } from 'node:module';
import { serve } from '@hono/node-server';
import { backup, ConfigError, loadConfig, markDataDirInUse, migrateToLatest, openDatabase, restore, rotateCredentials, type Config } from '@keyflow/engine';
import { generateKey, Keyring, parseKeyList } from '@keyflow/engine/vault';
import { metricsApp, trackCredentialHealth } from './http/metrics.ts';
import type { Logger } from 'pino';
import { buildServices, createLogger, loadKeyring, openStore } from './services.ts';
import { createEngineFor } from './engine-setup.ts';
import { logStartupGarbage, releaseStartupGarbage } from './startup-gc.ts';

const usage = `usage: keyflow <command>
  start      API server and worker in one process (embedded default without DATABASE_URL/REDIS_URL)
  server     API server only (refuses a database that is behind)
  worker     run workflow jobs (queue mode)
  migrate    apply database migrations
  keys generate   print a new encryption key for KEYFLOW_ENCRYPTION_KEYS
  keys rotate [--batch-size N] [--pause-ms N]
                  re-encrypt stored secrets under the first key of KEYFLOW_ENCRYPTION_KEYS
  backup <file>   write the database to <file> (pg_dump custom format, or PGlite's dump in embedded mode);
                  never the master keys: keep KEYFLOW_ENCRYPTION_KEYS (or the data folder's encryption.key) apart
  restore <file> [--force]
                  load a backup into an empty database (--force replaces one); refuses a newer schema`;

/** One shutdown path: stop taking work, let active runs finish (bounded), close the queue, then the database. */
function onSignals(log: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** KEYFLOW_METRICS_PORT: /metrics on a listener of its own (workers have no other port). */
async function serveMetricsPort(config: Config, log: Logger): Promise<(() => Promise<void>) | undefined> {
  if (config.metricsPort === undefined) return undefined;
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: metricsApp(config.metricsToken).fetch, port: config.metricsPort, hostname: config.host }, (info) => {
      log.info({ port: info.port, host: config.host }, 'metrics listening');
      process.stdout.write(`Metrics at http://${config.host}:${info.port}/metrics\n`);
      resolve(s);
    });
  });
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

/** `withWorker`: also execute runs in this process (always so in embedded mode). */
async function runServer(config: Config, migrate: 'apply' | 'require', withWorker: boolean): Promise<void> {
  const log = createLogger(config);
  const store = await openStore(config, log, migrate);
  // `keyflow backup|restore` refuse a data folder a running embedded server holds.
  const unmark = store.kind === 'pglite' ? markDataDirInUse(config.dataDir) : () => undefined;
  const keyring = loadKeyring(config, log);
  const engine = await createEngineFor(config, log, store.db, keyring);
  await engine.init();
  const services = buildServices(config, log, store, keyring, engine);
  // The HTTP app (every route, its schemas, the OpenAPI document) loads only where it serves:
  // a `worker` never imports it.
  const { createApp } = await import('./app.ts');
  const app = createApp(services);
  const closeMetrics = await serveMetricsPort(config, log);
  if (config.mode === 'queue') logStartupGarbage(log, releaseStartupGarbage());
  // Listen first, then take work: runs resumed after a restart must never keep the server
  // from coming up (and in embedded mode they run on this very event loop).
  let server!: ReturnType<typeof serve>;
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
      log.info({ port: info.port, mode: config.mode, database: store.kind }, 'listening');
      process.stdout.write(`\nKeyflow is running at ${config.publicUrl.replace(`:${config.port}`, `:${info.port}`)}  (${config.mode} mode, ${store.kind})\n\n`);
      resolve();
    });
  });
  if (withWorker || config.mode === 'embedded') {
    engine.startWorker(config.workerConcurrency);
    if (config.mode === 'embedded') {
      await engine.restoreSchedules();
      const resumed = await engine.recoverEmbedded();
      if (resumed) log.info({ runs: resumed }, 'resuming runs interrupted by the last shutdown');
    }
  }
  // With NODE_COMPILE_CACHE (scripts/compile-cache.mjs) the modules loaded so far go to disk now,
  // not only at exit: the next start needs no TypeScript stripper even if this one is killed.
  flushCompileCache();
  onSignals(log, async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await closeMetrics?.();
    await engine.close({ graceMs: 10_000 });
    await services.limits.close();
    await store.close();
    unmark();
  });
}

async function runWorker(config: Config): Promise<void> {
  if (config.mode !== 'queue') throw new ConfigError('REDIS_URL', 'is required for a separate worker; without it "keyflow start" runs the worker in-process');
  const log = createLogger(config);
  const store = await openStore(config, log, 'require');
  const keyring = loadKeyring(config, log);
  const engine = await createEngineFor(config, log, store.db, keyring);
  await engine.init();
  logStartupGarbage(log, releaseStartupGarbage());
  engine.startWorker(config.workerConcurrency);
  log.info({ concurrency: config.workerConcurrency, pid: process.pid }, 'worker started');
  trackCredentialHealth(store.db);
  const closeMetrics = await serveMetricsPort(config, log);
  flushCompileCache();
  onSignals(log, async () => {
    await closeMetrics?.();
    await engine.close({ graceMs: 10_000 });
    await store.close();
  });
}

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  if (i === -1) return fallback;
  const n = Number(args[i + 1]);
  if (!Number.isSafeInteger(n) || n < 0) throw new ConfigError(name, `must be a whole number, got "${String(args[i + 1]).slice(0, 20)}"`);
  return n;
}

/** Safe beside a running server and safe to interrupt: each row is written only if unchanged since read. */
async function rotateKeys(config: Config, args: string[]): Promise<void> {
  // Never the embedded key file: creating a key here would leave every secret undecryptable.
  if (!config.encryptionKeys) throw new ConfigError('KEYFLOW_ENCRYPTION_KEYS', 'must list the new key first, then the old one(s): "new,old"');
  const keyring = Keyring.fromEnv(config.encryptionKeys);
  const [primary] = parseKeyList(config.encryptionKeys, 'KEYFLOW_ENCRYPTION_KEYS');
  const batchSize = Math.max(1, flag(args, '--batch-size', 100));
  const pauseMs = flag(args, '--pause-ms', 0);
  const store = await openStore(config, createLogger({ logLevel: 'warn' }), 'require');
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`rotating to key ${keyring.primaryKeyId} (keyring: ${keyring.keyIds.join(', ')})`);
  try {
    const s = await rotateCredentials(store.db, keyring, {
      batchSize,
      pauseMs,
      ...(primary ? { primaryOnly: new Keyring([primary.key]) } : {}),
      onProgress: (p) => out(`${p.table}: batch ${p.batches}, ${p.rotated} rotated, ${p.changed} changed meanwhile, ${p.failed} failed`),
    });
    for (const f of s.failures) out(`failed to decrypt: ${f.table} row ${f.id} (no key in KEYFLOW_ENCRYPTION_KEYS opens it)`);
    out(`done: ${s.rotated} rotated, ${s.skipped} skipped (already on ${keyring.primaryKeyId}), ${s.changed} changed meanwhile, ${s.failed} failed; ${s.remaining} credential(s) not on ${keyring.primaryKeyId}`);
    if (s.changed > 0) out('rows changed during the run were left as written; run "keys rotate" again to finish them');
    if (s.failed > 0 || s.remaining > 0) process.exitCode = 1;
  } finally {
    await store.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, sub] = argv;
  if (command === 'keys' && sub === 'generate') {
    process.stdout.write(`${generateKey()}\n`);
    return;
  }
  const config = loadConfig();
  if (command === 'keys' && sub === 'rotate') return rotateKeys(config, argv.slice(2));
  switch (command) {
    case 'start':
      return runServer(config, 'apply', true);
    case 'server':
      return runServer(config, 'require', false);
    case 'worker':
      return runWorker(config);
    case 'backup':
    case 'restore': {
      const file = argv[1];
      if (!file || file.startsWith('--')) throw new ConfigError(command, 'needs a file: keyflow ' + command + ' <file>');
      const target = { databaseUrl: config.databaseUrl, dataDir: config.dataDir };
      const h = command === 'backup' ? await backup(target, file) : await restore(target, file, { force: argv.includes('--force') });
      process.stdout.write(`${command === 'backup' ? 'backed up' : 'restored'} ${h.kind} database at schema ${h.schema} ${command === 'backup' ? 'to' : 'from'} ${file}\n`);
      if (command === 'restore') process.stdout.write('next: "keyflow migrate" brings it up to this version\'s schema; the server needs the same master keys as the source\n');
      return;
    }
    case 'migrate': {
      const store = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
      const ran = await migrateToLatest(store.db);
      process.stdout.write(ran.length ? `applied: ${ran.join(', ')}\n` : 'database is up to date\n');
      await store.close();
      return;
    }
    default:
      process.stderr.write(`${usage}\n`);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`keyflow: configuration error: ${err.message}\n`);
  } else {
    process.stderr.write(`keyflow: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(1);
});
