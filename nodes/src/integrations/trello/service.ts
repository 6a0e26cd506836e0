// The bridge from a Trello node's context to its client.
import { NonRetriableNodeError, type NodeContext } from '../../contract/index.ts';
import { callService, serviceBaseUrl, type ServiceCall } from '../framework/index.ts';
import { TrelloClient } from './client.ts';
import { trelloSpec, trelloSubject } from './spec.ts';

/** The service call of a Trello node's run(): the lent credential, the operator's base URL, the run's signal. */
export function trelloCall(ctx: NodeContext<unknown>, fetchImpl: typeof globalThis.fetch = globalThis.fetch): ServiceCall {
  if (!ctx.credential) throw new NonRetriableNodeError('no Trello credential: save your API key and token under Keys as "<API key>:<token>"');
  if (ctx.credential.provider !== trelloSpec.service) throw new NonRetriableNodeError(`credential ${ctx.credential.id} is a ${ctx.credential.provider} credential, not a Trello one`);
  return { credential: ctx.credential, baseUrl: serviceBaseUrl(trelloSpec, ctx.services), signal: ctx.signal, log: ctx.log, fetch: fetchImpl };
}

/** Runs `fn` with a client, mapping Trello's failures into the engine's error classes. */
export function withTrello<T>(call: ServiceCall, fn: (client: TrelloClient) => Promise<T>): Promise<T> {
  return callService(call, trelloSubject, (c) => fn(new TrelloClient(c)));
}
