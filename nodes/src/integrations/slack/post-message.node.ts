import { z } from 'zod';
import { defineNode, NonRetriableNodeError } from '../../contract/index.ts';
import { credentialIdField } from '../framework/index.ts';
import { slackApi, slackCall, str } from './call-slack.ts';
import { blocksField, channelField, textField, tsField } from './fields.ts';

export const postMessageConfig = z
  .strictObject({
    credentialId: credentialIdField,
    channel: channelField,
    text: textField.describe('Message text (mrkdwn); the notification text when blocks are given'),
    blocks: blocksField.optional(),
    threadTs: tsField.optional().describe('Reply in this thread'),
    replyBroadcast: z.boolean().optional().describe('Also show a thread reply in the channel'),
    unfurlLinks: z.boolean().optional(),
    unfurlMedia: z.boolean().optional(),
    mrkdwn: z.boolean().optional(),
  })
  .refine((c) => c.text.trim() !== '' || (c.blocks?.length ?? 0) > 0, { message: 'text or blocks is required', path: ['text'] });

export const postMessageNode = defineNode({
  type: 'slack.post_message',
  version: 1,
  title: 'Slack: post a message',
  description: 'Posts a message (text or Block Kit) to a channel or thread.',
  keywords: ["slack", "post to slack", "send to slack", "notify", "notification", "alert", "message a channel", "channel", "#"],
  examples: [
    { text: "Post it to Slack #leads", config: {"channel": "#leads", "text": "{{ $trigger.body }}"} },
  ],
  category: 'integration',
  kind: 'action',
  config: postMessageConfig,
  output: z.object({ channel: z.string(), ts: z.string(), threadTs: z.string().optional() }),
  credential: { provider: 'slack' },
  async run(ctx) {
    const c = ctx.config;
    const r = await slackApi(
      slackCall(ctx),
      'chat.postMessage',
      {
        channel: c.channel,
        text: c.text,
        blocks: c.blocks,
        thread_ts: c.threadTs,
        reply_broadcast: c.replyBroadcast,
        unfurl_links: c.unfurlLinks,
        unfurl_media: c.unfurlMedia,
        mrkdwn: c.mrkdwn,
      },
      { channel: c.channel },
    );
    const channel = str(r.channel);
    const ts = str(r.ts);
    if (!channel || !ts) throw new NonRetriableNodeError('Slack answered chat.postMessage without channel and ts');
    return { output: { channel, ts, ...(c.threadTs ? { threadTs: c.threadTs } : {}) } };
  },
});
