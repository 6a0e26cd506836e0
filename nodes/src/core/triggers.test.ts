import { describe, expect, it } from 'vitest';
import { createTestContext, parseNodeConfig, TEST_NOW } from '../contract/index.ts';
import { cronProblem } from './cron-syntax.ts';
import { manualNode } from './manual.node.ts';
import { scheduleNode } from './schedule.node.ts';
import { webhookNode } from './webhook.node.ts';

describe('core.manual', () => {
  it('outputs the payload it was started with', async () => {
    const ctx = createTestContext({}, { trigger: { hello: 'world' } });
    expect(await manualNode.run(ctx)).toEqual({ output: { hello: 'world' } });
    expect(await manualNode.run(createTestContext({}))).toEqual({ output: {} });
  });

  it('takes no config', () => {
    expect(manualNode.config.safeParse({ x: 1 }).success).toBe(false);
  });
});

describe('core.webhook', () => {
  it('defaults to accepted POST', () => {
    expect(parseNodeConfig(webhookNode, {})).toEqual({ responseMode: 'accepted', method: 'POST' });
  });

  it.each([
    [{ responseMode: 'later' }],
    [{ method: 'TRACE' }],
    [{ timeoutMs: 500 }],
    [{ timeoutMs: 600_000 }],
    [{ extra: true }],
  ])('rejects %j', (config) => {
    expect(webhookNode.config.safeParse(config).success).toBe(false);
  });

  it('outputs the request without credential headers', async () => {
    const config = parseNodeConfig(webhookNode, { responseMode: 'wait' });
    const trigger = {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer sk-secret', cookie: 'sid=1', 'x-keyflow-signature': 'abc' },
      query: { a: '1' },
      body: { name: 'Ada' },
    };
    const { output } = await webhookNode.run(createTestContext(config, { trigger }));
    expect(output).toEqual({ method: 'POST', headers: { 'content-type': 'application/json' }, query: { a: '1' }, body: { name: 'Ada' } });
    expect(JSON.stringify(output)).not.toContain('sk-secret');
  });
});

describe('core.schedule', () => {
  it.each(['*/5 * * * *', '0 9 * * MON-FRI', '0 0 1 JAN,JUL *', '30 8 1-15/2 * 0,7', '0 */10 * * * *', '@daily', '@Hourly', '15 14 1 * sun'])(
    'accepts %s',
    (cron) => {
      expect(cronProblem(cron)).toBeUndefined();
      expect(scheduleNode.config.safeParse({ cron }).success).toBe(true);
    },
  );

  it.each([
    ['', /5 or 6 fields, not 0/],
    ['* * * *', /5 or 6 fields, not 4/],
    ['* * * * * * *', /5 or 6 fields, not 7/],
    ['60 * * * *', /out of range for the minute field/],
    ['* 24 * * *', /hour field/],
    ['* * 0 * *', /day of month field/],
    ['* * * 13 *', /month field/],
    ['* * * * 8', /day of week field/],
    ['5-1 * * * *', /runs backwards/],
    ['*/0 * * * *', /step '0'/],
    ['1/2/3 * * * *', /not valid/],
    ['a * * * *', /out of range/],
    ['@sometimes', /unknown cron macro/],
    ['1,,2 * * * *', /not valid/],
  ])('refuses %j', (cron, message) => {
    expect(cronProblem(cron)).toMatch(message);
    expect(scheduleNode.config.safeParse({ cron }).success).toBe(false);
  });

  it('validates the time zone and defaults it to UTC', () => {
    expect(parseNodeConfig(scheduleNode, { cron: '@daily' }).timezone).toBe('UTC');
    expect(scheduleNode.config.safeParse({ cron: '@daily', timezone: 'Europe/Paris' }).success).toBe(true);
    const bad = scheduleNode.config.safeParse({ cron: '@daily', timezone: 'Mars/Olympus' });
    expect(bad.error?.issues[0]).toMatchObject({ path: ['timezone'], message: "unknown time zone 'Mars/Olympus'" });
  });

  it('outputs the scheduled time, or now for a manual test', async () => {
    const config = parseNodeConfig(scheduleNode, { cron: '0 9 * * *', timezone: 'Europe/Paris' });
    const fired = await scheduleNode.run(createTestContext(config, { trigger: { scheduledAt: '2025-02-03T08:00:00.000Z' } }));
    expect(fired.output).toEqual({ scheduledAt: '2025-02-03T08:00:00.000Z', cron: '0 9 * * *', timezone: 'Europe/Paris' });
    const manual = await scheduleNode.run(createTestContext(config));
    expect(manual.output).toMatchObject({ scheduledAt: TEST_NOW.toISOString() });
  });
});
