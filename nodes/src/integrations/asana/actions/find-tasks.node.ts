import { z } from 'zod';
import { defineNode } from '../../../contract/index.ts';
import { credentialIdField } from '../../framework/index.ts';
import { asanaGid } from '../client.ts';
import { asanaId, pageOf, TASK_FIELDS, taskOutput, toTaskOutput, type TaskOutput } from '../schemas.ts';
import { asanaCall, withAsana } from '../service.ts';

const MAX_PAGES = 50;
/** What Asana's search answers at most per request. */
export const SEARCH_PAGE_SIZE = 100;

/**
 * GET /workspaces/{gid}/tasks/search, page after page. Asana's search takes no `offset`: its
 * documented way to page is to sort by creation time and ask for tasks created before the last
 * one seen (`created_at.before`), 100 tasks a page.
 */
export const findTasksNode = defineNode({
  type: 'asana.find_tasks',
  version: 1,
  title: 'Asana: find tasks',
  description: 'Searches tasks in an Asana workspace by text, project, assignee and completion.',
  keywords: ['find tasks', 'search tasks', 'look up tasks', 'asana'],
  examples: [{ text: 'Find the open Asana tasks that mention the customer' }],
  category: 'integration',
  kind: 'action',
  credential: { provider: 'asana' },
  config: z.strictObject({
    credentialId: credentialIdField,
    workspaceId: asanaId('workspace').describe('The workspace to search'),
    text: z.string().min(1).max(1000).optional().describe('Words in the name or notes'),
    projectId: asanaId('project').optional().describe('Only tasks in this project'),
    assignee: z.union([asanaId('user'), z.literal('me')]).optional().describe('Only tasks assigned to this user'),
    completed: z.boolean().optional().describe('Only complete (true) or incomplete (false) tasks'),
    limit: z.int().min(1).max(2000).default(100).describe('At most this many tasks'),
  }),
  output: z.object({ tasks: z.array(taskOutput), count: z.number(), truncated: z.boolean() }),
  async run(ctx) {
    const c = ctx.config;
    const tasks: TaskOutput[] = [];
    let truncated = false;
    await withAsana(asanaCall(ctx), async (client) => {
      let before: string | undefined;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const raw = await client.tasks.searchTasksForWorkspace(asanaGid(c.workspaceId, 'workspaceId'), {
          ...(c.text ? { text: c.text } : {}),
          ...(c.projectId ? { 'projects.any': c.projectId } : {}),
          ...(c.assignee ? { 'assignee.any': c.assignee } : {}),
          ...(c.completed !== undefined ? { completed: c.completed } : {}),
          ...(before ? { 'created_at.before': before } : {}),
          sort_by: 'created_at',
          sort_ascending: false,
          opt_fields: TASK_FIELDS,
        });
        const { items } = pageOf(raw, 'a task search');
        for (const item of items) {
          if (tasks.length === c.limit) {
            truncated = true;
            break;
          }
          tasks.push(toTaskOutput(item));
        }
        if (truncated || items.length === 0) break;
        const last = (items.at(-1) as { created_at?: unknown }).created_at;
        // Fewer than a full page, or no date to page by: that was the last page.
        if (items.length < SEARCH_PAGE_SIZE || typeof last !== 'string') break;
        before = last;
      }
    });
    return { output: { tasks, count: tasks.length, truncated } };
  },
});
