// The canvas in Chromium against the real server (embedded mode), driven like a person: real
// pointer moves for dragging from the palette and connecting handles, the keyboard for
// shortcuts and the clipboard. Any console error or warning fails the test.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});
afterEach(() => h.assertNoProblems());

const PASSWORD = 'correct horse battery';

async function signUp(page: Page): Promise<void> {
  h.expectHttpError(401, '/api/auth/me');
  await page.goto('/signup');
  await page.getByLabel('Email').fill(`canvas-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.test`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'Workflows', exact: true }).waitFor();
}

async function createWorkflow(page: Page, name: string): Promise<string> {
  await page.getByRole('button', { name: 'New workflow' }).click();
  const dialog = page.getByRole('dialog', { name: 'New workflow' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/workflows\/[0-9a-f-]{36}$/);
  await page.locator('[data-node-id="start"]').waitFor();
  return new URL(page.url()).pathname.split('/').pop()!;
}

async function center(l: Locator): Promise<{ x: number; y: number }> {
  const b = await l.boundingBox();
  if (!b) throw new Error('element has no box');
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** A real pointer drag: press, move in steps, release. */
async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 8, from.y + 8, { steps: 2 });
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
}

async function dragFromPalette(page: Page, title: string, to: { x: number; y: number }) {
  const entry = page.locator('.kf-palette').getByRole('button', { name: title, exact: true });
  await drag(page, await center(entry), to);
}

const node = (page: Page, id: string) => page.locator(`.kf-canvas [data-node-id="${id}"]`);
const handle = (page: Page, id: string, kind: 'source' | 'target', name = 'main') => page.locator(`.react-flow__node[data-id="${id}"] .react-flow__handle.${kind}[data-handleid="${name}"]`);

async function connect(page: Page, from: string, to: string) {
  await drag(page, await center(handle(page, from, 'source')), await center(handle(page, to, 'target')));
}

async function canvasBox(page: Page) {
  const b = await page.locator('.kf-canvas .react-flow').boundingBox();
  if (!b) throw new Error('no canvas');
  return b;
}

const saved = (page: Page) => page.locator('.kf-saved').waitFor();
const unsaved = (page: Page) => page.locator('.kf-unsaved').waitFor();

async function serverGraph(page: Page, id: string) {
  return page.evaluate(async (wf) => {
    const res = await fetch(`/api/workflows/${wf}`, { credentials: 'same-origin' });
    return ((await res.json()) as { graph: { nodes: { id: string; type: string; name?: string; config: Record<string, unknown>; position: { x: number; y: number } }[]; edges: { source: string; target: string }[] }; currentVersion: number });
  }, id);
}

/** Runs a step; on failure keeps a screenshot of what the page showed. */
function step(name: string, fn: () => Promise<void>) {
  it(name, async () => {
    try {
      await fn();
    } catch (error) {
      if (page) await h.screenshot(page, `failed-${name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`).catch(() => undefined);
      throw error;
    }
  }, 120_000);
}

let page: Page;

describe('the canvas', () => {
  let workflowId: string;

  step('builds webhook → transform → respond by dragging from the palette and connecting handles', async () => {
    page = await h.newPage();
    page.setDefaultTimeout(10_000);
    await signUp(page);
    workflowId = await createWorkflow(page, 'Lead greeter');
    await h.screenshot(page, 'canvas-new');

    // The starter trigger goes: a webhook replaces it.
    await node(page, 'start').click();
    await page.keyboard.press('Delete');
    await expect.poll(() => node(page, 'start').count()).toBe(0);

    const box = await canvasBox(page);
    await dragFromPalette(page, 'Webhook', { x: box.x + 130, y: box.y + 150 });
    await dragFromPalette(page, 'Transform', { x: box.x + 340, y: box.y + 300 });
    await dragFromPalette(page, 'Respond to webhook', { x: box.x + 500, y: box.y + 150 });
    await node(page, 'webhook').waitFor();
    await node(page, 'transform').waitFor();
    await node(page, 'respond').waitFor();
    expect(await node(page, 'webhook').getAttribute('data-node-type')).toBe('core.webhook');

    await connect(page, 'webhook', 'transform');
    await connect(page, 'transform', 'respond');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);

    // A refused connection says why, and adds nothing.
    await drag(page, await center(handle(page, 'respond', 'source')), await center(handle(page, 'transform', 'target')));
    await page.getByText("Cannot connect: this would close a cycle; only an edge into a loop's 'next' input may lead back.").waitFor();
    await drag(page, await center(handle(page, 'transform', 'source')), await center(handle(page, 'transform', 'target')));
    await page.getByText('Cannot connect: a node cannot be connected to itself.').waitFor();
    expect(await page.locator('.react-flow__edge').count()).toBe(2);
    await unsaved(page);
    await h.screenshot(page, 'canvas-built');
  });

  step('configures the nodes through the forms, with an expression picked from autocomplete', async () => {
    await node(page, 'transform').click();
    const inspector = page.getByRole('region', { name: 'Inspector' });
    await inspector.getByRole('button', { name: 'Add to Fields' }).click();
    await h.screenshot(page, 'inspector-transform');
  });
});
