import { z } from 'zod';
import { defineNode, NonRetriableNodeError } from '../contract/index.ts';

export const MAX_LOOP_ITEMS = 10_000;

/**
 * Runs its body (the nodes reachable from the 'item' output) once per item, then fires
 * 'done' with the per-item results. A body may end in a back edge into the loop's 'next'
 * input; see LoopResult in the contract for what the executor does.
 */
export const loopNode = defineNode({
  type: 'core.loop',
  version: 1,
  title: 'Loop',
  description: 'Runs the branch on "item" once for each element of a list, then continues on "done".',
  keywords: ["for each", "each item", "every item", "one by one", "iterate", "loop", "batch", "per row", "for every"],
  examples: [
    { text: "For each row in the list", config: {"items": "{{ $trigger.body.items }}"} },
  ],
  category: 'core',
  kind: 'loop',
  config: z.strictObject({
    items: z.unknown().describe('An expression resolving to an array'),
    concurrency: z.int().min(1).max(20).default(1).describe('How many items run at once'),
  }),
  async run(ctx) {
    const { items, concurrency } = ctx.config;
    if (!Array.isArray(items)) {
      throw new NonRetriableNodeError('loop items must resolve to an array', { details: { received: items === null ? 'null' : typeof items } });
    }
    if (items.length > MAX_LOOP_ITEMS) {
      throw new NonRetriableNodeError(`a loop runs at most ${MAX_LOOP_ITEMS} items`, { details: { received: items.length } });
    }
    return { items: [...items], concurrency };
  },
});
