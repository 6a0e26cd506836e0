// A Keyflow app on a fresh database, driven with app.request (no port), plus helpers to sign
// up users and call the API as them with a bearer token.
import pino, { type Logger } from 'pino';
import { loadConfig, openDatabase, type ProviderClient, type ProviderId } from '@keyflow/engine';
import { generateKey, Keyring } from '@keyflow/engine/vault';
import { createPgliteDatabase, createPostgresDatabase, type TestDatabase } from '@keyflow/engine/testing';
import { createApp } from '../src/app.ts';
import type { Engine } from '@keyflow/engine';
import { buildServices } from '../src/services.ts';
import { createEngineFor } from '../src/engine-setup.ts';

export interface TestApp {
  db: TestDatabase;
  app: ReturnType<typeof createApp>;
  /** The app's keyring, so tests can check what is sealed at rest. */
  keyring: Keyring;
  engine: Engine;
  request(method: string, path: string, opts?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<Response>;
  signup(email?: string): Promise<{ id: string; email: string; token: string }>;
  close(): Promise<void>;
}

let counter = 0;

export interface TestAppOptions {
  /** Stand-ins for the AI provider clients (e.g. scripted testKey outcomes). */
  providers?: Partial<Record<ProviderId, ProviderClient>>;
  /** A logger to capture, e.g. to scan for leaked secrets; silent by default. */
  log?: Logger;
  /**
   * Postgres only: the URL the app connects to instead of the test database's own (e.g. a
   * relay the test can cut). Migrations and the test's own queries still use the direct URL.
   */
  connectVia?: (url: string) => string;
  /** PGlite only: keep the database on disk in this data folder instead of in memory. */
  dataDir?: string;
  /** The master key text (KEYFLOW_ENCRYPTION_KEYS); a fresh key by default. */
  encryptionKeys?: string;
}

export async function createTestApp(kind: 'postgres' | 'pglite' = 'postgres', env: Record<string, string> = {}, opts: TestAppOptions = {}): Promise<TestApp> {
  const db = kind === 'postgres' ? await createPostgresDatabase() : await createPgliteDatabase(opts.dataDir ? { dataDir: opts.dataDir } : {});
  const appUrl = db.url && opts.connectVia ? opts.connectVia(db.url) : db.url;
  const appDb = appUrl !== db.url ? await openDatabase({ url: appUrl, poolSize: 5 }) : db;
  // The app's own database is the test database, in the config too (checkpoint pool, readiness).
  const config = loadConfig({ KEYFLOW_DATA_DIR: '/tmp/keyflow-test', LOG_LEVEL: 'silent', ...env, ...(appUrl ? { DATABASE_URL: appUrl } : {}) });
  const keyring = Keyring.fromEnv(opts.encryptionKeys ?? generateKey());
  const log = opts.log ?? pino({ level: 'silent' });
  const engine = await createEngineFor(config, log, appDb.db, keyring);
  await engine.init();
  engine.startWorker(config.workerConcurrency);
  const services = buildServices(config, log, appDb, keyring, engine);
  const app = createApp({ ...services, providers: { ...services.providers, ...opts.providers } });
  const request: TestApp['request'] = (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.rawBody !== undefined) body = opts.rawBody;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    return Promise.resolve(app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) }));
  };
  return {
    db,
    app,
    keyring,
    request,
    async signup(email) {
      const address = email ?? `user${++counter}-${Date.now()}@example.test`;
      const res = await request('POST', '/api/auth/signup', { body: { email: address, password: 'correct horse battery' } });
      if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${await res.text()}`);
      const { user, csrfToken } = (await res.json()) as { user: { id: string }; csrfToken: string };
      const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
      const tok = await request('POST', '/api/tokens', { body: { name: 'tests' }, headers: { cookie, 'x-csrf-token': csrfToken } });
      const { token } = (await tok.json()) as { token: string };
      return { id: user.id, email: address, token };
    },
    engine,
    async close() {
      await engine.close({ graceMs: 1000 });
      await services.limits.close();
      if (appDb !== db) await appDb.close();
      await db.drop();
    },
  };
}

/** A minimal valid graph: manual trigger → transform. */
export function sampleGraph(greeting = 'Hello') {
  return {
    nodes: [
      { id: 'start', type: 'core.manual', version: 1, name: 'Start', config: {}, position: { x: 0, y: 0 } },
      { id: 'shape', type: 'core.transform', version: 1, config: { fields: [{ name: 'greeting', value: `${greeting} {{ $trigger.body.name }}` }] }, position: { x: 240, y: 0 } },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'shape' }],
  };
}
