// The windowed time cursor behind the Drive and Notion polling triggers, on listings as the
// services answer them (time ascending, from windowStart).
import { describe, expect, it } from 'vitest';
import { formatTimeCursor, parseTimeCursor, scanTimed, startTimeCursor, windowStart, type TimedItem } from './time-cursor.ts';

const MIN = 60_000;
const at = (m: number, s = 0) => new Date(Date.UTC(2026, 0, 1, 12, m, s)).toISOString();
const item = (key: string, time: string): TimedItem => ({ key, time });
/** What the service lists for a cursor: items at or after the window start, time ascending, stable. */
const list = (all: TimedItem[], c: ReturnType<typeof parseTimeCursor>, lookbackMs: number) =>
  all.filter((i) => Date.parse(i.time) >= Date.parse(windowStart(c, lookbackMs))).sort((a, b) => Date.parse(a.time) - Date.parse(b.time));

describe('time cursor', () => {
  it('starts after what exists: the newest time, and the keys inside the window are known', () => {
    const c = startTimeCursor([item('old', at(0)), item('a', at(9)), item('b', at(10))], 3 * MIN);
    expect(c).toEqual({ t: at(10), known: [['a', at(9)], ['b', at(10)]] });
    expect(windowStart(c, 3 * MIN)).toBe(at(7));
    expect(startTimeCursor([], MIN)).toEqual({ t: '', known: [] });
    expect(windowStart({ t: '', known: [] }, MIN)).toBe('1970-01-01T00:00:00.000Z');
  });

  it('splits a burst over polls at equal timestamps without losing or repeating an item', () => {
    // Seven items, five sharing one minute (Notion's precision), three per poll.
    const all = [item('x', at(1)), item('p1', at(2)), item('p2', at(2)), item('p3', at(2)), item('p4', at(2)), item('p5', at(2)), item('y', at(3))];
    let c = startTimeCursor([], MIN);
    const got: string[] = [];
    for (let i = 0; i < 5; i++) {
      const scan = scanTimed(list(all, c, MIN), c, { seen: new Set(), max: 3, lookbackMs: MIN });
      got.push(...scan.taken.map((t) => t.key));
      c = parseTimeCursor(formatTimeCursor(scan.cursor));
    }
    expect(got).toEqual(['x', 'p1', 'p2', 'p3', 'p4', 'p5', 'y']);
  });

  it('a late-indexed item with a time before the cursor is still reported, once', () => {
    let c = startTimeCursor([], 3 * MIN);
    const visible = [item('a', at(5)), item('c', at(6))];
    let scan = scanTimed(list(visible, c, 3 * MIN), c, { seen: new Set(), max: 10, lookbackMs: 3 * MIN });
    expect(scan.taken.map((t) => t.key)).toEqual(['a', 'c']);
    c = scan.cursor;
    // b was made at 5:30 but shows up in the listing only now.
    visible.push(item('b', at(5, 30)));
    scan = scanTimed(list(visible, c, 3 * MIN), c, { seen: new Set(), max: 10, lookbackMs: 3 * MIN });
    expect(scan.taken.map((t) => t.key)).toEqual(['b']);
    scan = scanTimed(list(visible, scan.cursor, 3 * MIN), scan.cursor, { seen: new Set(), max: 10, lookbackMs: 3 * MIN });
    expect(scan.taken).toEqual([]);
  });

  it('skips keys the engine has seen, forgets keys older than the window, and reads a corrupt cursor as empty', () => {
    const c = startTimeCursor([item('a', at(1))], MIN);
    const scan = scanTimed([item('a', at(1)), item('s', at(5)), item('n', at(20))], c, { seen: new Set(['s']), max: 10, lookbackMs: MIN });
    expect(scan.taken.map((t) => t.key)).toEqual(['n']);
    expect(scan.cursor).toEqual({ t: at(20), known: [['n', at(20)]] });
    expect(parseTimeCursor('not json')).toEqual({ t: '', known: [] });
    expect(parseTimeCursor('12345')).toEqual({ t: '', known: [] });
  });
});
