import { z } from 'zod';
import { defineNode, NodeError } from '../../../contract/index.ts';
import { credentialIdField } from '../../framework/index.ts';
import { asanaGid } from '../client.ts';
import { toAsanaRichText } from '../rich-text.ts';
import { asanaId, dataOf } from '../schemas.ts';
import { asanaCall, withAsana } from '../service.ts';

/** POST /tasks/{gid}/stories { html_text }: a comment on the task. */
export const addCommentNode = defineNode({
  type: 'asana.add_comment',
  version: 1,
  title: 'Asana: add comment',
  description: 'Adds a comment to an Asana task (Markdown-like **bold**, *italic*, links become rich text).',
  keywords: ['comment', 'add a comment', 'reply on task', 'asana'],
  examples: [{ text: 'Comment on the Asana task with the summary' }],
  category: 'integration',
  kind: 'action',
  credential: { provider: 'asana' },
  config: z.strictObject({
    credentialId: credentialIdField,
    taskId: asanaId('task').describe('The task'),
    text: z.string().min(1, 'write the comment').max(65_000),
  }),
  output: z.object({ gid: z.string(), taskId: z.string() }),
  async run(ctx) {
    const { taskId, text } = ctx.config;
    const story = await withAsana(asanaCall(ctx), async (client) => dataOf(await client.stories.createStoryForTask({ data: { html_text: toAsanaRichText(text) } }, asanaGid(taskId, 'taskId'), {}), 'the comment'));
    const gid = (story as { gid?: unknown } | null)?.gid;
    if (typeof gid !== 'string') throw new NodeError('Asana answered the comment with something that is not a story', { details: { service: 'asana' } });
    return { output: { gid, taskId } };
  },
});
