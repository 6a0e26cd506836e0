// Test-only stand-ins for node types not on main yet, and the registries the importer tests map against. core.code (being written on another
// branch) and slack.post_message (int-core) are stand-ins with the same type and config
// schema as theirs, so the mappings can be checked before those nodes land on main.
import { z } from 'zod';
import { aiNodes, coreNodes } from '@keyflow/nodes';
import { createNodeRegistry, defineNode, NonRetriableNodeError } from '@keyflow/nodes/contract';

export const standInCode = defineNode({
  type: 'core.code', version: 1, title: 'Code (stand-in)', description: 'stand-in for tests', category: 'core', kind: 'action',
  config: z.strictObject({ code: z.string().min(1).max(1_000_000), mode: z.enum(['runOnceForAllItems', 'runOnceForEachItem']) }),
  async run() {
    throw new NonRetriableNodeError('stand-in');
  },
});

export const standInSlackPost = defineNode({
  type: 'slack.post_message', version: 1, title: 'Slack (stand-in)', description: 'stand-in for tests', category: 'integration', kind: 'action',
  config: z.strictObject({ credentialId: z.uuid().optional(), channel: z.string().trim().min(1).max(200).regex(/^(#?[a-z0-9._-]+|[CGD][A-Z0-9]{2,})$/), text: z.string().max(40_000) }),
  async run() {
    throw new NonRetriableNodeError('stand-in');
  },
});

const hasCode = coreNodes.some((d) => d.type === 'core.code');
export const withStandIns = createNodeRegistry([...coreNodes, ...aiNodes, ...(hasCode ? [] : [standInCode]), standInSlackPost]);
/** Without core.code and Slack: what the importer does when a node type is not installed. */
export const plain = createNodeRegistry([...coreNodes.filter((d) => d.type !== 'core.code'), ...aiNodes]);
