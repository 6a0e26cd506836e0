// Kysely migrations and the Database row types. Imports nothing of ours.
import type { Migration } from 'kysely';
import * as m0001 from './m0001-init.ts';
import * as m0003 from './m0003-engine.ts';

export type * from './database.ts';

/** Every migration, in order. Names sort lexically; never rename or edit a shipped one. */
export const migrations: Record<string, Migration> = {
  '0001_init': m0001,
  '0003_engine': m0003,
};
