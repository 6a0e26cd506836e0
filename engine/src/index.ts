// The engine's Node-side face: errors, config, the store. The browser-safe face is ./graph.
export * from './errors.ts';
export * from './config.ts';
export { openDatabase, type Db, type DatabaseHandle } from './store/database.ts';
export { migrateToLatest, migrateDownAll, pendingMigrations } from './store/migrate.ts';
export * as users from './store/users.repo.ts';
export * as workflows from './store/workflows.repo.ts';
export * as credentials from './store/credentials.repo.ts';
export * as settings from './store/settings.repo.ts';
export * as usage from './store/usage.repo.ts';
export { ProviderError, providerIds, type ProviderClient, type ProviderCredential, type ProviderErrorKind, type ProviderId } from './ai/types.ts';
export { createProviders } from './ai/providers/index.ts';
