// The health check's identity call: getMe, the cheapest call that proves the bot token works.
import { z } from 'zod';
import { NodeError } from '../../contract/index.ts';
import type { Identity, ServiceCall } from '../framework/index.ts';
import { telegramMethod, withTelegram } from './client.ts';

const me = z.looseObject({ id: z.number(), is_bot: z.boolean().optional(), first_name: z.string(), username: z.string().optional() });

export async function telegramIdentity(call: ServiceCall): Promise<Identity> {
  const parsed = me.safeParse(await withTelegram(call, (c) => telegramMethod(c, 'getMe', {})));
  if (!parsed.success) throw new NodeError('Telegram answered getMe with something that is not a bot', { details: { service: 'telegram' } });
  const { id, first_name, username } = parsed.data;
  return { name: username ? `${first_name} (@${username})` : first_name, accountId: String(id) };
}
