import { z } from 'zod';
import { defineNode } from '../contract/index.ts';

/**
 * JavaScript truthiness, except for strings that spell false: an expression embedded in text
 * ("{{ $x > 3 }} ") yields the string "false", which a user means as false.
 */
export function isTruthy(value: unknown): boolean {
  if (typeof value === 'string') {
    const s = value.trim().toLowerCase();
    return s !== '' && s !== 'false';
  }
  return Boolean(value);
}

/** Routes its input to 'true' or 'false' by the resolved `if`; the other branch is skipped. */
export const conditionNode = defineNode({
  type: 'core.condition',
  version: 1,
  title: 'Condition',
  description: 'Sends the input down the true or the false branch.',
  keywords: ["if", "only if", "only when", "whether", "filter", "check if", "over", "above", "below", "more than", "less than", "otherwise"],
  examples: [
    { text: "If the amount is over 10k", config: {"if": "{{ $trigger.body.amount > 10000 }}"} },
  ],
  category: 'core',
  kind: 'condition',
  config: z.strictObject({
    // A string expression when stored; any value once resolved. The key is required, but a
    // resolved undefined (a missing field) is allowed and means false.
    if: z
      .unknown()
      .describe('An expression, e.g. {{ $node["score"].output.value > 3 }}'),
  }),
  async run(ctx) {
    return { output: ctx.input, branch: isTruthy(ctx.config.if) ? 'true' : 'false' };
  },
});
