import { z } from 'zod';
import { defineNode } from '../../../contract/index.ts';
import { credentialIdField } from '../../framework/index.ts';
import { asanaGid } from '../client.ts';
import { asanaId, dataOf, TASK_FIELDS, taskOutput, toTaskOutput } from '../schemas.ts';
import { asanaCall, withAsana } from '../service.ts';

/** PUT /tasks/{gid} { completed }. */
export const completeTaskNode = defineNode({
  type: 'asana.complete_task',
  version: 1,
  title: 'Asana: complete task',
  description: 'Marks an Asana task complete (or incomplete again).',
  keywords: ['complete task', 'mark done', 'close task', 'finish task', 'asana'],
  examples: [{ text: 'Mark the Asana task as done' }],
  category: 'integration',
  kind: 'action',
  credential: { provider: 'asana' },
  config: z.strictObject({
    credentialId: credentialIdField,
    taskId: asanaId('task').describe('The task'),
    completed: z.boolean().default(true).describe('false reopens the task'),
  }),
  output: taskOutput,
  async run(ctx) {
    const { taskId, completed } = ctx.config;
    const task = await withAsana(asanaCall(ctx), async (client) => toTaskOutput(dataOf(await client.tasks.updateTask({ data: { completed } }, asanaGid(taskId, 'taskId'), { opt_fields: TASK_FIELDS }), 'the task')));
    return { output: task };
  },
});
