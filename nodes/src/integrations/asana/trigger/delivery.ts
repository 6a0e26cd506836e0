// What Keyflow does with a request at an asana.event callback URL, in the framework's inbound terms:
// - handshake: creating the webhook makes Asana POST `X-Hook-Secret` (no body) to the callback
//   and wait for it echoed back; the server stores that secret as the trigger's signing secret,
//   but only while the activation that created the webhook is in progress.
// - signature: every later delivery carries X-Hook-Signature = hex HMAC-SHA256 of the raw body
//   under that secret (the engine's `asana` preset).
// - receive: { events: [] } is Asana's heartbeat (ignored); events are filtered by resource type
//   and action; a run is named by a digest of the events, so a redelivery of the same events
//   starts no second run.
import { z } from 'zod';
import type { InboundDecision, InboundRequest, InboundWebhook } from '../../framework/index.ts';
import { asanaEventConfig } from './config.ts';

export const HOOK_SECRET_HEADER = 'x-hook-secret';
export const HOOK_SIGNATURE_HEADER = 'x-hook-signature';

const ref = z.looseObject({ gid: z.string(), resource_type: z.string().optional(), resource_subtype: z.string().nullish(), name: z.string().nullish() });
const eventShape = z.looseObject({
  action: z.string(),
  created_at: z.string().optional(),
  user: ref.nullish(),
  resource: ref,
  parent: ref.nullish(),
  change: z.looseObject({ field: z.string().optional(), action: z.string().optional() }).nullish(),
});
const deliveryShape = z.looseObject({ events: z.array(eventShape).max(1000) });
export type AsanaEvent = z.infer<typeof eventShape>;

/** The events of a delivery body, or undefined when it is not one. */
export function asanaEventsOf(body: unknown): AsanaEvent[] | undefined {
  const parsed = deliveryShape.safeParse(body);
  return parsed.success ? parsed.data.events : undefined;
}

/**
 * A 64-bit FNV-1a digest (two 32-bit lanes) of what identifies the events. Not a security
 * measure: the body is already authenticated by its signature; this only names a delivery.
 */
function digest(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193) >>> 0;
    b = (b ^ (b >>> 13)) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

function identityOf(e: AsanaEvent): string {
  return [e.created_at ?? '', e.action, e.resource.gid, e.resource.resource_type ?? '', e.parent?.gid ?? '', e.user?.gid ?? '', e.change?.field ?? '', e.change?.action ?? ''].join('|');
}

/** After the signature passed: drop heartbeats and filtered events, name the run. */
export function receiveAsanaEvent(req: InboundRequest, rawConfig: unknown): InboundDecision {
  const config = asanaEventConfig.safeParse(rawConfig);
  if (!config.success) return { kind: 'ignore', reason: 'the trigger config is invalid' };
  const events = asanaEventsOf(req.body);
  if (!events) return { kind: 'answer', status: 400, body: { error: { code: 'invalid_delivery', message: 'the body is not an Asana webhook delivery ({ events: [...] })' } } };
  if (events.length === 0) return { kind: 'ignore', reason: 'heartbeat (no events)' };
  const { resourceTypes, actions, projectId } = config.data;
  const kept = events.filter((e) => (!resourceTypes?.length || resourceTypes.includes(e.resource.resource_type as never)) && (!actions?.length || actions.includes(e.action as never)));
  if (kept.length === 0) return { kind: 'ignore', reason: 'no event matches the trigger\'s resource types and actions' };
  const key = events.map(identityOf).join('\n');
  return { kind: 'run', deliveryId: `asana:${projectId}:${events.length}:${digest(key)}`, body: { events: kept } };
}

export const asanaEventInbound: InboundWebhook = {
  signature: { preset: 'asana' },
  handshake: { header: HOOK_SECRET_HEADER },
  receive: receiveAsanaEvent,
};
