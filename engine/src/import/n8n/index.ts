// Import from n8n: an export → a Keyflow graph plus a report of what mapped and what did not.
export { importN8nWorkflow } from './import-n8n.ts';
export type { CredentialToConnect, ImportOptions, ImportReport, ImportResult, NodeReport } from './import-n8n.ts';
export { translateSegment, translateString } from './expressions.ts';
export { IMPORT_LIMITS } from './limits.ts';
