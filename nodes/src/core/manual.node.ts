import { z } from 'zod';
import { defineNode } from '../contract/index.ts';

/** Started by hand (editor "Run" button or POST /api/workflows/:id/run); payload = $trigger. */
export const manualNode = defineNode({
  type: 'core.manual',
  version: 1,
  title: 'Manual trigger',
  description: 'Starts the workflow by hand, with an optional JSON payload.',
  keywords: ["manual", "by hand", "on demand", "run it myself", "button", "test run", "ad hoc"],
  examples: [
    { text: "Run it by hand when I click Run", config: {} },
  ],
  category: 'trigger',
  kind: 'trigger',
  config: z.strictObject({}),
  async run(ctx) {
    return { output: ctx.trigger ?? {} };
  },
});
