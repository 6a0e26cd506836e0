// What the editor bench measures inside one Chromium page: the JS and CSS the editor fetched
// before its canvas first showed a node (CDP Network events), the time from navigation to an
// interactive canvas, frame times from requestAnimationFrame timestamps taken in the page while a
// pointer drags a node or pans, the DOM size and the JS heap after a forced GC (CDP).
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

export interface Asset {
  url: string;
  kind: 'js' | 'css';
  /** Bytes on the wire as Chromium counted them (headers included). */
  transferred: number;
  /** Finished before the first canvas node was on screen. */
  beforeCanvas: boolean;
}

/** Records every finished script and stylesheet; `markCanvas()` splits before/after. */
export async function watchAssets(cdp: CDPSession): Promise<{ assets: Asset[]; markCanvas(): void }> {
  const pending = new Map<string, { url: string; kind: 'js' | 'css' }>();
  const assets: Asset[] = [];
  let canvasShown = false;
  await cdp.send('Network.enable');
  // No cache: a first visit.
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  cdp.on('Network.responseReceived', (e) => {
    const kind = e.type === 'Script' ? 'js' : e.type === 'Stylesheet' ? 'css' : undefined;
    if (kind) pending.set(e.requestId, { url: e.response.url, kind });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const a = pending.get(e.requestId);
    if (!a) return;
    pending.delete(e.requestId);
    assets.push({ ...a, transferred: e.encodedDataLength, beforeCanvas: !canvasShown });
  });
  return { assets, markCanvas: () => void (canvasShown = true) };
}

/**
 * Navigates to the workflow and waits for an interactive canvas: its nodes drawn and then two
 * animation frames painted (the main thread free to answer a pointer). Milliseconds since the
 * navigation started, from the page's own clock.
 */
export interface OpenTimes {
  /** When the last script or stylesheet finished arriving. */
  assetsMs: number;
  /** When the last API answer the screen asked for arrived (workflow, node catalog, session). */
  apiMs: number;
  /** The slowest API request, as path and duration. */
  slowestApi: string;
  firstNodeMs: number;
  interactiveMs: number;
}

export async function openCanvas(page: Page, path: string, onFirstNode?: () => void): Promise<OpenTimes> {
  await page.goto(path, { waitUntil: 'commit' });
  await page.locator('.kf-canvas .react-flow__node').first().waitFor({ state: 'visible', timeout: 60_000 });
  onFirstNode?.();
  return page.evaluate(async () => {
    const firstNodeMs = performance.now();
    await new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
    const interactiveMs = performance.now();
    const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const before = entries.filter((e) => e.responseEnd <= firstNodeMs);
    const assets = before.filter((e) => new URL(e.name).pathname.startsWith('/assets/'));
    const api = before.filter((e) => new URL(e.name).pathname.startsWith('/api/'));
    const slowest = api.reduce<PerformanceResourceTiming | undefined>((a, e) => (!a || e.duration > a.duration ? e : a), undefined);
    return {
      assetsMs: Math.max(0, ...assets.map((e) => e.responseEnd)),
      apiMs: Math.max(0, ...api.map((e) => e.responseEnd)),
      slowestApi: slowest ? `${new URL(slowest.name).pathname.replace(/[0-9a-f-]{36}/, ':id')} ${slowest.duration.toFixed(0)} ms` : '—',
      firstNodeMs,
      interactiveMs,
    };
  });
}

/**
 * Before any page script: counts the canvas node elements at their peak, to see how many the
 * canvas mounted while opening (React Flow draws each node once to measure it before culling).
 */
export async function countPeakNodes(ctx: BrowserContext): Promise<void> {
  await ctx.addInitScript(() => {
    const w = window as unknown as { __kfPeakNodes: number };
    w.__kfPeakNodes = 0;
    new MutationObserver(() => {
      const n = document.getElementsByClassName('react-flow__node').length;
      if (n > w.__kfPeakNodes) w.__kfPeakNodes = n;
    }).observe(document, { childList: true, subtree: true });
  });
}

export function peakNodes(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __kfPeakNodes: number }).__kfPeakNodes);
}

/** Starts recording rAF timestamps in the page. */
export function startFrames(page: Page): Promise<void> {
  return page.evaluate(() => {
    const w = window as unknown as { __kfFrames: number[]; __kfFramesOn: boolean };
    w.__kfFrames = [];
    w.__kfFramesOn = true;
    const tick = (t: number) => {
      if (!w.__kfFramesOn) return;
      w.__kfFrames.push(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** Stops recording and answers the intervals between consecutive frames (ms). */
export async function stopFrames(page: Page): Promise<number[]> {
  const stamps = await page.evaluate(() => {
    const w = window as unknown as { __kfFrames: number[]; __kfFramesOn: boolean };
    w.__kfFramesOn = false;
    return w.__kfFrames;
  });
  return stamps.slice(1).map((t, i) => t - stamps[i]!);
}

/** A pointer drag of `distance` px over `moves` moves, one per animation frame at most. */
async function pointerDrag(page: Page, from: { x: number; y: number }, by: { x: number; y: number }, moves: number): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= moves; i++) {
    await page.mouse.move(from.x + (by.x * i) / moves, from.y + (by.y * i) / moves);
    // Let the page render between moves, as a person's 60-120 Hz pointer would.
    await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => r())));
  }
  await page.mouse.up();
}

/** Frame intervals while dragging one node (the one nearest the canvas centre that is fully visible). */
export async function dragNodeFrames(page: Page, moves = 120): Promise<number[]> {
  const target = await page.evaluate(() => {
    const pane = document.querySelector('.kf-canvas .react-flow')!.getBoundingClientRect();
    const cx = pane.left + pane.width / 2;
    const cy = pane.top + pane.height / 2;
    let best: { x: number; y: number; d: number } | undefined;
    for (const el of document.querySelectorAll<HTMLElement>('.kf-canvas .react-flow__node')) {
      const b = el.getBoundingClientRect();
      if (b.left < pane.left || b.right > pane.right || b.top < pane.top || b.bottom > pane.bottom) continue;
      const x = b.left + b.width / 2;
      const y = b.top + b.height / 2;
      const d = Math.hypot(x - cx, y - cy);
      if (!best || d < best.d) best = { x, y, d };
    }
    return best;
  });
  if (!target) throw new Error('no fully visible node to drag');
  // Grab the node by its text, away from its handles.
  await startFrames(page);
  await pointerDrag(page, target, { x: 160, y: 90 }, moves);
  return stopFrames(page);
}

/** Frame intervals while panning: a drag on an empty spot of the pane. */
export async function panFrames(page: Page, moves = 120): Promise<number[]> {
  const spot = await page.evaluate(() => {
    const pane = document.querySelector('.kf-canvas .react-flow')!.getBoundingClientRect();
    for (let y = pane.top + 40; y < pane.bottom - 40; y += 15) {
      for (let x = pane.left + 40; x < pane.right - 240; x += 15) {
        const el = document.elementFromPoint(x, y);
        if (el?.classList.contains('react-flow__pane')) return { x, y };
      }
    }
    return undefined;
  });
  if (!spot) throw new Error('no empty spot on the pane to pan from');
  await startFrames(page);
  await pointerDrag(page, spot, { x: 200, y: 60 }, moves);
  return stopFrames(page);
}

export interface MainThread {
  /** Main-thread time over the gesture (ms), from Chromium's Performance.getMetrics. */
  task: number;
  script: number;
  layout: number;
  style: number;
}

/** Runs `gesture` and answers how the renderer's main thread spent its time meanwhile. */
export async function mainThreadDuring<T>(cdp: CDPSession, gesture: () => Promise<T>): Promise<{ result: T; main: MainThread }> {
  await cdp.send('Performance.enable');
  const read = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const get = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
    return { task: get('TaskDuration'), script: get('ScriptDuration'), layout: get('LayoutDuration'), style: get('RecalcStyleDuration') };
  };
  const before = await read();
  const result = await gesture();
  const after = await read();
  await cdp.send('Performance.disable');
  return { result, main: { task: after.task - before.task, script: after.script - before.script, layout: after.layout - before.layout, style: after.style - before.style } };
}

/** DOM elements in the document. */
export function domCount(page: Page): Promise<number> {
  return page.evaluate(() => document.getElementsByTagName('*').length);
}

/** The page's used JS heap after a forced garbage collection, in bytes. */
export async function heapUsed(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.send('Performance.disable');
  const used = metrics.find((m) => m.name === 'JSHeapUsedSize');
  if (!used) throw new Error('Chromium reported no JSHeapUsedSize');
  return used.value;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}

/** Where a CPU profile's self time went: the top functions, as name and place (url:line:column). */
export interface ProfileSummary {
  totalMs: number;
  top: { fn: string; at: string; ms: number }[];
}

/** Runs `work` under Chromium's sampling CPU profiler (CDP Profiler) and sums self time per function. */
export async function cpuProfile<T>(cdp: CDPSession, work: () => Promise<T>, top = 15): Promise<{ result: T; profile: ProfileSummary }> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const outcome = await work().then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.send('Profiler.disable');
  if (!outcome.ok) throw outcome.error;
  const nodes = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n as ProfileNode]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const self = new Map<string, { fn: string; at: string; ms: number }>();
  let totalMs = 0;
  samples.forEach((id, i) => {
    const ms = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    const f = nodes.get(id)!.callFrame;
    if (f.functionName === '(idle)' || f.functionName === '(program)') return;
    totalMs += ms;
    const at = f.url ? `${new URL(f.url).pathname}:${f.lineNumber + 1}:${f.columnNumber + 1}` : '';
    const k = `${f.functionName}@${at}`;
    const e = self.get(k) ?? { fn: f.functionName || '(anonymous)', at, ms: 0 };
    e.ms += ms;
    self.set(k, e);
  });
  return { result: outcome.value, profile: { totalMs, top: [...self.values()].sort((a, b) => b.ms - a.ms).slice(0, top) } };
}
