// The bridge from an Asana node's context to its client.
import type { NodeContext } from '../../contract/index.ts';
import { callService, serviceCall, type ServiceCall } from '../framework/index.ts';
import { asanaClient, type AsanaClient } from './client.ts';
import { asanaSpec, asanaSubject } from './spec.ts';

export function asanaCall(ctx: NodeContext<unknown>): ServiceCall {
  return serviceCall(ctx, asanaSpec);
}

/** Runs `fn` with a client, mapping Asana's failures into the engine's error classes (refreshing OAuth once on 401). */
export function withAsana<T>(call: ServiceCall, fn: (client: AsanaClient) => Promise<T>): Promise<T> {
  return callService(call, asanaSubject, async (c) => fn(await asanaClient(c)));
}
