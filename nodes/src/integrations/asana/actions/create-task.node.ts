import { z } from 'zod';
import { defineNode } from '../../../contract/index.ts';
import { credentialIdField, ServiceProblemError } from '../../framework/index.ts';
import type { AsanaClient } from '../client.ts';
import { projectCustomFields, resolveCustomFields } from '../custom-fields.ts';
import { toAsanaRichText } from '../rich-text.ts';
import { asanaDue, asanaId, customFieldsByName, dataOf, dueFields, TASK_FIELDS, taskText, toTaskOutput } from '../schemas.ts';
import { asanaCall, withAsana } from '../service.ts';

/** Without a workspace or project: the user's only workspace (several → the user must choose). */
async function onlyWorkspace(client: AsanaClient): Promise<string> {
  const me = dataOf(await client.users.getUser('me', { opt_fields: ['workspaces.name'] }), 'users/me') as { workspaces?: Array<{ gid: string; name?: string }> };
  const workspaces = me.workspaces ?? [];
  if (workspaces.length === 1) return workspaces[0]!.gid;
  throw new ServiceProblemError({ kind: 'validation', message: `choose a workspace or project (workspaceId or projectId): this account has ${workspaces.length === 0 ? 'no workspace' : `${workspaces.length} workspaces (${workspaces.map((w) => w.name ?? w.gid).join(', ')})`}` });
}

/** POST /tasks (+ POST /sections/{gid}/addTask). Pinned config { credentialId?, workspaceId?, projectId?, name, notes? } → { gid, url }. */
export const createTaskNode = defineNode({
  type: 'asana.create_task',
  version: 1,
  title: 'Asana: create task',
  description: 'Creates an Asana task in a project (and section) or a workspace, with rich-text notes, assignee, due date and custom fields by name.',
  keywords: ['asana', 'create a task', 'new task', 'task', 'to do', 'ticket', 'add to asana'],
  examples: [{ text: 'Create an Asana task for the new lead' }],
  category: 'integration',
  kind: 'action',
  credential: { provider: 'asana' },
  config: z
    .strictObject({
      credentialId: credentialIdField,
      workspaceId: asanaId('workspace').optional().describe('The workspace (not needed with a project)'),
      projectId: asanaId('project').optional().describe('The project the task goes into'),
      sectionId: asanaId('section').optional().describe('A section of the project (needs projectId)'),
      name: taskText.name,
      notes: taskText.notes.optional(),
      assignee: z.union([asanaId('user'), z.literal('me'), z.email()]).optional().describe('A user id, an email, or "me"'),
      due: asanaDue.optional().describe('Due date (2025-03-01) or date and time (ISO 8601)'),
      customFields: customFieldsByName.optional(),
    })
    .refine((c) => !c.sectionId || c.projectId, { message: 'a section needs its project (projectId)', path: ['sectionId'] })
    .refine((c) => !c.customFields || c.projectId, { message: 'custom fields are found by name in the project: set projectId', path: ['customFields'] }),
  output: z.object({ gid: z.string(), url: z.string().nullable(), name: z.string().nullable() }),
  async run(ctx) {
    const c = ctx.config;
    const task = await withAsana(asanaCall(ctx), async (client) => {
      const workspace = c.workspaceId ?? (c.projectId ? undefined : await onlyWorkspace(client));
      const customFields = c.customFields && c.projectId ? resolveCustomFields(c.customFields, await projectCustomFields(client, c.projectId)) : undefined;
      const data: Record<string, unknown> = {
        name: c.name,
        ...(workspace ? { workspace } : {}),
        ...(c.projectId ? { projects: [c.projectId] } : {}),
        ...(c.notes !== undefined ? { html_notes: toAsanaRichText(c.notes) } : {}),
        ...(c.assignee ? { assignee: c.assignee } : {}),
        ...dueFields(c.due),
        ...(customFields ? { custom_fields: customFields } : {}),
      };
      const created = toTaskOutput(dataOf(await client.tasks.createTask({ data }, { opt_fields: TASK_FIELDS }), 'the new task'));
      if (c.sectionId) await client.sections.addTaskForSection(c.sectionId, { body: { data: { task: created.gid } } });
      return created;
    });
    return { output: { gid: task.gid, url: task.url, name: task.name } };
  },
});
