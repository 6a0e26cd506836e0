// One Slack Web API method call through the SDK, with the framework's rules: the lent token,
// the allowed host, Slack's failures classified, one token refresh on a refused OAuth token.
import type { NodeContext } from '../../contract/index.ts';
import { callService, serviceCall, type ServiceCall } from '../framework/index.ts';
import { slackClient } from './client.ts';
import { rethrowSlack } from './errors.ts';
import { slackSpec, slackSubject } from './spec.ts';

export type SlackResult = Record<string, unknown> & { ok: boolean };

/** Calls `method` with `args` (undefined values dropped); `what` names the call's targets for not-found messages. */
export async function slackApi(call: ServiceCall, method: string, args: Record<string, unknown>, what?: Record<string, string>): Promise<SlackResult> {
  const clean = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
  return callService(call, slackSubject, async (c) => {
    try {
      return (await (await slackClient(c)).apiCall(method, clean)) as SlackResult;
    } catch (err) {
      rethrowSlack(err, what);
    }
  });
}

/** The service call of a Slack node's run(). */
export function slackCall(ctx: NodeContext<unknown>, fetchImpl?: typeof globalThis.fetch): ServiceCall {
  return serviceCall(ctx, slackSpec, fetchImpl);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
