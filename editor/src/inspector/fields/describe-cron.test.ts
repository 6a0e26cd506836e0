import { describe, expect, it } from 'vitest';
import { describeCron } from './describe-cron.ts';

describe('cron reading', () => {
  it.each([
    ['0 9 * * 1-5', 'Europe/Paris', 'At 09:00, Monday through Friday, Europe/Paris'],
    ['*/15 * * * *', 'UTC', 'Every 15 minutes, UTC'],
    ['0 0 9 * * MON-FRI', 'UTC', 'At 09:00, Monday through Friday, UTC'],
    ['@daily', 'America/New_York', 'At 00:00, America/New_York'],
  ])('%s in %s reads "%s"', (cron, tz, text) => {
    expect(describeCron(cron, tz)).toEqual({ ok: true, text });
  });

  it('explains a schedule it cannot read', () => {
    expect(describeCron('x y', 'UTC')).toMatchObject({ ok: false, problem: expect.stringMatching(/5 fields/) });
    expect(describeCron('61 * * * *', 'UTC')).toMatchObject({ ok: false, problem: expect.stringMatching(/minutes/) });
    expect(describeCron('0 25 * * *', 'UTC')).toMatchObject({ ok: false, problem: expect.stringMatching(/hours/) });
    expect(describeCron('', 'UTC')).toMatchObject({ ok: false });
  });
});
