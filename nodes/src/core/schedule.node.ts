import { z } from 'zod';
import { defineNode } from '../contract/index.ts';
import { cronProblem } from './cron-syntax.ts';

function timezoneProblem(zone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return undefined;
  } catch {
    return `unknown time zone '${zone}'`;
  }
}

/** Started by the scheduler at each cron tick; $trigger = { scheduledAt }. */
export const scheduleNode = defineNode({
  type: 'core.schedule',
  version: 1,
  title: 'Schedule',
  description: 'Starts the workflow on a cron schedule.',
  keywords: ["every", "daily", "hourly", "weekly", "monthly", "each morning", "every morning", "every weekday", "cron", "scheduled", "on a schedule", "at 9"],
  examples: [
    { text: "Every weekday at 9", config: {"cron": "0 9 * * 1-5", "timezone": "UTC"} },
    { text: "Once a day", config: {"cron": "0 9 * * *", "timezone": "UTC"} },
  ],
  category: 'trigger',
  kind: 'trigger',
  config: z.strictObject({
    cron: z
      .string()
      .max(200)
      .superRefine((value, ctx) => {
        const problem = cronProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .describe('5 fields (minute hour day month weekday), 6 with seconds first, or @daily, @hourly…'),
    timezone: z
      .string()
      .max(100)
      .default('UTC')
      .superRefine((value, ctx) => {
        const problem = timezoneProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .describe('IANA time zone, e.g. Europe/Paris'),
  }),
  output: z.object({ scheduledAt: z.string(), cron: z.string(), timezone: z.string() }),
  async run(ctx) {
    const trigger = ctx.trigger;
    const scheduledAt =
      typeof trigger === 'object' && trigger !== null && 'scheduledAt' in trigger && typeof trigger.scheduledAt === 'string'
        ? trigger.scheduledAt
        : ctx.now().toISOString();
    return { output: { scheduledAt, cron: ctx.config.cron, timezone: ctx.config.timezone } };
  },
});
