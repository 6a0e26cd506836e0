// The asana.event trigger's config, shared by the node, its activation and its delivery check.
import { z } from 'zod';
import { credentialIdField } from '../../framework/index.ts';
import { asanaId } from '../schemas.ts';

export const ASANA_ACTIONS = ['added', 'changed', 'removed', 'deleted', 'undeleted'] as const;

export const asanaEventConfig = z.strictObject({
  credentialId: credentialIdField,
  workspaceId: asanaId('workspace').optional().describe('Only scopes the project dropdown; not sent'),
  projectId: asanaId('project').describe('The project to watch'),
  resourceTypes: z
    .array(z.enum(['task', 'story', 'section', 'project', 'attachment', 'tag']))
    .max(6)
    .optional()
    .describe('Start runs only for events on these kinds of objects (default: all)'),
  actions: z.array(z.enum(ASANA_ACTIONS)).max(5).optional().describe('Start runs only for these actions (default: all)'),
});
export type AsanaEventConfig = z.output<typeof asanaEventConfig>;
