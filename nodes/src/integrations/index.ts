export * from './framework/index.ts';
export { findActivation, findInbound, findIntegration, findOptionList, findPoll, integrationNodes, integrationOfNode, integrations, webhookTriggerTypes } from './registry.ts';
export { notionIntegration } from './notion/index.ts';
export { slackIntegration } from './slack/index.ts';
export { trelloIntegration } from './trello/index.ts';
export { googleIntegration } from './google/index.ts';
export { looksLikeServiceAccountKey, serviceAccountKeyProblem } from './google/service-account.ts';
export { slackApi } from './slack/call-slack.ts';
