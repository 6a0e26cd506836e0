// The Inspector in Chromium against the real server (embedded mode): a transform node's form is
// filled by keyboard, with an expression picked from CodeMirror's autocomplete; a select, a
// switch and key/value pairs are set; validation shows on the field; the values survive a save
// and a reload. Any console error or warning fails the test (harness.assertNoProblems).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiFromPage, signUpInPage, startHarness, type Harness } from '../../../test/e2e/harness.ts';

// A loaded machine (the whole suite in parallel) can take seconds per save; the default poll gives up at 1 s.
const POLL = { timeout: 15_000 };

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});
afterEach(() => h.assertNoProblems());

const graph = {
  nodes: [
    { id: 'hook', type: 'core.webhook', version: 1, name: 'Incoming lead', config: { responseMode: 'wait' }, position: { x: 0, y: 0 } },
    { id: 'shape', type: 'core.transform', version: 1, name: 'Shape', config: { fields: [] }, position: { x: 260, y: 0 } },
    { id: 'reply', type: 'core.respond', version: 1, config: { body: 'ok' }, position: { x: 520, y: 0 } },
  ],
  edges: [
    { id: 'e1', source: 'hook', target: 'shape' },
    { id: 'e2', source: 'shape', target: 'reply' },
  ],
};

async function signUpAndCreate(page: Page): Promise<string> {
  await signUpInPage(h, page, `inspector-${Date.now()}@example.test`);
  // The graph itself is not what this test is about: create it over the API, as the page would.
  const res = await apiFromPage<{ id: string }>(page, 'POST', '/api/workflows', { name: 'Inspector e2e', graph });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

describe('the inspector in the browser', () => {
  it('fills a form with an expression from autocomplete; it survives save and reload', async () => {
    const page = await h.newPage();
    const id = await signUpAndCreate(page);
    await page.goto(`/workflows/${id}`);
    await page.locator('[data-node-id="shape"]').first().click();
    const inspector = page.getByRole('region', { name: 'Inspector' });
    await inspector.getByRole('button', { name: 'Add to Fields' }).click();
    await expect.poll(() => inspector.getByText('Required').count(), POLL).toBeGreaterThan(0);

    // The name: a CodeMirror field labelled by the config field's title (once its lazy chunk is in).
    const cm = page.locator('.cm-content');
    const name = inspector.getByRole('textbox', { name: /^Name/ }).and(cm);
    await name.waitFor();
    await name.click();
    await page.keyboard.type('greeting');
    // The value: type the start of an expression, pick `body` then `name`... from the completions.
    const value = inspector.getByRole('textbox', { name: /^Value/ }).and(cm);
    await value.click();
    await page.keyboard.type('Hello {{ $trigger.');
    const list = page.getByRole('listbox');
    await list.getByRole('option', { name: /^body/ }).waitFor();
    await h.screenshot(page, 'inspector-autocomplete');
    const options = await list.getByRole('option').allTextContents();
    expect(options.map((o) => o.replace(/(string|object|any)$/, '')).sort()).toEqual(['body', 'headers', 'method', 'query']);
    await list.getByRole('option', { name: /^body/ }).click();
    await page.keyboard.type(' }}');
    await expect.poll(() => value.textContent(), POLL).toBe('Hello {{ $trigger.body }}');
    // Focus stayed in the field through every keystroke's store round trip.
    expect(await page.evaluate(() => document.activeElement?.closest('.cm-editor') !== null)).toBe(true);
    await expect.poll(() => inspector.getByText('Preview: run the workflow once to see this value.').count(), POLL).toBe(1);

    // A switch and a list: "Keep input" on.
    await inspector.getByRole('switch', { name: /^Keep input/ }).click();
    await h.screenshot(page, 'inspector-transform');

    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await page.evaluate(async (wid) => (await (await fetch(`/api/workflows/${wid}`)).json()) as { graph: typeof graph }, id)).graph.nodes.find((n) => n.id === 'shape')?.config, POLL).toEqual({
      fields: [{ name: 'greeting', value: 'Hello {{ $trigger.body }}' }],
      keepInput: true,
    });
    await page.reload();
    await page.locator('[data-node-id="shape"]').first().click();
    await expect.poll(() => page.getByRole('region', { name: 'Inspector' }).getByRole('textbox', { name: /^Value/ }).and(cm).textContent(), POLL).toBe('Hello {{ $trigger.body }}');
  });

  it('sets a select and key/value pairs on the respond node, and shows a range error on the field', async () => {
    const page = await h.newPage();
    const id = await signUpAndCreate(page);
    await page.goto(`/workflows/${id}`);
    await page.locator('[data-node-id="reply"]').first().click();
    const inspector = page.getByRole('region', { name: 'Inspector' });
    const status = inspector.getByLabel(/^Status/);
    await status.fill('99');
    await expect.poll(() => inspector.getByText('Must be 200 or more').count(), POLL).toBe(1);
    await status.fill('201');
    await expect.poll(() => inspector.getByText('Must be 200 or more').count(), POLL).toBe(0);
    await inspector.getByRole('button', { name: 'Add to Headers' }).click();
    await inspector.getByRole('textbox', { name: 'Headers 1 key' }).fill('X-Source');
    await inspector.getByRole('textbox', { name: 'Headers 1 value' }).fill('keyflow');
    await h.screenshot(page, 'inspector-respond');
    await page.locator('[data-node-id="hook"]').first().click();
    const mode = page.getByRole('region', { name: 'Inspector' }).getByRole('combobox', { name: /^Method/ });
    await mode.click();
    await page.getByRole('option', { name: 'PUT' }).click();
    await expect.poll(() => mode.textContent(), POLL).toContain('PUT');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => {
      const wf = (await page.evaluate(async (wid) => (await (await fetch(`/api/workflows/${wid}`)).json()) as { graph: typeof graph }, id)).graph;
      return [wf.nodes.find((n) => n.id === 'reply')?.config, wf.nodes.find((n) => n.id === 'hook')?.config];
    }, POLL).toEqual([{ body: 'ok', status: 201, headers: { 'X-Source': 'keyflow' } }, { responseMode: 'wait', method: 'PUT' }]);
  });
});
