// The owner's monthly AI budget, enforced atomically across processes: a call reserves its
// worst-case cost with ONE conditional UPDATE (row-locked, re-checked against the latest row
// under concurrency), and settles the real cost afterwards.
import { sql } from 'kysely';
import type { Db } from '../../store/database.ts';

export interface Reservation {
  ownerId: string;
  /** 'YYYY-MM' (UTC) of the ledger row the reservation sits on. */
  month: string;
  micros: number;
}

export interface BudgetStore {
  reserve(ownerId: string, micros: number): Promise<Reservation | 'over_budget'>;
  /** Turns the reservation into spend of `actualMicros` (which may differ from the reserve). */
  settle(reservation: Reservation, actualMicros: number): Promise<void>;
  /** Gives the reservation back (the call failed without usage). */
  release(reservation: Reservation): Promise<void>;
  /** Micro-dollars left this month (budget − spent − reserved), or null without a budget. */
  remaining(ownerId: string): Promise<number | null>;
}

export function budgetMonth(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

function micros(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`micro-dollars must be a non-negative integer, got ${n}`);
  return n;
}

/** Postgres / PGlite ledger in `ai_budget_months`; the budget is owner_settings.monthly_budget_micros (null = unlimited). */
export function createDbBudgetStore(db: Db, opts: { now?: () => number } = {}): BudgetStore {
  const now = opts.now ?? Date.now;
  const budgetOf = (ownerId: string) => sql<number | null>`(select s.monthly_budget_micros from owner_settings s where s.owner_id = ${ownerId})`;

  async function adjust(r: Reservation, spent: number): Promise<void> {
    await db
      .updateTable('ai_budget_months')
      .set({ reserved_micros: sql`reserved_micros - ${r.micros}`, spent_micros: sql`spent_micros + ${spent}` })
      .where('owner_id', '=', r.ownerId)
      .where('month', '=', r.month)
      .execute();
  }

  return {
    async reserve(ownerId, amount) {
      const month = budgetMonth(now());
      const x = micros(amount);
      await db
        .insertInto('ai_budget_months')
        .values({ owner_id: ownerId, month, spent_micros: 0, reserved_micros: 0 })
        .onConflict((oc) => oc.columns(['owner_id', 'month']).doNothing())
        .execute();
      const row = await db
        .updateTable('ai_budget_months')
        .set({ reserved_micros: sql`reserved_micros + ${x}::int8` })
        .where('owner_id', '=', ownerId)
        .where('month', '=', month)
        .where(sql<boolean>`(${budgetOf(ownerId)} is null or spent_micros + reserved_micros + ${x}::int8 <= ${budgetOf(ownerId)})`)
        .returning('owner_id')
        .executeTakeFirst();
      return row ? { ownerId, month, micros: x } : 'over_budget';
    },
    settle: (r, actual) => adjust(r, micros(actual)),
    release: (r) => adjust(r, 0),
    async remaining(ownerId) {
      const row = await db
        .selectFrom('owner_settings as s')
        .leftJoin('ai_budget_months as b', (j) => j.onRef('b.owner_id', '=', 's.owner_id').on('b.month', '=', budgetMonth(now())))
        .select(['s.monthly_budget_micros as budget', 'b.spent_micros as spent', 'b.reserved_micros as reserved'])
        .where('s.owner_id', '=', ownerId)
        .executeTakeFirst();
      if (!row || row.budget === null) return null;
      return row.budget - (row.spent ?? 0) - (row.reserved ?? 0);
    },
  };
}
