// One Notion SDK call with the framework's rules: the lent secret, the allowed host, Notion's
// failures classified (naming what and which capability), one refresh on a refused OAuth token.
import type { Client } from '@notionhq/client';
import type { NodeContext } from '../../contract/index.ts';
import { callService, serviceCall, type ServiceCall } from '../framework/index.ts';
import { notionClient } from './client.ts';
import { notionCall, type NotionTarget } from './errors.ts';
import { notionSpec, notionSubject } from './spec.ts';

/** The service call of a Notion node's run(). */
export function notionServiceCall(ctx: NodeContext<unknown>, fetchImpl?: typeof globalThis.fetch): ServiceCall {
  return serviceCall(ctx, notionSpec, fetchImpl);
}

/**
 * Runs `fn` with a client for `call`. The client is built inside, so a refreshed OAuth token
 * is the one the retry sends.
 */
export function notionApi<T>(call: ServiceCall, target: NotionTarget, fn: (client: Client) => Promise<T>): Promise<T> {
  return callService(call, notionSubject, (c) => notionCall(target, () => fn(notionClient(c))));
}

/** Like notionApi for work that makes several calls and classifies its own failures. */
export function withNotion<T>(call: ServiceCall, fn: (client: Client) => Promise<T>): Promise<T> {
  return callService(call, notionSubject, (c) => fn(notionClient(c)));
}
