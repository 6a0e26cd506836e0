// What the processes under test say about themselves on /metrics (prom-client): statements sent
// to the database (keyflow_db_statements_total), garbage collections, and the event loop's delay
// (monitorEventLoopDelay, reset by every scrape, so a scrape before a window and one after it
// give that window's figures).

export interface MetricsSnapshot {
  statements: Map<string, number>;
  gcCount: number;
  gcSeconds: number;
  /** Full (mark-compact) collections alone: prom-client's kind="major". */
  majorGcCount: number;
  /** Of the window since the previous scrape (the histogram resets on scrape); the worst of the processes. */
  loopP99Ms: number;
  loopMaxMs: number;
}

export interface MetricsSource {
  url: string;
  token?: string;
}

/** Parses the text exposition into series "name{labels}" → value. */
export function parseExposition(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const value = Number(line.slice(space + 1));
    if (Number.isFinite(value)) out.set(line.slice(0, space), value);
  }
  return out;
}

export function snapshotOf(series: Map<string, number>[]): MetricsSnapshot {
  const snap: MetricsSnapshot = { statements: new Map(), gcCount: 0, gcSeconds: 0, majorGcCount: 0, loopP99Ms: 0, loopMaxMs: 0 };
  for (const s of series) {
    for (const [key, v] of s) {
      const stmt = /^keyflow_db_statements_total\{statement="([^"]*)"\}$/.exec(key);
      if (stmt) snap.statements.set(stmt[1]!, (snap.statements.get(stmt[1]!) ?? 0) + v);
      else if (key.startsWith('keyflow_nodejs_gc_duration_seconds_count')) {
        snap.gcCount += v;
        if (key.includes('kind="major"')) snap.majorGcCount += v;
      }
      else if (key.startsWith('keyflow_nodejs_gc_duration_seconds_sum')) snap.gcSeconds += v;
      else if (key === 'keyflow_nodejs_eventloop_lag_p99_seconds') snap.loopP99Ms = Math.max(snap.loopP99Ms, v * 1000);
      else if (key === 'keyflow_nodejs_eventloop_lag_max_seconds') snap.loopMaxMs = Math.max(snap.loopMaxMs, v * 1000);
    }
  }
  return snap;
}

export async function scrape(sources: MetricsSource[]): Promise<MetricsSnapshot> {
  const texts = await Promise.all(sources.map(async (s) => {
    const res = await fetch(s.url, { headers: s.token ? { authorization: `Bearer ${s.token}` } : {}, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`${s.url} answered ${res.status}`);
    return parseExposition(await res.text());
  }));
  return snapshotOf(texts);
}

export interface WindowCounters {
  statementsPerRun: number;
  /** The statements that make up most of it, per run, largest first. */
  topStatements: [string, number][];
  gcPerRun: number;
  gcMsPerRun: number;
  majorGcPerRun: number;
  loopP99Ms: number;
  loopMaxMs: number;
  /** An idle process's event-loop delay over the same window (the bench's own): what the machine adds. */
  controlLoopP99Ms?: number;
  controlLoopMaxMs?: number;
}

/** The window between two snapshots, per completed run (`after`'s loop figures are the window's own). */
export function windowCounters(before: MetricsSnapshot, after: MetricsSnapshot, runs: number): WindowCounters {
  const n = Math.max(1, runs);
  const per = new Map<string, number>();
  for (const [k, v] of after.statements) {
    const d = v - (before.statements.get(k) ?? 0);
    if (d > 0) per.set(k, d / n);
  }
  const top = [...per].sort((a, b) => b[1] - a[1]);
  return {
    statementsPerRun: top.reduce((s, [, v]) => s + v, 0),
    topStatements: top.slice(0, 8),
    gcPerRun: (after.gcCount - before.gcCount) / n,
    gcMsPerRun: ((after.gcSeconds - before.gcSeconds) * 1000) / n,
    majorGcPerRun: (after.majorGcCount - before.majorGcCount) / n,
    loopP99Ms: after.loopP99Ms,
    loopMaxMs: after.loopMaxMs,
  };
}
