import type { AnyNodeDefinition } from '../contract/index.ts';
import { aiCompleteNode } from './complete.node.ts';

export { aiCompleteConfig, aiCompleteNode, aiCompleteOutput, aiTiers, MAX_DECISION_CANDIDATES, type AiCompleteOutput } from './complete.node.ts';

/** Every AI node. */
export const aiNodes: readonly AnyNodeDefinition[] = [aiCompleteNode];
