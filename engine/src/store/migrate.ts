// Applies and inspects the migrations of @keyflow/migrations on either database.
import { Migrator, NO_MIGRATIONS, type MigrationResultSet } from 'kysely/migration';
import { migrations } from '@keyflow/migrations';
import type { Db } from './database.ts';

function migrator(db: Db): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

function unwrap(result: MigrationResultSet): string[] {
  if (result.error) throw new Error(`migration failed: ${result.error instanceof Error ? result.error.message : String(result.error)}`, { cause: result.error });
  return (result.results ?? []).map((r) => `${r.direction} ${r.migrationName}`);
}

/** Brings the schema to the newest migration; returns what ran. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  return unwrap(await migrator(db).migrateToLatest());
}

/** Undoes every migration (tests and `keyflow migrate --down-all`). */
export async function migrateDownAll(db: Db): Promise<string[]> {
  return unwrap(await migrator(db).migrateTo(NO_MIGRATIONS));
}

/** Names of migrations not yet applied. The server refuses to start while any remain. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const all = await migrator(db).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}
