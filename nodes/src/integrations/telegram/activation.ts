// Activating a workflow with telegram.message points the bot's webhook at the workflow's callback
// URL (setWebhook) with a fresh random secret_token, returned to the server to store sealed as
// the trigger's secret. A bot has one webhook: the last activated workflow owns it. Deactivation
// deletes it only while it is still this workflow's (getWebhookInfo), so deactivating an older
// workflow does not cut off the newer one.
import { z } from 'zod';
import { randomSecret, ServiceProblemError, type ServiceCall, type TriggerActivation } from '../framework/index.ts';
import { telegramMethod, withTelegram } from './client.ts';
import { allowedUpdates, telegramMessageConfig } from './message.trigger.ts';

const webhookInfo = z.looseObject({ url: z.string() });

async function activate(call: ServiceCall, args: { config: unknown; callbackUrl: string }): Promise<{ externalId: string; secret: string }> {
  const parsed = telegramMessageConfig.safeParse(args.config);
  if (!parsed.success) throw new ServiceProblemError({ kind: 'validation', message: `invalid telegram.message config: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
  // 1–256 of A-Z a-z 0-9 _ - (Telegram's rule): base64url of 32 random bytes is 43 of them.
  const secret = randomSecret(32);
  await withTelegram(call, (c) => telegramMethod(c, 'setWebhook', { url: args.callbackUrl, secret_token: secret, allowed_updates: allowedUpdates(parsed.data) }));
  return { externalId: args.callbackUrl, secret };
}

async function deactivate(call: ServiceCall, args: { config: unknown; externalId: string }): Promise<void> {
  await withTelegram(call, async (c) => {
    const info = webhookInfo.safeParse(await telegramMethod(c, 'getWebhookInfo', {}));
    if (info.success && info.data.url !== args.externalId) return;
    await telegramMethod(c, 'deleteWebhook', {});
  });
}

export const telegramMessageActivation: TriggerActivation = { activate, deactivate };
