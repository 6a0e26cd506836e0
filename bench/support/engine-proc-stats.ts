// CPU and memory of processes and of the whole machine, read from /proc (Linux). CPU is what a
// process used, not wall time, so per-request figures hold even when the load generator,
// Postgres and Redis compete for the same cores.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** USER_HZ (clock ticks per second) that /proc reports CPU time in; 100 on almost every Linux. */
export function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
      ticksPerSecond = Number.isInteger(n) && n > 0 ? n : 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** utime + stime in ticks from the text of /proc/<pid>/stat (all threads of the process). */
export function parseStatTicks(stat: string): number {
  // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('unexpected /proc/<pid>/stat format');
  return utime + stime;
}

/** CPU milliseconds a process has used so far; undefined once it is gone. */
export function processCpuMs(pid: number): number | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return (parseStatTicks(text) * 1000) / clockTicks();
}

/** Busy (non-idle, non-iowait) ticks over all cores from the first line of /proc/stat. */
export function parseMachineBusyTicks(procStat: string): number {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('unexpected /proc/stat format');
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already inside user).
  const total = f.slice(0, 8).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  return total - (f[3] ?? 0) - (f[4] ?? 0);
}

/** CPU milliseconds the whole machine has spent busy, all processes and cores together. */
export function machineBusyMs(): number {
  return (parseMachineBusyTicks(readFileSync('/proc/stat', 'utf8')) * 1000) / clockTicks();
}

/** Pids of the processes whose /proc/<pid>/comm is `name` (e.g. redis-server). */
export function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Share of all cores busy over `ms` (0..1): how loaded the machine is before the bench adds to it. */
export async function machineBusyShare(ms: number): Promise<number> {
  const cores = Math.max(1, (readFileSync('/proc/stat', 'utf8').match(/^cpu\d+ /gm) ?? []).length);
  const before = machineBusyMs();
  await new Promise((r) => setTimeout(r, ms));
  return (machineBusyMs() - before) / (ms * cores);
}

/** VmRSS of a process in bytes, read from /proc/<pid>/status. */
export function readRssBytes(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
