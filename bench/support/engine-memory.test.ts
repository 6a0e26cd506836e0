import { describe, expect, it, vi } from 'vitest';
import { formatMemoryParts, formatRssSamples, heapFromExposition, memoryAtEnd, parseStatusMemory, sampleRss } from './engine-memory.ts';
import { parseExposition } from './engine-metrics.ts';

const status = `Name:\tnode
VmPeak:\t 1200000 kB
VmHWM:\t  300000 kB
VmRSS:\t  250000 kB
RssAnon:\t  190000 kB
RssFile:\t   60000 kB
RssShmem:\t       0 kB
Threads:\t11
`;

describe('engine memory at the end of the load', () => {
  it('reads RSS, its peak and its anonymous and file-backed parts from /proc/<pid>/status', () => {
    expect(parseStatusMemory(status)).toEqual({ rssBytes: 250000 * 1024, peakBytes: 300000 * 1024, anonBytes: 190000 * 1024, fileBytes: 60000 * 1024 });
    expect(parseStatusMemory('Name:\tnode\n')).toEqual({ rssBytes: undefined });
  });

  it('takes the heap gauges from a Keyflow /metrics exposition', () => {
    const text = [
      'keyflow_nodejs_heap_size_total_bytes 200000000',
      'keyflow_nodejs_heap_size_used_bytes 50000000',
      'keyflow_nodejs_heap_space_size_total_bytes{space="old"} 180000000',
      'keyflow_nodejs_heap_space_size_used_bytes{space="old"} 40000000',
      'keyflow_nodejs_heap_space_size_used_bytes{space="new"} 1000000',
      'keyflow_nodejs_external_memory_bytes 4000000',
    ].join('\n');
    expect(heapFromExposition(parseExposition(text))).toEqual({ heapTotalBytes: 200000000, heapUsedBytes: 50000000, oldTotalBytes: 180000000, oldUsedBytes: 40000000, externalBytes: 4000000 });
  });

  it('formats the parts it has', () => {
    const mb = 1_000_000;
    expect(formatMemoryParts({ rssBytes: 250 * mb, peakBytes: 300 * mb, anonBytes: 190 * mb, fileBytes: 60 * mb, heapTotalBytes: 200 * mb, heapUsedBytes: 50 * mb, oldTotalBytes: 180 * mb, oldUsedBytes: 40 * mb, externalBytes: 4 * mb }))
      .toBe('peak 300.0; anon 190.0 + file 60.0; V8 heap 200.0 committed / 50.0 used (old space 180.0 / 40.0), external 4.0');
    expect(formatMemoryParts({ rssBytes: 250 * mb, peakBytes: 300 * mb })).toBe('peak 300.0');
  });

  it('reads this very process, and reports nothing for a process that is gone', async () => {
    const own = await memoryAtEnd(process.pid);
    expect(own.rssBytes).toBeGreaterThan(10 * 1048576);
    expect(own.anonBytes! + own.fileBytes!).toBeLessThanOrEqual(own.rssBytes! + 1048576);
    expect(await memoryAtEnd(2 ** 22 + 12345)).toEqual({ rssBytes: undefined });
  });

  it('samples the summed RSS of several processes, skipping ticks where one is unreadable', () => {
    vi.useFakeTimers();
    try {
      const reads: Record<number, (number | undefined)[]> = { 1: [100, 200, undefined, 300], 2: [10, 20, 30, 40] };
      const sampler = sampleRss([1, 2], 250, (pid) => reads[pid]!.shift());
      vi.advanceTimersByTime(500);
      // Ticks at 0 (110), 250 (220), 500 (process 1 unreadable: skipped) and the one stop() takes (330).
      expect(sampler.stop()).toEqual({ meanBytes: 220, maxBytes: 330, samples: 3, intervalMs: 250 });
      vi.advanceTimersByTime(1000);
      expect(reads[2]).toEqual([40]);
      expect(sampleRss([1], 250, () => undefined).stop()).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
    expect(formatRssSamples({ meanBytes: 300_000_000, maxBytes: 320_500_000, samples: 12, intervalMs: 250 })).toBe('mean 300.0, max 320.5 MB (12 samples every 250 ms)');
  });
});
