// Telegram Bot API's fixed facts. Every method is `POST https://api.telegram.org/bot<token>/<method>`
// with a JSON body, answering `{ ok: true, result }` or `{ ok: false, error_code, description,
// parameters?: { retry_after } }` (https://core.telegram.org/bots/api#making-requests). The bot
// token is part of the URL path, so a request URL is a secret: client.ts never logs it or puts it
// in an error. Webhooks: setWebhook's `secret_token` comes back on every delivery in
// `X-Telegram-Bot-Api-Secret-Token` (https://core.telegram.org/bots/api#setwebhook).
export const telegramSpec = {
  service: 'telegram',
  title: 'Telegram',
  defaultBaseUrl: 'https://api.telegram.org',
  apiHosts: ['api.telegram.org'] as readonly string[],
  fixAuth: 'ask @BotFather for the bot\'s token (/token) and save it under Keys as "<bot id>:<secret>"',
} as const;

export const telegramSubject = { title: telegramSpec.title, fixAuth: telegramSpec.fixAuth };

/** A bot token as @BotFather issues it: the bot's numeric id, a colon, the secret part. */
export const BOT_TOKEN = /^\d+:[A-Za-z0-9_-]{30,}$/;
