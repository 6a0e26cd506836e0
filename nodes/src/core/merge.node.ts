import { z } from 'zod';
import { defineNode } from '../contract/index.ts';
import { isRecord } from './is-record.ts';

/**
 * Joins branches. The executor runs it once every input edge is settled (done or skipped)
 * and passes a MergeInput: upstream outputs keyed by source node id, in edge order, skipped
 * branches absent. 'all' outputs that object; 'first' the first present output (the branch
 * that ran, after a condition), or null.
 */
export const mergeNode = defineNode({
  type: 'core.merge',
  version: 1,
  title: 'Merge',
  description: 'Waits for its branches and joins their outputs.',
  keywords: ["merge", "combine", "join", "wait for both", "together"],
  examples: [
    { text: "Combine the results of both branches", config: {"mode": "all"} },
  ],
  category: 'core',
  kind: 'merge',
  config: z.strictObject({
    mode: z.enum(['all', 'first']).default('all').describe('"all": an object keyed by node id; "first": the first branch that produced output'),
  }),
  async run(ctx) {
    const input = isRecord(ctx.input) ? ctx.input : {};
    if (ctx.config.mode === 'all') return { output: { ...input } };
    const first = Object.keys(input)[0];
    return { output: first === undefined ? null : input[first] };
  },
});
