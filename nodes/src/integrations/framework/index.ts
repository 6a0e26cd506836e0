// The integration framework: what every integration under nodes/src/integrations/<service>/
// builds on. See ../README.md for the layout and the rules.
export { apiUrl, isAllowedApiUrl, pathSegment, serviceBaseUrl } from './base-url.ts';
export { callService, keyAndToken, serviceCall, serviceCallFor } from './call.ts';
export { problemToNodeError, retryAfterMs, scrubSecret, ServiceProblemError } from './errors.ts';
export type { ErrorSubject, ProblemKind, ServiceProblem } from './errors.ts';
export { defineIntegration, nodePrefixesOf } from './types.ts';
export type { CredentialKind, Identity, InboundDecision, InboundRequest, InboundWebhook, Integration, OAuthSpec, OptionItem, OptionList, OptionPage, OptionQuery, PollItem, PollResult, PollTrigger, ServiceCall, TriggerActivation } from './types.ts';
export { credentialIdField } from './config-fields.ts';
export { formatTimeCursor, KNOWN_CAP, parseTimeCursor, scanTimed, startTimeCursor, windowStart } from './time-cursor.ts';
export type { TimeCursor, TimedItem, TimeScan } from './time-cursor.ts';
export { polledTriggerNode } from './polled-trigger.ts';
export { networkReason, requestJson } from './json-request.ts';
export type { FailureClassifier, JsonRequest } from './json-request.ts';
export { constantTimeEqual, randomSecret } from './secret-compare.ts';
export { bearerFailure, bearerRequest } from './bearer-json.ts';
export { deliveredEvent } from './delivered-event.ts';
