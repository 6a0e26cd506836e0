import { z } from 'zod';
import { defineNode } from '../../contract/index.ts';
import { credentialIdField } from '../framework/index.ts';
import { slackApi, slackCall, str } from './call-slack.ts';
import { blocksField, channelField, textField, tsField } from './fields.ts';

export const updateMessageNode = defineNode({
  type: 'slack.update_message',
  version: 1,
  title: 'Slack: update a message',
  description: 'Replaces the text or blocks of a message the credential posted.',
  keywords: ["update the message", "edit the message"],
  examples: [
    { text: "Edit the message with the final result", config: {"channel": "#general", "ts": "1712345678.123456", "text": "Done"} },
  ],
  category: 'integration',
  kind: 'action',
  config: z
    .strictObject({ credentialId: credentialIdField, channel: channelField, ts: tsField, text: textField.optional(), blocks: blocksField.optional() })
    .refine((c) => c.text !== undefined || c.blocks !== undefined, { message: 'text or blocks is required', path: ['text'] }),
  output: z.object({ channel: z.string(), ts: z.string() }),
  credential: { provider: 'slack' },
  async run(ctx) {
    const c = ctx.config;
    const r = await slackApi(slackCall(ctx), 'chat.update', { channel: c.channel, ts: c.ts, text: c.text, blocks: c.blocks }, { channel: c.channel });
    return { output: { channel: str(r.channel) ?? c.channel, ts: str(r.ts) ?? c.ts } };
  },
});
