import { z } from 'zod';
import { DEFAULT_HANDLE, defineNode, HANDLE_PATTERN } from '../contract/index.ts';
import { deepEqual } from './deep-equal.ts';

const MAX_CASES = 50;

const caseSchema = z.strictObject({
  equals: z.unknown(),
  handle: z.string().regex(HANDLE_PATTERN, 'a handle is 1-64 letters, digits, _ or -').optional().describe('Output name; default case<index>'),
});

type SwitchCase = z.output<typeof caseSchema>;

/** The output handle of case `index`. */
export function caseHandle(c: SwitchCase, index: number): string {
  return c.handle ?? `case${index}`;
}

/**
 * Routes its input to the first case whose `equals` deep-equals `value`, else to 'default'.
 * Outputs: one handle per case (its `handle`, or case0, case1…) then 'default'.
 */
export const switchNode = defineNode({
  type: 'core.switch',
  version: 1,
  title: 'Switch',
  description: 'Sends the input down the branch whose case matches a value.',
  keywords: ["route", "routes", "classify into", "depending on", "based on", "categorize", "sort into", "tiered"],
  examples: [
    { text: "Route by priority: high, low", config: {"value": "{{ $trigger.body.priority }}", "cases": [{"equals": "high", "handle": "high"}, {"equals": "low", "handle": "low"}]} },
  ],
  category: 'core',
  kind: 'switch',
  config: z.strictObject({
    value: z.unknown().describe('An expression; compared with each case'),
    cases: z
      .array(caseSchema)
      .min(1)
      .max(MAX_CASES)
      .superRefine((cases, ctx) => {
        const seen = new Set<string>([DEFAULT_HANDLE]);
        cases.forEach((c, i) => {
          const handle = caseHandle(c, i);
          if (seen.has(handle)) ctx.addIssue({ code: 'custom', path: [i, 'handle'], message: `handle '${handle}' is used twice (or is 'default')` });
          seen.add(handle);
        });
      }),
  }),
  outputs: (config) => [...config.cases.map(caseHandle), DEFAULT_HANDLE],
  async run(ctx) {
    const index = ctx.config.cases.findIndex((c) => deepEqual(c.equals, ctx.config.value));
    const match = ctx.config.cases[index];
    return { output: ctx.input, branch: match ? caseHandle(match, index) : DEFAULT_HANDLE };
  },
});
