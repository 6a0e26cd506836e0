import { z } from 'zod';
import { defineNode } from '../../contract/index.ts';
import { credentialIdField } from '../framework/index.ts';
import { slackApi, slackCall, str } from './call-slack.ts';
import { channelField, tsField } from './fields.ts';

export const deleteMessageNode = defineNode({
  type: 'slack.delete_message',
  version: 1,
  title: 'Slack: delete a message',
  description: 'Deletes a message the credential posted.',
  keywords: ["delete the message", "remove the message"],
  examples: [
    { text: "Delete the message the bot posted", config: {"channel": "#general", "ts": "1712345678.123456"} },
  ],
  category: 'integration',
  kind: 'action',
  config: z.strictObject({ credentialId: credentialIdField, channel: channelField, ts: tsField }),
  output: z.object({ channel: z.string(), ts: z.string() }),
  credential: { provider: 'slack' },
  async run(ctx) {
    const c = ctx.config;
    const r = await slackApi(slackCall(ctx), 'chat.delete', { channel: c.channel, ts: c.ts }, { channel: c.channel });
    return { output: { channel: str(r.channel) ?? c.channel, ts: str(r.ts) ?? c.ts } };
  },
});
