// Telegram: the Bot API over one small client (client.ts; the token travels in the URL path),
// a bot-token credential, the telegram.message trigger (setWebhook with a secret_token on
// activation) and the send_message / send_photo actions. The layout follows ../README.md.
import { defineIntegration } from '../framework/index.ts';
import { telegramMessageActivation } from './activation.ts';
import { telegramIdentity } from './identity.ts';
import { telegramMessageInbound, telegramMessageTrigger } from './message.trigger.ts';
import { sendMessageNode, sendPhotoNode } from './send.node.ts';
import { telegramSpec } from './spec.ts';

export const telegramIntegration = defineIntegration({
  service: telegramSpec.service,
  title: telegramSpec.title,
  credentialKinds: ['token'],
  defaultBaseUrl: telegramSpec.defaultBaseUrl,
  apiHosts: telegramSpec.apiHosts,
  identity: telegramIdentity,
  options: {},
  nodes: [telegramMessageTrigger, sendMessageNode, sendPhotoNode],
  inbound: { 'telegram.message': telegramMessageInbound },
  activations: { 'telegram.message': telegramMessageActivation },
});

export { BOT_TOKEN } from './spec.ts';
export { receiveTelegramUpdate, SECRET_TOKEN_HEADER, toTelegramEvent, verifyTelegramDelivery } from './message.trigger.ts';
export { sendMessageNode, sendPhotoNode, telegramMessageTrigger };
