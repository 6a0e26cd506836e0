// What Keyflow answers Trello at a trello.event callback URL, decided before any run starts:
// - HEAD: Trello's check when the webhook is created (and now and then): 200, nothing else.
// - POST: the X-Trello-Webhook signature over the raw body + the callback URL, with the app
//   secret; then the action's date must be recent (the signature has no timestamp, so an old
//   signed delivery replayed later is refused by its date), then its id must be new (a replay
//   within the window is dropped by the replay guard), then the action type and list filters.
// Never 410: Trello deletes a webhook whose callback answers 410 Gone.
import { z } from 'zod';
import { verifyTrelloSignature } from './signature.ts';
import type { TrelloEventConfig } from './config.ts';

export const SIGNATURE_HEADER = 'x-trello-webhook';
/** Trello retries a failed delivery three times within minutes; an hour covers it with room. */
export const DEFAULT_REPLAY_WINDOW_SECONDS = 3600;
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

/** The event a run starts with ($trigger of a trello.event workflow). */
export interface TrelloEvent {
  type: string;
  actionId: string;
  date: string;
  memberCreator: { id: string | null; username: string | null; fullName: string | null };
  data: Record<string, unknown>;
  model: Record<string, unknown> | null;
  webhookId: string | null;
}

/** Remembers delivery keys for a while; claim() is false when the key was already taken. */
export interface ReplayGuard {
  claim(key: string, ttlSeconds: number): Promise<boolean>;
}

export interface TrelloDeliveryInput {
  method: string;
  /** Lower-cased names. */
  headers: Record<string, string | undefined>;
  rawBody: Uint8Array;
  /** The URL registered with Trello for this trigger, exactly (Trello signs it). */
  callbackUrl: string;
  /** The app secret of the API key that created the webhook. */
  appSecret: string;
  config: TrelloEventConfig;
  now: Date;
  replay?: ReplayGuard;
  replayWindowSeconds?: number;
}

export type TrelloDeliveryDecision =
  | { kind: 'head_ok'; status: 200 }
  | { kind: 'refused'; status: 400 | 401 | 405; reason: string }
  | { kind: 'duplicate'; status: 200; deliveryKey: string }
  | { kind: 'ignored'; status: 200; reason: string }
  | { kind: 'start'; status: 200; event: TrelloEvent; deliveryKey: string; ttlSeconds: number };

/** Every list id an action names: the card's list, and both ends of a move. */
function listsOf(data: Record<string, unknown>): string[] {
  const ids: string[] = [];
  for (const key of ['list', 'listAfter', 'listBefore']) {
    const v = data[key];
    if (v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string') ids.push((v as { id: string }).id);
  }
  return ids;
}

export async function decideTrelloDelivery(input: TrelloDeliveryInput): Promise<TrelloDeliveryDecision> {
  const method = input.method.toUpperCase();
  if (method === 'HEAD') return { kind: 'head_ok', status: 200 };
  if (method !== 'POST') return { kind: 'refused', status: 405, reason: 'Trello delivers webhooks with POST' };

  if (!(await verifyTrelloSignature(input.appSecret, input.rawBody, input.callbackUrl, input.headers[SIGNATURE_HEADER]))) {
    return { kind: 'refused', status: 401, reason: 'the X-Trello-Webhook signature does not match the body and callback URL' };
  }

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(input.rawBody));
  } catch {
    return { kind: 'refused', status: 400, reason: 'the body is not JSON' };
  }
  const parsed = deliveryBody.safeParse(json);
  if (!parsed.success) return { kind: 'refused', status: 400, reason: 'the body is not a Trello webhook delivery (no action with id, type and date)' };
  const { action, model, webhook } = parsed.data;

  const window = input.replayWindowSeconds ?? DEFAULT_REPLAY_WINDOW_SECONDS;
  const at = Date.parse(action.date);
  if (!Number.isFinite(at)) return { kind: 'refused', status: 400, reason: 'the action has no valid date' };
  const age = input.now.getTime() - at;
  if (age > window * 1000) return { kind: 'refused', status: 400, reason: `the action is older than the replay window (${window} s): a replayed or long-delayed delivery` };
  if (age < -FUTURE_SKEW_MS) return { kind: 'refused', status: 400, reason: 'the action is dated in the future (a clock out of sync?)' };

  // Signed content only: the action id is inside the signed body. Scoped by the watched model.
  const deliveryKey = `trello:${input.config.modelId}:${action.id}`;
  // Kept until the date check alone refuses the delivery (plus the skew allowed ahead).
  const ttlSeconds = Math.max(1, Math.ceil((at + window * 1000 + FUTURE_SKEW_MS - input.now.getTime()) / 1000));

  const types = input.config.actionTypes;
  if (types && types.length > 0 && !types.includes(action.type)) return { kind: 'ignored', status: 200, reason: `action type ${action.type} is not among ${types.join(', ')}` };
  if (input.config.listId && !listsOf(action.data).includes(input.config.listId)) return { kind: 'ignored', status: 200, reason: `the action does not touch list ${input.config.listId}` };

  if (input.replay && !(await input.replay.claim(deliveryKey, ttlSeconds))) return { kind: 'duplicate', status: 200, deliveryKey };

  const creator = action.memberCreator;
  return {
    kind: 'start',
    status: 200,
    deliveryKey,
    ttlSeconds,
    event: {
      type: action.type,
      actionId: action.id,
      date: action.date,
      memberCreator: { id: creator?.id ?? action.idMemberCreator ?? null, username: creator?.username ?? null, fullName: creator?.fullName ?? null },
      data: action.data,
      model: model ?? null,
      webhookId: webhook?.id ?? null,
    },
  };
}

/** A process-local replay guard (tests, the embedded single-process mode). */
export function memoryReplayGuard(now: () => Date = () => new Date()): ReplayGuard {
  const seen = new Map<string, number>();
  return {
    async claim(key, ttlSeconds) {
      const t = now().getTime();
      for (const [k, until] of seen) if (until <= t) seen.delete(k);
      if (seen.has(key)) return false;
      seen.set(key, t + ttlSeconds * 1000);
      return true;
    },
  };
}
