// Builds the engine for a process: BullMQ + Redis pub/sub when REDIS_URL is set, else the
// in-process queue and bus (the embedded mode). Same executor either way.
import type { Logger } from 'pino';
import { aiBaseUrls, BullRunQueue, createAiFactory, createCredentialLender, createProviders, createSafeFetch, Engine, InProcessEventBus, InProcessQueue, nodeFetch, parseAllowList, RedisEventBus, type Config, type Db } from '@keyflow/engine';
import type { Keyring } from '@keyflow/engine/vault';

export function createEngineFor(config: Config, log: Logger, db: Db, keyring: Keyring): Engine {
  const queue = config.redisUrl ? new BullRunQueue({ url: config.redisUrl, name: config.queueName, lockDurationMs: config.queueLockMs }) : new InProcessQueue();
  const bus = config.redisUrl ? new RedisEventBus(config.redisUrl) : new InProcessEventBus();
  const safeFetch = createSafeFetch({ allow: parseAllowList(config.httpAllow) });
  // One breaker per process (createAiFactory's default), shared by every owner's runs.
  const ai = createAiFactory({ db, keyring, providers: createProviders({ baseUrls: aiBaseUrls(config.serviceBaseUrls) }) });
  return new Engine({
    db, queue, bus, log: log.child({ component: 'engine' }), fetch: nodeFetch(safeFetch), credentials: createCredentialLender(db, keyring), ai,
    retention: { days: config.retentionDays, keepPerWorkflow: config.retentionPerWorkflow },
  });
}
