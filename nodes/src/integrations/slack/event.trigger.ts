// Slack's Events API on a Keyflow webhook URL. The server checks the signing secret over the
// raw body (the 'slack' preset: v0:{timestamp}:{body}, timestamp within 5 minutes both ways),
// then `receiveSlackEvent` answers the url_verification challenge, drops events the trigger
// filters out, and names each event by its event_id so Slack's retries start no second run.
import { z } from 'zod';
import { defineNode } from '../../contract/index.ts';
import type { InboundDecision, InboundRequest, InboundWebhook } from '../framework/index.ts';

export const slackEventConfig = z.strictObject({
  eventTypes: z.array(z.string().regex(/^[a-z_.]{1,64}$/, 'must be a Slack event type like "message" or "app_mention"')).max(50).default([]).describe('Only these event types (empty: all)'),
  channels: z.array(z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a channel id (C0123…)')).max(100).default([]).describe('Only events in these channels (empty: all)'),
  ignoreBots: z.boolean().default(true).describe("Drop messages from bots (including this workflow's own posts)"),
});

function rec(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The channel an event happened in: message events carry `channel`, reactions `item.channel`. */
function channelOf(event: Record<string, unknown>): string | undefined {
  return str(event.channel) ?? str(rec(event.item).channel) ?? str(rec(event.channel).id);
}

export function receiveSlackEvent(req: InboundRequest, rawConfig: unknown): InboundDecision {
  const body = rec(req.body);
  if (body.type === 'url_verification') {
    const challenge = str(body.challenge);
    return challenge ? { kind: 'answer', status: 200, body: { challenge } } : { kind: 'answer', status: 400, body: { error: 'url_verification without a challenge' } };
  }
  if (body.type !== 'event_callback') return { kind: 'ignore', reason: `not an event callback (${str(body.type) ?? 'no type'})` };
  const parsed = slackEventConfig.safeParse(rawConfig ?? {});
  const config = parsed.success ? parsed.data : slackEventConfig.parse({});
  const event = rec(body.event);
  const type = str(event.type) ?? '';
  if (config.eventTypes.length > 0 && !config.eventTypes.includes(type)) return { kind: 'ignore', reason: `event type ${type} is filtered out` };
  const channel = channelOf(event);
  if (config.channels.length > 0 && (!channel || !config.channels.includes(channel))) return { kind: 'ignore', reason: 'channel is filtered out' };
  if (config.ignoreBots && (event.bot_id !== undefined || event.subtype === 'bot_message')) return { kind: 'ignore', reason: 'bot message' };
  const eventId = str(body.event_id);
  // Slack's legacy verification token rides in every body: it is a secret of the app, not event data.
  const { token: _token, ...stored } = body;
  return { kind: 'run', body: stored, ...(eventId && eventId.length <= 200 ? { deliveryId: `slack-event:${eventId}` } : {}) };
}

export const slackEventInbound: InboundWebhook = { signature: { preset: 'slack' }, receive: receiveSlackEvent };

export const slackEventTrigger = defineNode({
  type: 'slack.event',
  version: 1,
  title: 'Slack event',
  description: "Starts the workflow on a Slack Events API event (set the app's Request URL to this trigger's webhook URL and store its signing secret).",
  keywords: ["slack message", "in slack", "slack event", "mention", "slash command", "slack channel", "someone posts"],
  examples: [
    { text: "When someone mentions the bot in Slack", config: {"eventTypes": ["app_mention"]} },
  ],
  sampleEvent: { method: 'POST', headers: { 'content-type': 'application/json' }, query: {}, body: { type: 'event_callback', team_id: 'T0SAMPLE1', event_id: 'Ev0SAMPLE1', event: { type: 'app_mention', user: 'U0SAMPLE1', text: '<@U0BOT> can you summarise the launch thread?', channel: 'C0SAMPLE1', ts: '1764581400.000100', event_ts: '1764581400.000100' } } },
  category: 'trigger',
  kind: 'trigger',
  config: slackEventConfig,
  output: z.object({ type: z.string(), eventId: z.string().optional(), teamId: z.string().optional(), channel: z.string().optional(), user: z.string().optional(), text: z.string().optional(), ts: z.string().optional(), event: z.unknown() }),
  async run(ctx) {
    const body = rec(rec(ctx.trigger).body);
    const event = rec(body.event);
    const pick = (k: string, v: string | undefined) => (v !== undefined ? { [k]: v } : {});
    return {
      output: {
        type: str(event.type) ?? '',
        ...pick('eventId', str(body.event_id)),
        ...pick('teamId', str(body.team_id)),
        ...pick('channel', channelOf(event)),
        ...pick('user', str(event.user)),
        ...pick('text', str(event.text)),
        ...pick('ts', str(event.ts) ?? str(event.event_ts)),
        event,
      },
    };
  },
});
