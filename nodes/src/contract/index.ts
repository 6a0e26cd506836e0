// The node contract: what a node declares, what it receives, what it returns.
//
// How the executor treats a definition (the full rules sit beside each type):
// - Readiness: a node runs once every edge into its 'main' input is settled (done or
//   skipped). Only nodes reachable from the trigger run. A node all of whose inputs were
//   skipped is skipped.
// - Config: resolve expressions in node.config, then parseNodeConfig(def, resolved); a
//   failure is a NonRetriableNodeError. Pass the parsed value as ctx.config.
// - Handles: an edge's null/absent sourceHandle or targetHandle means MAIN_HANDLE.
//   condition/switch results name the one output handle that continues; edges out of the
//   other handles are skipped (nodeOutputs(def, config) lists a switch's handles).
// - Results by def.kind (NodeResultByKind; guard with checkNodeResult): trigger, action,
//   merge → { output }; condition/switch → { output, branch }; loop → { items, concurrency };
//   delay → { output, resumeAt } (park the run); respond → { output, response }.
// - Errors: toNodeError(thrown); retry while `retryable` and attempts < def.retry.maxAttempts,
//   waiting RetryAfterNodeError.retryAfterMs when given; def.timeoutMs aborts ctx.signal.
// - Credentials: if def.credential is set and not optional and the owner has none, fail the
//   step with a NonRetriableNodeError before run(). A CredentialRejectedError marks the
//   credential invalid. ctx.services carries the operator's integration settings (base URLs).
export type { AiCompleteRequest, AiCompleteResult, AiDecision, AiFacade, MergeInput, NodeContext, NodeCredential, NodeLogger, RunInfo, SafeFetch, SafeFetchInit, SafeFetchResponse, ServiceSettings } from './context.ts';
export {
  checkHandles,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT_MS,
  defineNode,
  NODE_TYPE_PATTERN,
  nodeOutputs,
  parseNodeConfig,
  toIssuePath,
  zodIssues,
} from './define-node.ts';
export type { AnyNodeDefinition, ConfigIssue, CredentialRequirement, HandleSpec, HandlesOf, NodeCategory, NodeDefinition, NodeDefinitionInput, NodeExample, RetryPolicy } from './define-node.ts';
export { describeNode } from './describe-node.ts';
export type { NodeDescriptor } from './describe-node.ts';
export { CredentialRejectedError, NodeError, NonRetriableNodeError, RetryAfterNodeError, toNodeError } from './errors.ts';
export type { NodeErrorOptions } from './errors.ts';
export { DEFAULT_HANDLE, FALSE_HANDLE, HANDLE_PATTERN, handleOf, LOOP_BACK_HANDLE, LOOP_DONE_HANDLE, LOOP_ITEM_HANDLE, MAIN_HANDLE, TRUE_HANDLE } from './handles.ts';
export { createNodeRegistry } from './registry.ts';
export type { NodeRegistry } from './registry.ts';
export { checkNodeResult, NODE_KINDS } from './results.ts';
export type { ConditionResult, DelayResult, LoopResult, NodeKind, NodeResult, NodeResultByKind, OutputResult, RespondResult, SwitchResult } from './results.ts';
export { createTestContext, TEST_NOW } from './test-context.ts';
export type { LogEntry, TestContext } from './test-context.ts';
