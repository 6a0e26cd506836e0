// What Keyflow does with a request at a trello.event callback URL, in the framework's inbound
// terms (the server runs these in order, before any run starts):
// - probe: HEAD is Trello's check when the webhook is created (and now and then): 200, unsigned.
// - signature: X-Trello-Webhook over the raw body + the callback URL, with the app secret the
//   owner stored for this trigger.
// - receive: the action's date must be recent (the signature carries no timestamp, so an old
//   signed delivery replayed later is refused by the date it signed), then the action type and
//   list filters; a run is named by the action id, so a replay within the window (the server
//   remembers delivery ids for KEYFLOW_WEBHOOK_REPLAY_WINDOW_HOURS, at least one hour) and
//   Trello's own retries start no second run.
// Never 410: Trello deletes a webhook whose callback answers 410 Gone.
import { z } from 'zod';
import type { InboundDecision, InboundRequest, InboundWebhook } from '../../framework/index.ts';
import { trelloEventConfig } from './config.ts';
import { verifyTrelloSignature } from './signature.ts';

export const SIGNATURE_HEADER = 'x-trello-webhook';
/** Trello retries a failed delivery a few times within minutes; an hour covers it with room. */
export const REPLAY_WINDOW_SECONDS = 3600;
/** Clocks disagree a little; a delivery dated further ahead than this is refused. */
const FUTURE_SKEW_MS = 5 * 60_000;

const deliveryBody = z.looseObject({
  action: z.looseObject({
    id: z.string().min(1).max(64),
    type: z.string().min(1).max(100),
    date: z.string(),
    idMemberCreator: z.string().optional(),
    data: z.record(z.string(), z.unknown()).default({}),
    memberCreator: z.looseObject({ id: z.string().optional(), username: z.string().optional(), fullName: z.string().optional() }).optional(),
  }),
  model: z.looseObject({ id: z.string() }).optional(),
  webhook: z.looseObject({ id: z.string() }).optional(),
});

/** The event a trello.event run starts with (the trigger node's output). */
export interface TrelloEvent {
  type: string;
  actionId: string;
  date: string;
  memberCreator: { id: string | null; username: string | null; fullName: string | null };
  data: Record<string, unknown>;
  model: Record<string, unknown> | null;
  webhookId: string | null;
}

/** A Trello delivery body as the event, or undefined when it is not one. */
export function toTrelloEvent(body: unknown): TrelloEvent | undefined {
  const parsed = deliveryBody.safeParse(body);
  if (!parsed.success) return undefined;
  const { action, model, webhook } = parsed.data;
  const creator = action.memberCreator;
  return {
    type: action.type,
    actionId: action.id,
    date: action.date,
    memberCreator: { id: creator?.id ?? action.idMemberCreator ?? null, username: creator?.username ?? null, fullName: creator?.fullName ?? null },
    data: action.data,
    model: model ?? null,
    webhookId: webhook?.id ?? null,
  };
}

/** Every list id an action names: the card's list, and both ends of a move. */
function listsOf(data: Record<string, unknown>): string[] {
  const ids: string[] = [];
  for (const key of ['list', 'listAfter', 'listBefore']) {
    const v = data[key];
    if (v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string') ids.push((v as { id: string }).id);
  }
  return ids;
}

function refuse(reason: string): InboundDecision {
  return { kind: 'answer', status: 400, body: { error: { code: 'invalid_delivery', message: reason } } };
}

/** The signature check, for the server (which holds the stored app secret). */
export function verifyTrelloDelivery(req: InboundRequest, secret: string): boolean {
  return verifyTrelloSignature(secret, new Uint8Array(req.rawBody.buffer, req.rawBody.byteOffset, req.rawBody.byteLength), req.url, req.headers[SIGNATURE_HEADER]);
}

/** After the signature passed: refuse stale or malformed deliveries, drop filtered ones, name the run. */
export function receiveTrelloEvent(req: InboundRequest, rawConfig: unknown): InboundDecision {
  const config = trelloEventConfig.safeParse(rawConfig);
  if (!config.success) return { kind: 'ignore', reason: 'the trigger config is invalid' };
  const event = toTrelloEvent(req.body);
  if (!event) return refuse('the body is not a Trello webhook delivery (no action with id, type and date)');

  const at = Date.parse(event.date);
  if (!Number.isFinite(at)) return refuse('the action has no valid date');
  const age = req.now.getTime() - at;
  if (age > REPLAY_WINDOW_SECONDS * 1000) return refuse(`the action is older than ${REPLAY_WINDOW_SECONDS} s: a replayed or long-delayed delivery`);
  if (age < -FUTURE_SKEW_MS) return refuse('the action is dated in the future (a clock out of sync?)');

  const { actionTypes, listId, modelId } = config.data;
  if (actionTypes && actionTypes.length > 0 && !actionTypes.includes(event.type)) return { kind: 'ignore', reason: `action type ${event.type} is not among ${actionTypes.join(', ')}` };
  if (listId && !listsOf(event.data).includes(listId)) return { kind: 'ignore', reason: `the action does not touch list ${listId}` };
  // The action id is inside the signed body; scoped by the watched model.
  return { kind: 'run', deliveryId: `trello:${modelId}:${event.actionId}` };
}

export const trelloEventInbound: InboundWebhook = {
  signature: { verify: verifyTrelloDelivery },
  probe: { method: 'HEAD', status: 200 },
  receive: receiveTrelloEvent,
};
