import type { Logger } from 'pino';
import type { CheckDeps, Db, Engine, LimitStore, ProviderClient, ProviderId } from '@keyflow/engine';
import type { Config } from '@keyflow/engine';
import type { Keyring } from '@keyflow/engine/vault';

export interface AuthUser {
  id: string;
  email: string;
  via: 'session' | 'token';
  csrfToken?: string;
  sessionToken?: string;
}

/** Everything a request handler may use; built once at start-up. */
export interface Services {
  db: Db;
  config: Config;
  log: Logger;
  /** Seals and opens stored credentials, per owner. */
  keyring: Keyring;
  /** One client per AI provider, for live key tests (and the router). */
  providers: Record<ProviderId, ProviderClient>;
  /** Starts, cancels and watches runs. */
  engine: Engine;
  readiness: () => Promise<Record<string, 'ok' | string>>;
  /** Abuse limits (log-in, sign-up, webhooks): in Redis in queue mode, so every server process shares them. */
  limits: LimitStore;
  /** Integration connections: identity checks and option lists (credential lending with OAuth refresh, base URLs). */
  integrations: CheckDeps;
}

export interface AppEnv {
  Variables: {
    services: Services;
    log: Logger;
    requestId: string;
    user: AuthUser | undefined;
    /** The CSP of a hosted trigger page (core.form, core.chat); unset, a webhook answer gets WEBHOOK_CSP. */
    hostedCsp: string | undefined;
  };
}
