// A polling cursor for services that can only be asked "what has a timestamp at or after T"
// (Drive's files.list on createdTime/modifiedTime, Notion's query on created_time /
// last_edited_time). Pure: the triggers do the I/O, the engine stores the cursor string.
//
// Why a window and not just "after the newest time seen":
//  - equal timestamps: when a poll stops at its bound (max items), the next item may carry the
//    same time as the last one taken; "after T" would lose it, "at or after T" repeats T's items;
//  - coarse clocks: Notion's times have minute precision, so a page added later in the same
//    minute carries the time already passed;
//  - search lag: both services index a new item a little after its timestamp, so it can show
//    up after a later one was already reported.
// So each poll asks from `t - lookback` (t = newest time taken) and skips the keys it already
// knows: the cursor keeps every key taken inside that window (the engine's `seen` ids back it
// up). The start cursor knows what exists in the window at activation, so nothing old is reported.

export interface TimedItem {
  /** What identifies one event: the item id (new items) or id@time (updates). */
  key: string;
  /** The service's ISO timestamp of the event. */
  time: string;
}

export interface TimeCursor {
  /** Newest event time taken ('' before anything: the window starts at the epoch). */
  t: string;
  /** Keys taken (or existing at start) with their time, inside the window; newest last. */
  known: [key: string, time: string][];
  /** What the cursor was made for (the trigger's resolved target, e.g. a data source id). */
  of?: string;
}

/** Keys kept in a cursor; the window normally holds far fewer. */
export const KNOWN_CAP = 500;

const ms = (iso: string) => {
  const v = Date.parse(iso);
  return Number.isNaN(v) ? 0 : v;
};

/** The cursor stored by the engine, or an empty one (a corrupt or legacy value restarts at the epoch window). */
export function parseTimeCursor(raw: string): TimeCursor {
  try {
    const v = JSON.parse(raw) as Partial<TimeCursor>;
    if (v && typeof v.t === 'string' && Array.isArray(v.known)) {
      const known = v.known.filter((k): k is [string, string] => Array.isArray(k) && typeof k[0] === 'string' && typeof k[1] === 'string');
      return { t: v.t, known, ...(typeof v.of === 'string' ? { of: v.of } : {}) };
    }
  } catch {
    // fall through
  }
  return { t: '', known: [] };
}

export function formatTimeCursor(c: TimeCursor): string {
  return JSON.stringify(c);
}

/** Where the next query starts (inclusive): `t - lookbackMs`, never before the epoch. */
export function windowStart(c: TimeCursor, lookbackMs: number): string {
  return new Date(Math.max(0, c.t === '' ? 0 : ms(c.t) - lookbackMs)).toISOString();
}

function pruned(known: [string, string][], t: string, lookbackMs: number): [string, string][] {
  const from = t === '' ? 0 : ms(t) - lookbackMs;
  return known.filter(([, time]) => ms(time) >= from).slice(-KNOWN_CAP);
}

/** The cursor at activation, from the newest existing items (any order): none of them is reported later. */
export function startTimeCursor(existing: readonly TimedItem[], lookbackMs: number, of?: string): TimeCursor {
  let t = '';
  for (const i of existing) if (t === '' || ms(i.time) > ms(t)) t = i.time;
  const known = [...existing].sort((a, b) => ms(a.time) - ms(b.time)).map((i): [string, string] => [i.key, i.time]);
  return { t, known: pruned(known, t, lookbackMs), ...(of !== undefined ? { of } : {}) };
}

export interface TimeScan<T extends TimedItem> {
  taken: T[];
  cursor: TimeCursor;
  /** More new items than `max` were listed: the rest come next poll. */
  truncated: boolean;
}

/**
 * The new items of a listing sorted by time ascending (from `windowStart`): those whose key is
 * neither known to the cursor nor in `seen`, at most `max`. The cursor moves to the newest time
 * taken and remembers the taken keys; untaken items are all at or after it, so the next poll
 * lists them again.
 */
export function scanTimed<T extends TimedItem>(items: readonly T[], cursor: TimeCursor, opts: { seen: ReadonlySet<string>; max: number; lookbackMs: number }): TimeScan<T> {
  const known = new Set(cursor.known.map(([k]) => k));
  const taken: T[] = [];
  let truncated = false;
  for (const item of items) {
    if (known.has(item.key) || opts.seen.has(item.key)) continue;
    if (taken.length >= opts.max) {
      truncated = true;
      break;
    }
    known.add(item.key);
    taken.push(item);
  }
  let t = cursor.t;
  for (const i of taken) if (t === '' || ms(i.time) > ms(t)) t = i.time;
  const next: TimeCursor = { t, known: pruned([...cursor.known, ...taken.map((i): [string, string] => [i.key, i.time])], t, opts.lookbackMs), ...(cursor.of !== undefined ? { of: cursor.of } : {}) };
  return { taken, cursor: next, truncated };
}
