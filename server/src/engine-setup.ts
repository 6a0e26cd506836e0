// Builds the engine for a process: BullMQ + Redis pub/sub when REDIS_URL is set, else the
// in-process queue and bus (the embedded mode). Same executor either way.
import type { Logger } from 'pino';
import { AlertService, metrics, openDatabase, aiBaseUrls, BullRunQueue, createAiBreaker, createAiFactory, createCredentialLender, createProviders, createSafeFetch, Engine, InProcessEventBus, InProcessQueue, nodeFetch, parseAllowList, RedisEventBus, createOAuthRefresher, serviceSettings, startConnectionChecks, type Config, type Db } from '@keyflow/engine';
import type { Keyring } from '@keyflow/engine/vault';

export async function createEngineFor(config: Config, log: Logger, db: Db, keyring: Keyring): Promise<Engine> {
  // Checkpoints on their own pool that commits asynchronously: worker deaths lose nothing,
  // only a crash of Postgres itself could (see openDatabase). KEYFLOW_CHECKPOINT_COMMIT=sync opts out.
  const checkpoints = config.databaseUrl && config.checkpointCommit === 'async' ? await openDatabase({ url: config.databaseUrl, poolSize: 10, asyncCommit: true }) : undefined;
  const queue = config.redisUrl ? new BullRunQueue({ url: config.redisUrl, name: config.queueName, lockDurationMs: config.queueLockMs }) : new InProcessQueue();
  metrics.trackQueue(() => queue.counts());
  const bus = config.redisUrl ? new RedisEventBus(config.redisUrl, config.queueName) : new InProcessEventBus();
  const safeFetch = createSafeFetch({ allow: parseAllowList(config.httpAllow) });
  // One breaker per process, shared by every owner's runs (the cool-down alerts read it).
  const breaker = createAiBreaker(db);
  const ai = createAiFactory({ db, keyring, breaker, providers: createProviders({ baseUrls: aiBaseUrls(config.serviceBaseUrls) }) });
  // OAuth access tokens are refreshed before they expire and once on a 401, one refresh per credential at a time.
  const lender = { oauth: createOAuthRefresher({ db, keyring, config }) };
  const services = serviceSettings(config.serviceBaseUrls);
  // Alerts: run failures and spend when a run ends here, invalid keys and long cool-downs every minute.
  const alerts = new AlertService({
    db, keyring, log: log.child({ component: 'alerts' }), publicUrl: config.publicUrl, fetch: safeFetch, slack: { lender, settings: services },
    ...(config.smtp ? { smtp: config.smtp } : {}), coolingDown: (minMs) => breaker.coolingDown(minMs),
  });
  alerts.start();
  // Every process that runs the engine keeps connection health current; claims keep it to one check per credential.
  const stopChecks = startConnectionChecks({ db, keyring, lender, settings: services }, { intervalMinutes: config.connectionCheckMinutes, log: log.child({ component: 'connections' }) });
  const onClose = async () => {
    stopChecks();
    await alerts.stop();
    await checkpoints?.close();
  };
  return new Engine({
    db, queue, bus, onClose, onRunFinished: alerts.onRunFinished,
    ...(checkpoints ? { checkpointDb: checkpoints.db } : {}), log: log.child({ component: 'engine' }), fetch: nodeFetch(safeFetch), credentials: createCredentialLender(db, keyring, lender), services, ai,
    retention: { days: config.retentionDays, keepPerWorkflow: config.retentionPerWorkflow },
    maxRunSteps: config.maxRunSteps, maxRunBytes: config.maxRunBytes, maxOutputBytes: config.maxStepOutputBytes, maxCrashes: config.maxRunCrashes,
    // Webhook "wait" runs executed at once, written claimed: in queue mode under a lease (a worker
    // resumes the run if this server dies); embedded mode has no other process to hand a run to,
    // so no lease (its restart resumes runs left running), and it saves the claim statement.
    inlineRuns: config.inlineRuns, inlineLeaseMs: config.redisUrl ? config.queueLockMs : null,
  });
}
