export type { AiCompleteRequest, AiCompleteResult, AiFacade, MergeInput, NodeContext, NodeCredential, NodeLogger, RunInfo, SafeFetch, SafeFetchInit, SafeFetchResponse } from './context.ts';
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
export type { AnyNodeDefinition, ConfigIssue, CredentialRequirement, HandleSpec, HandlesOf, NodeCategory, NodeDefinition, NodeDefinitionInput, RetryPolicy } from './define-node.ts';
export { describeNode } from './describe-node.ts';
export type { NodeDescriptor } from './describe-node.ts';
export { NodeError, NonRetriableNodeError, RetryAfterNodeError, toNodeError } from './errors.ts';
export type { NodeErrorOptions } from './errors.ts';
export { DEFAULT_HANDLE, FALSE_HANDLE, HANDLE_PATTERN, handleOf, LOOP_BACK_HANDLE, LOOP_DONE_HANDLE, LOOP_ITEM_HANDLE, MAIN_HANDLE, TRUE_HANDLE } from './handles.ts';
export { createNodeRegistry } from './registry.ts';
export type { NodeRegistry } from './registry.ts';
export { checkNodeResult, NODE_KINDS } from './results.ts';
export type { ConditionResult, DelayResult, LoopResult, NodeKind, NodeResult, NodeResultByKind, OutputResult, RespondResult, SwitchResult } from './results.ts';
export { createTestContext, TEST_NOW } from './test-context.ts';
export type { LogEntry, TestContext } from './test-context.ts';
