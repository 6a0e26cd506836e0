// Where a process's RSS is at the end of the engine bench's load: /proc/<pid>/status (RSS, its
// peak, anonymous against file-backed pages: the node binary's and shared libraries' pages are
// file-backed, shared by every Node process and still counted in each RSS) and V8's heap as the
// process reports it on /metrics (prom-client's heap and heap-space gauges: committed against
// used; "used" includes garbage not yet collected).
import { readFileSync } from 'node:fs';
import { parseExposition, type MetricsSource } from './engine-metrics.ts';
import { readRssBytes } from './engine-proc-stats.ts';

export interface MemoryAtEnd {
  rssBytes: number | undefined;
  /** VmHWM: the largest RSS since the process started (embedded mode: PGlite's start-up compile). */
  peakBytes?: number;
  anonBytes?: number;
  fileBytes?: number;
  heapTotalBytes?: number;
  heapUsedBytes?: number;
  oldTotalBytes?: number;
  oldUsedBytes?: number;
  externalBytes?: number;
}

/** VmRSS, VmHWM, RssAnon and RssFile in bytes from the text of /proc/<pid>/status. */
export function parseStatusMemory(status: string): Pick<MemoryAtEnd, 'rssBytes' | 'peakBytes' | 'anonBytes' | 'fileBytes'> {
  const kb = (name: string) => {
    const m = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const out: Pick<MemoryAtEnd, 'rssBytes' | 'peakBytes' | 'anonBytes' | 'fileBytes'> = { rssBytes: kb('VmRSS') };
  const peak = kb('VmHWM');
  const anon = kb('RssAnon');
  const file = kb('RssFile');
  if (peak !== undefined) out.peakBytes = peak;
  if (anon !== undefined) out.anonBytes = anon;
  if (file !== undefined) out.fileBytes = file;
  return out;
}

/** The heap gauges of one process's exposition (names as Keyflow's registry prefixes them). */
export function heapFromExposition(series: Map<string, number>): Pick<MemoryAtEnd, 'heapTotalBytes' | 'heapUsedBytes' | 'oldTotalBytes' | 'oldUsedBytes' | 'externalBytes'> {
  const out: Pick<MemoryAtEnd, 'heapTotalBytes' | 'heapUsedBytes' | 'oldTotalBytes' | 'oldUsedBytes' | 'externalBytes'> = {};
  const pick = (key: string, field: keyof typeof out) => {
    const v = series.get(key);
    if (v !== undefined) out[field] = v;
  };
  pick('keyflow_nodejs_heap_size_total_bytes', 'heapTotalBytes');
  pick('keyflow_nodejs_heap_size_used_bytes', 'heapUsedBytes');
  pick('keyflow_nodejs_heap_space_size_total_bytes{space="old"}', 'oldTotalBytes');
  pick('keyflow_nodejs_heap_space_size_used_bytes{space="old"}', 'oldUsedBytes');
  pick('keyflow_nodejs_external_memory_bytes', 'externalBytes');
  return out;
}

/** RSS and its parts now; the heap from `metrics` when given (a failed scrape leaves it out). */
export async function memoryAtEnd(pid: number, metrics?: MetricsSource): Promise<MemoryAtEnd> {
  let status: Pick<MemoryAtEnd, 'rssBytes' | 'peakBytes' | 'anonBytes' | 'fileBytes'> = { rssBytes: undefined };
  try {
    status = parseStatusMemory(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    // the process is gone: nothing to report
  }
  if (!metrics || status.rssBytes === undefined) return status;
  try {
    const res = await fetch(metrics.url, { headers: metrics.token ? { authorization: `Bearer ${metrics.token}` } : {}, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) return status;
    return { ...status, ...heapFromExposition(parseExposition(await res.text())) };
  } catch {
    return status;
  }
}

/** MB as the engine report and its 300 MB target count them: 10^6 bytes (RSS in MiB reads about 5 % lower). */
const mb = (b: number) => (b / 1_000_000).toFixed(1);

/** "peak 360.1; anon 290.3 + file 60.1; V8 heap 226.3 committed / 47.1 used (old space 204.3 / 33.3), external 10.2" (MB). */
export function formatMemoryParts(m: MemoryAtEnd): string {
  const parts: string[] = [];
  if (m.peakBytes !== undefined) parts.push(`peak ${mb(m.peakBytes)}`);
  if (m.anonBytes !== undefined && m.fileBytes !== undefined) parts.push(`anon ${mb(m.anonBytes)} + file ${mb(m.fileBytes)}`);
  if (m.heapTotalBytes !== undefined && m.heapUsedBytes !== undefined) {
    const old = m.oldTotalBytes !== undefined && m.oldUsedBytes !== undefined ? ` (old space ${mb(m.oldTotalBytes)} / ${mb(m.oldUsedBytes)})` : '';
    parts.push(`V8 heap ${mb(m.heapTotalBytes)} committed / ${mb(m.heapUsedBytes)} used${old}${m.externalBytes !== undefined ? `, external ${mb(m.externalBytes)}` : ''}`);
  }
  return parts.join('; ');
}

/** The summed RSS of a set of processes, sampled through the load (its end alone lands anywhere in a GC cycle). */
export interface RssSamples {
  meanBytes: number;
  maxBytes: number;
  samples: number;
  intervalMs: number;
}

/**
 * Samples the summed VmRSS of `pids` every `intervalMs` until `stop()`; a tick where one of them
 * cannot be read counts for nothing. `stop()` gives undefined when no tick read them all.
 */
export function sampleRss(pids: number[], intervalMs = 250, read: (pid: number) => number | undefined = readRssBytes): { stop(): RssSamples | undefined } {
  let sum = 0;
  let max = 0;
  let n = 0;
  const tick = () => {
    let total = 0;
    for (const pid of pids) {
      const rss = read(pid);
      if (rss === undefined) return;
      total += rss;
    }
    sum += total;
    n += 1;
    if (total > max) max = total;
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return n === 0 ? undefined : { meanBytes: sum / n, maxBytes: max, samples: n, intervalMs };
    },
  };
}

/** "mean 301.2, max 318.4 MB (612 samples every 250 ms)". */
export function formatRssSamples(s: RssSamples): string {
  return `mean ${mb(s.meanBytes)}, max ${mb(s.maxBytes)} MB (${s.samples} samples every ${s.intervalMs} ms)`;
}
