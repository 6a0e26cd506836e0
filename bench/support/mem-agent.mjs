// Preloaded into a process under `npm run bench -- mem` (`node --import <this file> …`): on
// SIGUSR2 it writes a JSON report of the process's memory next to the path in
// KEYFLOW_MEM_REPORT (`<path>.<n>.json`, n counting from 1), and a heap snapshot beside it
// (`<path>.<n>.heapsnapshot`) when the file `<path>.<n>.want-snapshot` exists. A snapshot costs
// the process 100+ MB of malloc'd memory it keeps, so only a process's last report should take one. Plain JavaScript with no imports of the
// product, so it changes the process it measures as little as possible.
import { createRequire } from 'node:module';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import v8 from 'node:v8';

const base = process.env.KEYFLOW_MEM_REPORT;
const require = createRequire(import.meta.url);
let n = 0;

/** Every mapping of /proc/self/smaps with its size and resident kB. */
function mappings() {
  let text;
  try {
    text = readFileSync('/proc/self/smaps', 'utf8');
  } catch {
    return [];
  }
  const out = [];
  let cur;
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const start = BigInt(`0x${head[1]}`);
      // glibc's thread arenas are heaps aligned to 64 MiB (HEAP_MAX_SIZE), read-write in their used part.
      const arena = !head[4] && start % (64n << 20n) === 0n;
      cur = { size: (parseInt(head[2], 16) - parseInt(head[1], 16)) / 1024, perms: head[3], name: head[4] || '', rss: 0, arena };
      out.push(cur);
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && cur) cur.rss = Number(rss[1]);
  }
  return out;
}

function report() {
  n += 1;
  // RSS as the process holds it, then everything else after a full GC (--expose-gc), so heap
  // figures count live data, not garbage waiting for V8's next major GC.
  const rssBeforeGc = process.memoryUsage.rss();
  if (global.gc) global.gc();
  const file = `${base}.${n}`;
  const data = {
    pid: process.pid,
    rssBeforeGc,
    memoryUsage: process.memoryUsage(),
    heapSpaces: v8.getHeapSpaceStatistics(),
    heapCode: v8.getHeapCodeStatistics(),
    heap: v8.getHeapStatistics(),
    commonJsModules: Object.keys(require.cache).length,
    smaps: mappings().filter((m) => m.rss > 0),
  };
  writeFileSync(`${file}.json`, JSON.stringify(data));
  if (existsSync(`${file}.want-snapshot`)) v8.writeHeapSnapshot(`${file}.heapsnapshot`);
  writeFileSync(`${file}.done`, '');
}

if (base) process.on('SIGUSR2', report);
