// conversations.list through every cursor page, up to a limit.
import { z } from 'zod';
import { defineNode } from '../../contract/index.ts';
import { credentialIdField, type ServiceCall } from '../framework/index.ts';
import { slackApi, slackCall, str } from './call-slack.ts';

export interface SlackChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  isMember: boolean;
  isArchived: boolean;
}

function toChannel(raw: unknown): SlackChannel | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const id = str(r.id);
  if (!id) return undefined;
  return { id, name: str(r.name) ?? id, isPrivate: r.is_private === true, isMember: r.is_member === true, isArchived: r.is_archived === true };
}

/** One page of channels and the cursor of the next (undefined at the end). */
export async function channelPage(call: ServiceCall, args: { cursor?: string; limit: number; types: string; excludeArchived: boolean }): Promise<{ channels: SlackChannel[]; nextCursor?: string }> {
  const r = await slackApi(call, 'conversations.list', { cursor: args.cursor, limit: args.limit, types: args.types, exclude_archived: args.excludeArchived });
  const channels = (Array.isArray(r.channels) ? r.channels : []).map(toChannel).filter((c): c is SlackChannel => c !== undefined);
  const meta = r.response_metadata as { next_cursor?: unknown } | undefined;
  const next = str(meta?.next_cursor);
  return { channels, ...(next ? { nextCursor: next } : {}) };
}

const channelTypes = ['public_channel', 'private_channel', 'mpim', 'im'] as const;

export const listChannelsNode = defineNode({
  type: 'slack.list_channels',
  version: 1,
  title: 'Slack: list channels',
  description: 'Lists the channels the credential can see, through every page up to a limit.',
  keywords: ["list channels", "all channels"],
  examples: [
    { text: "List the public channels", config: {} },
  ],
  category: 'integration',
  kind: 'action',
  config: z.strictObject({
    credentialId: credentialIdField,
    types: z.array(z.enum(channelTypes)).min(1).default(['public_channel']),
    excludeArchived: z.boolean().default(true),
    limit: z.int().min(1).max(5_000).default(1_000).describe('Stop after this many channels'),
  }),
  output: z.object({ channels: z.array(z.object({ id: z.string(), name: z.string(), isPrivate: z.boolean(), isMember: z.boolean(), isArchived: z.boolean() })), truncated: z.boolean() }),
  credential: { provider: 'slack' },
  timeoutMs: 120_000,
  async run(ctx) {
    const c = ctx.config;
    const call = slackCall(ctx);
    const out: SlackChannel[] = [];
    let cursor: string | undefined;
    do {
      const page = await channelPage(call, { ...(cursor ? { cursor } : {}), limit: Math.min(200, c.limit - out.length), types: c.types.join(','), excludeArchived: c.excludeArchived });
      out.push(...page.channels);
      cursor = page.nextCursor;
    } while (cursor && out.length < c.limit);
    return { output: { channels: out.slice(0, c.limit), truncated: cursor !== undefined || out.length > c.limit } };
  },
});
