// Issue 10's editor figures, inside one Chromium page: frame times while a 200-step run streams
// onto the canvas over SSE (started with the run panel's own "Run test" button), and the time
// from clicking a node to the first paint of its 5 MB output in the step inspector.
import type { Page } from 'playwright-core';
import { apiCall } from './api-client.ts';
import { startFrames, stopFrames } from './editor-page.ts';

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** The newest run of a workflow once it has ended (polls the API). */
export async function waitForRunEnd(baseUrl: string, token: string, workflowId: string, timeoutMs = 120_000): Promise<{ id: string; status: string; startedAt: string | null; finishedAt: string | null }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await apiCall(baseUrl, `/api/runs?workflowId=${workflowId}&limit=1`, { token });
    const run = (res.json as { items: { id: string; status: string; startedAt: string | null; finishedAt: string | null }[] }).items[0];
    if (run && TERMINAL.has(run.status)) return run;
    if (Date.now() > until) throw new Error(`the run of ${workflowId} did not end within ${timeoutMs} ms (${run?.status ?? 'not started'})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A payload of about `bytes` bytes of JSON: an array of objects (the step inspector's table view). */
export function bigPayload(bytes: number): { rows: { id: number; name: string; email: string; notes: string }[] } {
  const notes = 'lorem ipsum dolor sit amet '.repeat(8);
  const row = (id: number) => ({ id, name: `Customer ${id}`, email: `customer${id}@example.test`, notes });
  const rows: ReturnType<typeof row>[] = [];
  // '{"rows":[' + rows joined by ',' + ']}'
  for (let size = 12; size < bytes; size += JSON.stringify(rows[rows.length - 1]).length + 1) rows.push(row(rows.length));
  return { rows };
}

export interface StreamFrames {
  intervals: number[];
  /** Click on "Run test" → the last drawn node turning "succeeded". */
  wallMs: number;
  /** Nodes drawn at the end, and how many of them showed "succeeded". */
  drawn: number;
  succeeded: number;
}

/**
 * On an open canvas: the Runs tab, then "Run test"; records frames until the run has ended
 * (per the API) and every node on screen shows it succeeded.
 */
export async function streamRunFrames(page: Page, runEnded: () => Promise<unknown>): Promise<StreamFrames> {
  await page.getByRole('tab', { name: 'Runs' }).click();
  const button = page.getByRole('button', { name: 'Run test' });
  await button.waitFor();
  // The click is a pointer press at the button's place, found before frames are recorded: a
  // locator's click queries the page by ARIA role and checks the target on the page's main
  // thread (45-60 ms of Playwright's script in the first frames of the window, no person's cost).
  const box = await button.boundingBox();
  if (!box) throw new Error('the Run test button has no box');
  // The window ends at the frame after the last drawn node turned succeeded (seen in the page),
  // not when the bench notices the run's end: the frames after it are idle and would dilute the p95.
  await page.evaluate(() => {
    const w = window as unknown as { __kfAllDone?: number };
    w.__kfAllDone = undefined;
    const mo = new MutationObserver(() => {
      const nodes = document.querySelectorAll('.kf-canvas .kf-node');
      if (nodes.length === 0 || ![...nodes].every((n) => n.getAttribute('data-status') === 'succeeded')) return;
      w.__kfAllDone = performance.now();
      mo.disconnect();
    });
    mo.observe(document.querySelector('.kf-canvas')!, { subtree: true, attributes: true, attributeFilter: ['data-status'] });
  });
  await startFrames(page);
  const t0 = await page.evaluate(() => performance.now());
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await runEnded();
  await page.waitForFunction(() => {
    const nodes = document.querySelectorAll('.kf-canvas .kf-node');
    return nodes.length > 0 && [...nodes].every((n) => n.getAttribute('data-status') === 'succeeded');
  }, undefined, { timeout: 60_000, polling: 100 });
  const { t1, stamps } = await page.evaluate(() => {
    const w = window as unknown as { __kfAllDone?: number; __kfFrames: number[] };
    return { t1: w.__kfAllDone ?? performance.now(), stamps: [...w.__kfFrames] };
  });
  await stopFrames(page);
  // Up to the first frame that began after the last node turned succeeded (the one that painted it).
  const last = stamps.findIndex((t) => t > t1);
  const kept = last === -1 ? stamps : stamps.slice(0, last + 1);
  const intervals = kept.slice(1).map((t, i) => t - kept[i]!);
  const { drawn, succeeded } = await page.evaluate(() => {
    const nodes = [...document.querySelectorAll('.kf-canvas .kf-node')];
    return { drawn: nodes.length, succeeded: nodes.filter((n) => n.getAttribute('data-status') === 'succeeded').length };
  });
  return { intervals, wallMs: t1 - t0, drawn, succeeded };
}

export interface InspectorOpen {
  /** Click on the node → the output section in the DOM → the frame after it painted (ms). */
  domMs: number;
  paintMs: number;
  /** The longest frame interval from the click to half a second after the paint. */
  longestFrameMs: number;
  /** DOM elements in the output section. */
  outputElements: number;
}

/** Clicks node `nodeId` (the side panel on its Node tab) and times its step's output view. */
export async function openStepOutput(page: Page, nodeId: string): Promise<InspectorOpen> {
  await page.getByRole('tab', { name: 'Node' }).click();
  await page.evaluate(() => {
    const w = window as unknown as { __kfClick?: number; __kfOut?: number; __kfPaint?: number; __kfGaps: number[] };
    w.__kfGaps = [];
    let last = performance.now();
    const tick = (t: number) => {
      w.__kfGaps.push(t - last);
      last = t;
      if (w.__kfPaint === undefined || t - w.__kfPaint < 500) requestAnimationFrame(tick);
    };
    document.addEventListener('pointerdown', () => {
      w.__kfClick = performance.now();
      last = w.__kfClick;
      requestAnimationFrame(tick);
    }, { capture: true, once: true });
    const seen = () => {
      if (w.__kfOut !== undefined || !document.querySelector('section.kf-json-view[aria-label="Output"]')) return false;
      w.__kfOut = performance.now();
      requestAnimationFrame(() => requestAnimationFrame(() => void (w.__kfPaint = performance.now())));
      return true;
    };
    const mo = new MutationObserver(() => void (seen() && mo.disconnect()));
    mo.observe(document.body, { childList: true, subtree: true });
  });
  await page.locator(`.kf-canvas [data-node-id="${nodeId}"] .kf-node-title`).click();
  await page.waitForFunction(() => {
    const w = window as unknown as { __kfPaint?: number };
    return w.__kfPaint !== undefined && performance.now() - w.__kfPaint > 600;
  }, undefined, { timeout: 60_000, polling: 100 });
  return page.evaluate(() => {
    const w = window as unknown as { __kfClick: number; __kfOut: number; __kfPaint: number; __kfGaps: number[] };
    return {
      domMs: w.__kfOut - w.__kfClick,
      paintMs: w.__kfPaint - w.__kfClick,
      longestFrameMs: Math.max(...w.__kfGaps),
      outputElements: document.querySelector('section.kf-json-view[aria-label="Output"]')!.getElementsByTagName('*').length,
    };
  });
}
