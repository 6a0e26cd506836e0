import type { Logger } from 'pino';
import type { Db } from '@keyflow/engine';
import type { Config } from '@keyflow/engine';

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
  readiness: () => Promise<Record<string, 'ok' | string>>;
}

export interface AppEnv {
  Variables: {
    services: Services;
    log: Logger;
    requestId: string;
    user: AuthUser | undefined;
  };
}
