import { z } from 'zod';
import { defineNode, NonRetriableNodeError } from '../../../contract/index.ts';
import { credentialIdField } from '../../framework/index.ts';
import { asanaGid } from '../client.ts';
import { resolveCustomFields, taskCustomFields } from '../custom-fields.ts';
import { toAsanaRichText } from '../rich-text.ts';
import { asanaDue, asanaId, customFieldsByName, dataOf, dueFields, TASK_FIELDS, taskOutput, taskText, toTaskOutput } from '../schemas.ts';
import { asanaCall, withAsana } from '../service.ts';

/** PUT /tasks/{gid}: only the fields given change; custom fields by name are looked up on the task itself. */
export const updateTaskNode = defineNode({
  type: 'asana.update_task',
  version: 1,
  title: 'Asana: update task',
  description: 'Changes an Asana task: name, notes, assignee, due date, custom fields by name.',
  keywords: ['update task', 'change task', 'edit task', 'asana task'],
  examples: [{ text: 'Update the Asana task with the new due date' }],
  category: 'integration',
  kind: 'action',
  credential: { provider: 'asana' },
  config: z.strictObject({
    credentialId: credentialIdField,
    taskId: asanaId('task').describe('The task to change'),
    name: taskText.name.optional(),
    notes: taskText.notes.optional(),
    assignee: z.union([asanaId('user'), z.literal('me'), z.email(), z.null()]).optional().describe('A user id, an email, "me", or null to unassign'),
    due: asanaDue.nullable().optional().describe('Due date, date and time, or null to clear'),
    customFields: customFieldsByName.optional(),
  }),
  output: taskOutput,
  async run(ctx) {
    const c = ctx.config;
    const taskId = c.taskId;
    const data: Record<string, unknown> = {
      ...(c.name !== undefined ? { name: c.name } : {}),
      ...(c.notes !== undefined ? { html_notes: toAsanaRichText(c.notes) } : {}),
      ...(c.assignee !== undefined ? { assignee: c.assignee } : {}),
      ...dueFields(c.due),
    };
    if (Object.keys(data).length === 0 && !c.customFields) throw new NonRetriableNodeError('asana.update_task: say what to change (name, notes, assignee, due or customFields)');
    const task = await withAsana(asanaCall(ctx), async (client) => {
      if (c.customFields) {
        const current = dataOf(await client.tasks.getTask(asanaGid(taskId, 'taskId'), { opt_fields: ['custom_fields.name', 'custom_fields.resource_subtype', 'custom_fields.type', 'custom_fields.enum_options.name', 'custom_fields.enum_options.enabled'] }), 'the task') as { custom_fields?: unknown };
        data.custom_fields = resolveCustomFields(c.customFields, taskCustomFields(current.custom_fields));
      }
      return toTaskOutput(dataOf(await client.tasks.updateTask({ data }, asanaGid(taskId, 'taskId'), { opt_fields: TASK_FIELDS }), 'the task'));
    });
    return { output: task };
  },
});
