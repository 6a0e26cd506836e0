import { z } from 'zod';
import { defineNode, NonRetriableNodeError } from '../../contract/index.ts';
import { credentialIdField } from '../framework/index.ts';
import { slackApi, slackCall } from './call-slack.ts';
import { channelField, tsField } from './fields.ts';

export const addReactionNode = defineNode({
  type: 'slack.add_reaction',
  version: 1,
  title: 'Slack: add a reaction',
  description: 'Adds an emoji reaction to a message.',
  keywords: ["react", "reaction", "emoji", "thumbs up"],
  examples: [
    { text: "Add a thumbs up to the message", config: {"channel": "#general", "ts": "1712345678.123456", "name": "thumbsup"} },
  ],
  category: 'integration',
  kind: 'action',
  config: z.strictObject({
    credentialId: credentialIdField,
    channel: channelField,
    ts: tsField.describe('The message to react to'),
    name: z.string().trim().transform((s) => s.replace(/^:|:$/g, '')).pipe(z.string().regex(/^[a-z0-9_+'-]{1,100}$/, 'must be an emoji name like "thumbsup"')),
  }),
  output: z.object({ channel: z.string(), ts: z.string(), name: z.string(), alreadyReacted: z.boolean() }),
  credential: { provider: 'slack' },
  async run(ctx) {
    const c = ctx.config;
    try {
      await slackApi(slackCall(ctx), 'reactions.add', { channel: c.channel, timestamp: c.ts, name: c.name }, { channel: c.channel });
    } catch (err) {
      // A retry after a lost answer finds its own reaction: the goal is reached.
      if (err instanceof NonRetriableNodeError && err.details?.code === 'already_reacted') return { output: { channel: c.channel, ts: c.ts, name: c.name, alreadyReacted: true } };
      throw err;
    }
    return { output: { channel: c.channel, ts: c.ts, name: c.name, alreadyReacted: false } };
  },
});
