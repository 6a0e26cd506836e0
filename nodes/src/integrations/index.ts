export * from './framework/index.ts';
export { findIntegration, findOptionList, integrationNodes, integrationOfNode, integrations } from './registry.ts';
export { slackIntegration } from './slack/index.ts';
export { trelloIntegration } from './trello/index.ts';
