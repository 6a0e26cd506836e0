// `keyflow <command>`: start (all in one, the embedded default), server, worker, migrate, keys.
import { serve } from '@hono/node-server';
import { ConfigError, loadConfig, migrateToLatest, openDatabase, type Config } from '@keyflow/engine';
import { generateKey } from '@keyflow/engine/vault';
import { createApp } from './app.ts';
import { buildServices, createLogger, loadKeyring, openStore } from './services.ts';

const usage = `usage: keyflow <command>
  start      API server and worker in one process (embedded default without DATABASE_URL/REDIS_URL)
  server     API server only (refuses a database that is behind)
  worker     run workflow jobs (queue mode)
  migrate    apply database migrations
  keys generate   print a new encryption key for KEYFLOW_ENCRYPTION_KEYS`;

async function runServer(config: Config, migrate: 'apply' | 'require'): Promise<void> {
  const log = createLogger(config);
  const store = await openStore(config, log, migrate);
  const keyring = loadKeyring(config, log);
  const app = createApp(buildServices(config, log, store, keyring));
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    log.info({ port: info.port, mode: config.mode, database: store.kind }, 'listening');
    process.stdout.write(`\nKeyflow is running at ${config.publicUrl.replace(`:${config.port}`, `:${info.port}`)}  (${config.mode} mode, ${store.kind})\n\n`);
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close(async () => {
      await store.close();
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

async function main(argv: string[]): Promise<void> {
  const [command, sub] = argv;
  if (command === 'keys' && sub === 'generate') {
    process.stdout.write(`${generateKey()}\n`);
    return;
  }
  const config = loadConfig();
  switch (command) {
    case 'start':
      return runServer(config, 'apply');
    case 'server':
      return runServer(config, 'require');
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
