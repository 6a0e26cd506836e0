import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.ts';

/** A fake store: each statement is recorded, and settles only when the test says so. */
function fakeStore(bad: (item: number) => boolean = () => false, gather = false) {
  const statements: number[][] = [];
  const inFlight: (() => void)[] = [];
  const committed = new Set<number>();
  const run = (items: number[]) =>
    new Promise<number[]>((resolve, reject) => {
      statements.push(items);
      inFlight.push(() => {
        if (items.some(bad)) return reject(new Error(`bad item ${items.find(bad)}`));
        for (const i of items) committed.add(i);
        resolve(items.map((i) => i * 10));
      });
    });
  const group = new GroupCommit<number, number>({ many: run, one: async (i) => (await run([i]))[0]!, maxBatch: 3, gather });
  /** Commits the oldest statement in flight, then lets the writer's continuations run. */
  const commitNext = async () => {
    inFlight.shift()!();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { group, statements, committed, commitNext, inFlight };
}

describe('GroupCommit', () => {
  it('writes a lone item at once, in a statement of its own', () => {
    const s = fakeStore();
    void s.group.write(1);
    expect(s.statements).toEqual([[1]]);
  });

  it('groups the items that arrive while a statement is in flight into one statement', async () => {
    const s = fakeStore();
    const first = s.group.write(1);
    const later = [s.group.write(2), s.group.write(3), s.group.write(4)];
    expect(s.statements).toEqual([[1]]);
    await s.commitNext();
    expect(await first).toBe(10);
    // The three that waited go together, and nothing else is written meanwhile.
    expect(s.statements).toEqual([[1], [2, 3, 4]]);
    await s.commitNext();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
  });

  it('splits what waited into statements of maxBatch items', async () => {
    const s = fakeStore();
    void s.group.write(1);
    const rest = [2, 3, 4, 5, 6].map((i) => s.group.write(i));
    await s.commitNext();
    await s.commitNext();
    await s.commitNext();
    expect(s.statements).toEqual([[1], [2, 3, 4], [5, 6]]);
    expect(await Promise.all(rest)).toEqual([20, 30, 40, 50, 60]);
  });

  it('resolves a caller only once its own statement has committed', async () => {
    const s = fakeStore();
    let resolved = false;
    void s.group.write(1);
    void s.group.write(2).then(() => (resolved = true));
    await s.commitNext();
    // Item 1 committed; item 2's statement is in flight, not committed: its caller still waits.
    expect(s.committed.has(2)).toBe(false);
    expect(resolved).toBe(false);
    await s.commitNext();
    expect(s.committed.has(2)).toBe(true);
    expect(resolved).toBe(true);
  });

  it('tries the items of a failed statement one by one: only the bad one fails', async () => {
    const s = fakeStore((i) => i === 3);
    void s.group.write(1);
    const results = [2, 3, 4].map((i) => s.group.write(i).then((r) => ({ ok: r }), (err: Error) => ({ err: err.message })));
    await s.commitNext(); // [1]
    await s.commitNext(); // [2, 3, 4] fails as a whole
    await s.commitNext(); // [2]
    await s.commitNext(); // [3] fails again
    await s.commitNext(); // [4]
    expect(s.statements).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
    expect(await Promise.all(results)).toEqual([{ ok: 20 }, { err: 'bad item 3' }, { ok: 40 }]);
  });

  it('keeps a lone failed item failed without a retry, and goes on with the next', async () => {
    const s = fakeStore((i) => i === 1);
    const failed = s.group.write(1).catch((err: Error) => err.message);
    const next = s.group.write(2);
    await s.commitNext();
    expect(await failed).toBe('bad item 1');
    await s.commitNext();
    expect(await next).toBe(20);
    expect(s.statements).toEqual([[1], [2]]);
  });

  it('writes several items given together in the same statement', async () => {
    const s = fakeStore();
    const all = s.group.writeAll([7, 8]);
    expect(s.statements).toEqual([[7, 8]]);
    await s.commitNext();
    expect(await all).toEqual([70, 80]);
  });

  describe('gathering to the end of the turn (step checkpoints)', () => {
    const endOfTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

    it('sends the writes of one turn together, at the end of the turn', async () => {
      const s = fakeStore(() => false, true);
      const all = [s.group.write(1), s.group.write(2)];
      expect(s.statements).toEqual([]);
      await endOfTurn();
      expect(s.statements).toEqual([[1, 2]]);
      await s.commitNext();
      expect(await Promise.all(all)).toEqual([10, 20]);
    });

    it('takes the next writes of the callers a commit resumed along with those that waited', async () => {
      const s = fakeStore(() => false, true);
      // Item 1's caller writes 3 as soon as 1 is committed, as a run writes its next step.
      const first = s.group.write(1).then(() => s.group.write(3));
      await endOfTurn();
      const waited = s.group.write(2);
      expect(s.statements).toEqual([[1]]);
      await s.commitNext();
      await endOfTurn();
      // Taken at once, [2] would have gone alone and 3 waited for it.
      expect(s.statements).toEqual([[1], [2, 3]]);
      await s.commitNext();
      expect(await Promise.all([first, waited])).toEqual([30, 20]);
    });

    it('resolves a caller only once its own statement has committed', async () => {
      const s = fakeStore(() => false, true);
      let resolved = false;
      void s.group.write(1).then(() => (resolved = true));
      await endOfTurn();
      expect(resolved).toBe(false);
      await s.commitNext();
      expect(resolved).toBe(true);
    });
  });
});
