import { z } from 'zod';
import { defineNode } from '../contract/index.ts';

/** Started by hand (editor "Run" button or POST /api/workflows/:id/run); payload = $trigger. */
export const manualNode = defineNode({
  type: 'core.manual',
  version: 1,
  title: 'Manual trigger',
  description: 'Starts the workflow by hand, with an optional JSON payload.',
  category: 'trigger',
  kind: 'trigger',
  config: z.strictObject({}),
  async run(ctx) {
    return { output: ctx.trigger ?? {} };
  },
});
