export { Engine, type EngineOptions, type Outcome, type StartRun } from './engine.ts';
export { createCredentialLender, openForCheck } from './credential-lender.ts';
export { nodeFetch } from './node-fetch.ts';
