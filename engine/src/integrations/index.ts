export { serviceNameOf, serviceSettings } from './service-settings.ts';
export { checkConnection, hasIdentityCheck, type CheckDeps, type CheckResult } from './check-connection.ts';
export { nextCheckAt, runDueChecks, startConnectionChecks, type PeriodicOptions } from './periodic-checks.ts';
