// The one Telegram Bot API client: `POST <base>/bot<token>/<method>` with a JSON body through the
// ServiceCall's fetch (KEYFLOW_TELEGRAM_BASE_URL, default https://api.telegram.org). The token is
// in the URL path, so the URL is built here, handed to fetch and never logged or put in an error
// (networkReason() does not quote it; the service's description is scrubbed by callService).
import { NonRetriableNodeError, type NodeContext } from '../../contract/index.ts';
import { apiUrl, callService, requestJson, scrubSecret, ServiceProblemError, serviceBaseUrl, type ServiceCall } from '../framework/index.ts';
import { telegramFailure } from './errors.ts';
import { BOT_TOKEN, telegramSpec, telegramSubject } from './spec.ts';

const METHOD = /^[a-zA-Z]{3,40}$/;

/** The bot token of the call, checked for shape without ever quoting it. */
export function botToken(call: ServiceCall): string {
  const token = call.credential.reveal();
  if (!BOT_TOKEN.test(token)) throw new NonRetriableNodeError(`credential ${call.credential.id} is not a Telegram bot token ("<bot id>:<secret>" from @BotFather): enter it again under Keys`);
  return token;
}

/** Calls one Bot API method; resolves with `result`, rejects with a ServiceProblemError. */
export async function telegramMethod(call: ServiceCall, method: string, params: Record<string, unknown>, what?: string): Promise<unknown> {
  if (!METHOD.test(method)) throw new ServiceProblemError({ kind: 'validation', message: 'not a Telegram Bot API method name' });
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined) body[k] = v;
  // './' keeps "bot123:…" from reading as a URL scheme.
  const url = apiUrl(call.baseUrl, `./bot${botToken(call)}/${method}`);
  let answer: { ok?: unknown; result?: unknown } | undefined;
  try {
    answer = (await requestJson(call, { method: 'POST', url, body }, telegramFailure(what), telegramSpec.title)) as typeof answer;
  } catch (err) {
    // Scrubbed here, not only when worded: the problem also travels as the NodeError's `cause`.
    if (err instanceof ServiceProblemError) throw new ServiceProblemError({ ...err.problem, message: scrubSecret(err.problem.message, call.credential) });
    throw err;
  }
  if (answer?.ok !== true) throw new ServiceProblemError(telegramFailure(what)({ status: 502, text: '', json: answer, headers: new Headers() }));
  return answer.result;
}

/** Runs `fn` with the call, mapping Telegram's failures into the engine's error classes. */
export function withTelegram<T>(call: ServiceCall, fn: (call: ServiceCall) => Promise<T>): Promise<T> {
  return callService(call, telegramSubject, fn);
}

/** The service call of a Telegram node's run(). */
export function telegramCall(ctx: NodeContext<unknown>, fetchImpl: typeof globalThis.fetch = globalThis.fetch): ServiceCall {
  if (!ctx.credential) throw new NonRetriableNodeError('no Telegram credential: save your bot token from @BotFather under Keys');
  if (ctx.credential.provider !== telegramSpec.service) throw new NonRetriableNodeError(`credential ${ctx.credential.id} is a ${ctx.credential.provider} credential, not a Telegram one`);
  return { credential: ctx.credential, baseUrl: serviceBaseUrl(telegramSpec, ctx.services), signal: ctx.signal, log: ctx.log, fetch: fetchImpl };
}
