// Trello's facts shared by its nodes, options and identity call, kept apart from index.ts so the
// nodes can use them without importing the integration that lists them.
import { NonRetriableNodeError, type NodeContext } from '../../contract/index.ts';
import { callService, serviceBaseUrl, type ServiceCall } from '../framework/index.ts';
import { TrelloClient } from './client.ts';
import { TRELLO_FIX_AUTH } from './errors.ts';

export const TRELLO = Object.freeze({
  service: 'trello',
  title: 'Trello',
  /** The REST origin; the client adds the API version (`/1/`). */
  defaultBaseUrl: 'https://api.trello.com',
  apiHosts: Object.freeze(['api.trello.com']),
});

const SUBJECT = { title: TRELLO.title, fixAuth: TRELLO_FIX_AUTH };

/** The service call of a Trello node's run(): the lent credential, the operator's base URL, the run's signal. */
export function trelloCall(ctx: NodeContext<unknown>, fetchImpl: typeof globalThis.fetch = globalThis.fetch): ServiceCall {
  if (!ctx.credential) throw new NonRetriableNodeError('no Trello credential: save your API key and token under Keys as "<API key>:<token>"');
  if (ctx.credential.provider !== TRELLO.service) throw new NonRetriableNodeError(`credential ${ctx.credential.id} is a ${ctx.credential.provider} credential, not a Trello one`);
  return { credential: ctx.credential, baseUrl: serviceBaseUrl(TRELLO, ctx.services), signal: ctx.signal, log: ctx.log, fetch: fetchImpl };
}

/** Runs `fn` with a client, mapping Trello's failures into the engine's error classes. */
export function withTrello<T>(call: ServiceCall, fn: (client: TrelloClient) => Promise<T>): Promise<T> {
  return callService(call, SUBJECT, (c) => fn(new TrelloClient(c)));
}
