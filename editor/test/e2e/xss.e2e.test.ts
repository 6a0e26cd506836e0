// SECURITY.md "The browser": names, labels, node outputs and error messages are text, never
// HTML. In Chromium against the real server: markup planted where a tenant (or anyone who can
// post to a webhook) controls the text — a node's name, a sticky note, a credential's label, a
// step's output, a step's error message, the names in an n8n import report — is shown as the
// literal text, and none of it runs. Each payload sets a marker on `window` if it ever executes
// (`onerror`, an inline `<script>`, an `<svg onload>`), and the harness fails on any dialog.
// Seen failing (an `<img src=x>` element appeared in the step view) when StepInspector.tsx
// rendered the step's error message with `dangerouslySetInnerHTML`; mutation applied and reverted.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiFromPage, signUpInPage, startHarness, uniqueEmail, type Harness } from './harness.ts';

let h: Harness;
let page: Page;

beforeAll(async () => {
  h = await startHarness();
  page = await h.newPage();
  await signUpInPage(h, page, uniqueEmail('xss'));
}, 120_000);
afterAll(async () => {
  await h?.close();
});
afterEach(() => h.assertNoProblems());

/** Markup that, if ever parsed as HTML, sets window.__xss to `where`. */
const payload = (where: string) => `<img src=x onerror="window.__xss='${where}'"><svg onload="window.__xss='${where}'"></svg><script>window.__xss='${where}'</script>${where}`;

/** The same for fields of at most 100 characters (a credential's label). */
const shortPayload = (where: string) => `<img src=x onerror="window.__xss='${where}'">${where}`;

async function noScriptRan(): Promise<void> {
  expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss ?? null)).toBeNull();
  // Markup parsed as HTML would leave elements behind, even where a script policy stopped it.
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await page.locator('svg[onload]').count()).toBe(0);
}

const pos = (x: number) => ({ x, y: 0 });
const node = (id: string) => page.locator(`.kf-canvas [data-node-id="${id}"]`);

describe('markup is text everywhere in the editor (Chromium)', { timeout: 90_000 }, () => {
  let workflowId: string;

  it('a node name and a sticky note on the canvas', async () => {
    const graph = {
      nodes: [
        { id: 'start', type: 'core.manual', version: 1, config: {}, position: pos(0), name: payload('name') },
        { id: 'echo', type: 'core.code', version: 1, config: { code: 'return { html: $trigger.html }' }, position: pos(300), name: 'Echo' },
        { id: 'boom', type: 'core.code', version: 1, config: { code: 'throw new Error($trigger.html)' }, position: pos(600), name: 'Boom' },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'echo' }, { id: 'e2', source: 'echo', target: 'boom' }],
      notes: [{ id: 'n1', text: payload('note'), position: { x: 0, y: 200 } }],
    };
    const created = await apiFromPage<{ id: string }>(page, 'POST', '/api/workflows', { name: payload('workflow'), graph });
    expect(created.status).toBe(201);
    workflowId = created.body.id;
    await page.goto(`/workflows/${workflowId}`);
    await node('start').getByText(payload('name')).waitFor();
    // A note is a textarea: its markup is the field's value.
    await expect.poll(() => page.locator('.kf-canvas [data-note-id$="n1"] textarea').inputValue()).toBe(payload('note'));
    await noScriptRan();
  });

  it("a step's output and a step's error message", async () => {
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByLabel('Test payload').fill(JSON.stringify({ html: payload('run') }));
    await page.getByRole('button', { name: 'Run test' }).click();
    await page.locator('.kf-canvas [data-node-id="boom"][data-status="failed"]').waitFor({ timeout: 30_000 });

    await node('echo').locator('.kf-node-title').click();
    await page.getByRole('tab', { name: 'Node' }).click();
    const step = page.getByRole('region', { name: 'Step' });
    await step.waitFor();
    await expect.poll(() => step.textContent()).toContain(`window.__xss='run'`);
    await noScriptRan();

    await node('boom').locator('.kf-node-title').click();
    await page.getByRole('tab', { name: 'Node' }).click();
    const alert = page.getByRole('region', { name: 'Step' }).getByRole('alert').first();
    await alert.waitFor();
    await expect.poll(() => alert.textContent()).toContain(`window.__xss='run'`);
    await noScriptRan();
    await h.screenshot(page, 'xss-step-error');
  });

  it('the names in an n8n import report', async () => {
    const hostile = {
      name: payload('import-workflow'),
      nodes: [
        { id: '1', name: payload('import-node'), type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
        { id: '2', name: `Tell ${payload('import-placeholder')}`, type: 'n8n-nodes-base.telegram', typeVersion: 1, position: [250, 0], parameters: { text: 'hi' }, credentials: { telegramApi: { id: '9', name: payload('import-credential') } } },
      ],
      connections: { [payload('import-node')]: { main: [[{ node: `Tell ${payload('import-placeholder')}`, type: 'main', index: 0 }]] } },
      pinData: {},
      meta: { instanceId: 'e2e' },
    };
    await page.locator('.kf-canvas .react-flow__pane').click({ position: { x: 10, y: 10 } });
    await page.evaluate((text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, JSON.stringify(hostile));
    const preview = page.locator('[data-preview="n8n"]');
    await preview.waitFor();
    const report = preview.getByRole('table', { name: 'Import report' });
    await report.getByText(payload('import-node')).first().waitFor();
    await report.locator('tr[data-status="placeholder"]').getByText(`Tell ${payload('import-placeholder')}`).waitFor();
    await noScriptRan();
    await h.screenshot(page, 'xss-import-report');
    await preview.getByRole('button', { name: 'Discard' }).click();
  });

  it("a credential's label on the keys page, and the workflow's name in the list", async () => {
    const made = await apiFromPage(page, 'POST', '/api/credentials', { provider: 'openai', label: shortPayload('label'), secret: `sk-${randomUUID()}` });
    expect(made.status).toBe(201);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Keys' }).click();
    await page.getByRole('heading', { name: 'Keys and connections' }).waitFor();
    await page.getByText(shortPayload('label')).first().waitFor();
    await noScriptRan();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('link', { name: payload('workflow'), exact: true }).waitFor();
    await noScriptRan();
  });
});
