import { z } from 'zod';
import { defineNode } from '../../../contract/index.ts';
import { credentialIdField } from '../../framework/index.ts';
import { asanaGid } from '../client.ts';
import { asanaId } from '../schemas.ts';
import { asanaCall, withAsana } from '../service.ts';

/** POST /tasks/{gid}/addProject { project, section? }. */
export const addToProjectNode = defineNode({
  type: 'asana.add_to_project',
  version: 1,
  title: 'Asana: add task to project',
  description: 'Adds an existing Asana task to a project, optionally into one of its sections.',
  keywords: ['add to project', 'move to section', 'asana project'],
  examples: [{ text: 'Add the task to the Launch project' }],
  category: 'integration',
  kind: 'action',
  credential: { provider: 'asana' },
  config: z.strictObject({
    credentialId: credentialIdField,
    taskId: asanaId('task').describe('The task'),
    projectId: asanaId('project').describe('The project'),
    sectionId: asanaId('section').optional().describe('A section of that project'),
  }),
  output: z.object({ taskId: z.string(), projectId: z.string(), sectionId: z.string().nullable() }),
  async run(ctx) {
    const { taskId, projectId, sectionId } = ctx.config;
    await withAsana(asanaCall(ctx), (client) => client.tasks.addProjectForTask({ data: { project: projectId, ...(sectionId ? { section: sectionId } : {}) } }, asanaGid(taskId, 'taskId')));
    return { output: { taskId, projectId, sectionId: sectionId ?? null } };
  },
});
