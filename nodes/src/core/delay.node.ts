import { z } from 'zod';
import { defineNode } from '../contract/index.ts';

const UNIT_MS = { seconds: 1_000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
export const MAX_DELAY_MS = 30 * UNIT_MS.days;

/** Parks the run until now + amount (no worker held), then passes its input on. */
export const delayNode = defineNode({
  type: 'core.delay',
  version: 1,
  title: 'Delay',
  description: 'Waits for a while, then continues (at most 30 days).',
  keywords: ["wait", "delay", "pause", "later", "after a while", "poll", "minutes later", "sleep"],
  examples: [
    { text: "Wait 10 minutes, then continue", config: {"amount": 10, "unit": "minutes"} },
  ],
  category: 'core',
  kind: 'delay',
  config: z
    .strictObject({
      amount: z.number().positive(),
      unit: z.enum(['seconds', 'minutes', 'hours', 'days']),
    })
    .refine((c) => c.amount * UNIT_MS[c.unit] <= MAX_DELAY_MS, { path: ['amount'], message: 'a delay is at most 30 days' }),
  async run(ctx) {
    const ms = Math.round(ctx.config.amount * UNIT_MS[ctx.config.unit]);
    return { output: ctx.input, resumeAt: new Date(ctx.now().getTime() + ms) };
  },
});
