// Health: users.me is Notion's cheapest call that proves a secret works (it names the bot).
import { callService, type Identity, type ServiceCall } from '../framework/index.ts';
import { notionClient } from './client.ts';
import { notionCall } from './errors.ts';
import { notionSubject } from './spec.ts';

export async function notionIdentity(call: ServiceCall): Promise<Identity> {
  return callService(call, notionSubject, async (c) => {
    const me = await notionCall({ what: 'the integration' }, () => notionClient(c).users.me({}));
    const workspace = me.type === 'bot' && me.bot && 'workspace_name' in me.bot ? me.bot.workspace_name : undefined;
    const name = [workspace, me.name].filter((s): s is string => typeof s === 'string' && s !== '').join(' / ');
    return { name: name || 'Notion', accountId: me.id };
  });
}
