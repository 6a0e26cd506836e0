// Builds what the server and worker share from the config: database, logger, keyring.
import pino, { type Logger } from 'pino';
import { aiBaseUrls, ConfigError, MemoryLimitStore, RedisLimitStore, createOAuthRefresher, createProviders, serviceSettings, type Engine, openDatabase, pendingMigrations, migrateToLatest, type Config, type DatabaseHandle } from '@keyflow/engine';
import { Keyring, loadOrCreateEmbeddedKey } from '@keyflow/engine/vault';
import type { Services } from './http/types.ts';

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'keyflow' },
    // Defence in depth; secrets are Secret objects that print masked anyway.
    redact: { paths: ['password', '*.password', 'secret', '*.secret', 'token', '*.token', 'headers.authorization', 'headers.cookie', '*.apiKey'], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

/** Opens the database; `migrate: 'apply'` brings it up to date, `'require'` refuses a database that is behind. */
export async function openStore(config: Config, log: Logger, migrate: 'apply' | 'require'): Promise<DatabaseHandle> {
  const handle = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  if (migrate === 'apply') {
    const ran = await migrateToLatest(handle.db);
    if (ran.length) log.info({ migrations: ran }, 'database migrated');
  } else {
    const pending = await pendingMigrations(handle.db);
    if (pending.length) {
      await handle.close();
      throw new ConfigError('DATABASE_URL', `the database is behind by ${pending.length} migration(s) (${pending.join(', ')}); run "npm run keyflow -- migrate" first`);
    }
  }
  return handle;
}

/** The master keyring. Embedded mode may create a key in the data folder; queue mode must be given one. */
export function loadKeyring(config: Config, log: Logger): Keyring {
  if (config.encryptionKeys) return Keyring.fromEnv(config.encryptionKeys);
  if (config.mode === 'queue' || config.databaseUrl) {
    throw new ConfigError('KEYFLOW_ENCRYPTION_KEYS', 'is required with DATABASE_URL (generate one with "npm run keyflow -- keys generate")');
  }
  const { value, created } = loadOrCreateEmbeddedKey(config.dataDir);
  if (created) log.warn({ dataDir: config.dataDir }, 'generated an encryption key in the data folder (readable by this user only); set KEYFLOW_ENCRYPTION_KEYS to manage it yourself');
  return Keyring.fromEnv(value);
}

export function buildServices(config: Config, log: Logger, store: DatabaseHandle, keyring: Keyring, engine: Engine): Services {
  return {
    db: store.db,
    engine,
    config,
    log,
    keyring,
    providers: createProviders({ baseUrls: aiBaseUrls(config.serviceBaseUrls) }),
    integrations: { db: store.db, keyring, lender: { oauth: createOAuthRefresher({ db: store.db, keyring, config }) }, settings: serviceSettings(config.serviceBaseUrls) },
    limits: config.redisUrl ? new RedisLimitStore(config.redisUrl, config.queueName) : new MemoryLimitStore(),
    readiness: async () => {
      const checks: Record<string, string> = {};
      try {
        await store.db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
        checks.database = 'ok';
      } catch {
        checks.database = 'unreachable';
      }
      if (config.mode === 'queue') checks.redis = (await engine.queue.ping()) ? 'ok' : 'unreachable';
      return checks;
    },
  };
}
