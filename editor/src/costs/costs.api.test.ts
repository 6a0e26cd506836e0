// Money and budget arithmetic of the costs page: exact micro-dollars, the 80% warning line,
// and a month of days with the spend-free ones as zero.
import { describe, expect, it } from 'vitest';
import { budgetState, daysOfMonth, usd, type UsageReport } from './costs.api.ts';

describe('costs arithmetic', () => {
  it('formats micro-dollars exactly', () => {
    expect(usd(0)).toBe('$0.000000');
    expect(usd(1)).toBe('$0.000001');
    expect(usd(1_234_567)).toBe('$1.234567');
    expect(usd(-250)).toBe('-$0.000250');
    expect(usd(9_007_199_254_740_991)).toBe('$9007199254.740991');
  });

  it('warns past 80% of the budget, and says when it is over', () => {
    const b = (spent: number, budget: number | null) => ({ month: '2026-12', monthlyBudgetMicros: budget, monthlyBudgetUsd: null, spentMicros: spent, spentUsd: '', remainingMicros: null });
    expect(budgetState(b(800_000, 1_000_000))).toEqual({ ratio: 0.8, warn: false, over: false });
    expect(budgetState(b(800_001, 1_000_000))).toMatchObject({ warn: true, over: false });
    expect(budgetState(b(1_000_000, 1_000_000))).toMatchObject({ warn: true, over: true });
    expect(budgetState(b(5, null))).toEqual({ ratio: null, warn: false, over: false });
    expect(budgetState(b(1, 0))).toMatchObject({ warn: true, over: true });
  });

  it('lists every day of the month with zero where nothing was spent', () => {
    const report = { from: '2026-02-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z', buckets: [{ key: '2026-02-03', costMicros: 42 }] } as unknown as UsageReport;
    const days = daysOfMonth(report);
    expect(days).toHaveLength(28);
    expect(days[2]).toEqual({ day: '2026-02-03', micros: 42 });
    expect(days.filter((d) => d.micros !== 0)).toHaveLength(1);
  });
});
