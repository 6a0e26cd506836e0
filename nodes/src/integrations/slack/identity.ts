// Health: auth.test is Slack's cheapest call that proves a token works.
import { callService, type Identity, type ServiceCall } from '../framework/index.ts';
import { slackClient } from './client.ts';
import { rethrowSlack } from './errors.ts';
import { slackSubject } from './spec.ts';

export async function slackIdentity(call: ServiceCall): Promise<Identity> {
  return callService(call, slackSubject, async (c) => {
    try {
      const r = await (await slackClient(c)).auth.test();
      const name = [r.team, r.user].filter((s): s is string => typeof s === 'string' && s !== '').join(' / ');
      return { name: name || 'Slack', ...(r.user_id ? { accountId: r.user_id } : {}) };
    } catch (err) {
      rethrowSlack(err);
    }
  });
}
