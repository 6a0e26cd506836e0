// Generation, n8n import and the route preview in the editor, in Chromium against the real
// server (embedded mode, no AI key at first, so generation takes the planner path): a prompt on
// the blank canvas, a refused description shown as an actionable error, the preview with its
// explanation, edit-and-retry, accept as one undoable edit, discard from the toolbar dialog;
// an n8n workflow pasted (Ctrl+V) and one dropped as a file, the report, insert with the
// placeholder marked, undo; the AI node form's route preview before and after adding a key.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiFromPage, signUpInPage, startHarness, type Harness } from './harness.ts';

let h: Harness;
let page: Page;
let workflowId: string;

beforeAll(async () => {
  h = await startHarness();
  page = await h.newPage();
}, 120_000);
afterAll(async () => {
  await h?.close();
});
afterEach(() => h.assertNoProblems());

const canvasNodes = (type: string) => page.locator(`.kf-canvas:not(.kf-canvas--preview) [data-node-type="${type}"]`);
const SENTENCE = 'when a form is posted to my webhook, summarise it with AI and post it to Slack #leads, and if it mentions a budget over 10k also create a Trello card';

const n8nWorkflow = {
  name: 'Leads from n8n',
  nodes: [
    { id: '1', name: 'Form hook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], parameters: { path: 'leads', httpMethod: 'POST' } },
    { id: '2', name: 'Tell Telegram', type: 'n8n-nodes-base.telegram', typeVersion: 1, position: [250, 0], parameters: { text: '={{ $json.body.name }}' }, credentials: { telegramApi: { id: '9', name: 'bot' } } },
    { id: '3', name: 'Post to Slack', type: 'n8n-nodes-base.slack', typeVersion: 2, position: [500, 0], parameters: { select: 'channel', channelId: { __rl: true, value: 'C0123LEADS', mode: 'id' }, text: '={{ $json.body.name }} wrote in' }, credentials: { slackApi: { id: '7', name: 'work' } } },
  ],
  connections: { 'Form hook': { main: [[{ node: 'Tell Telegram', type: 'main', index: 0 }]] }, 'Tell Telegram': { main: [[{ node: 'Post to Slack', type: 'main', index: 0 }]] } },
  pinData: {},
  meta: { instanceId: 'e2e' },
};

describe('generation and n8n import on the canvas', { timeout: 90_000 }, () => {
  it('opens a new workflow: the blank canvas offers the prompt', async () => {
    await signUpInPage(h, page, `gen-${randomUUID().slice(0, 8)}@example.test`);
    const created = await apiFromPage<{ id: string }>(page, 'POST', '/api/workflows', { name: 'From a sentence', graph: { nodes: [{ id: 'start', type: 'core.manual', version: 1, config: {}, position: { x: 0, y: 0 } }], edges: [] } });
    expect(created.status).toBe(201);
    workflowId = created.body.id;
    await page.goto(`/workflows/${workflowId}`);
    await canvasNodes('core.manual').waitFor();
    await page.locator('.kf-blank-prompt').getByLabel('Describe a workflow').waitFor();
    await h.screenshot(page, 'generate-blank');
  });

  it('shows a refused description as an actionable message', async () => {
    h.expectHttpError(422, '/api/workflows/generate');
    const card = page.locator('.kf-blank-prompt');
    await card.getByLabel('Describe a workflow').fill('ab');
    await card.getByRole('button', { name: 'Generate' }).click();
    await card.getByRole('alert').getByText(/The description was refused — description: describe the workflow in a sentence\. Edit it and try again\./).waitFor();
  });

  it('previews the generated graph with its explanation, retries an edited prompt, and accepts it as one undoable edit', async () => {
    const card = page.locator('.kf-blank-prompt');
    await card.getByLabel('Describe a workflow').fill('when a form is posted to my webhook post it to Slack #leads');
    await card.getByRole('button', { name: 'Generate' }).click();
    const preview = page.locator('[data-preview="generate"]');
    await preview.waitFor();
    await expect.poll(() => preview.getByTestId('generated-source').getAttribute('data-source')).toBe('planner');
    expect(await preview.getByTestId('generated-source').textContent()).toContain('you have no AI key');
    // Not part of the graph: the working canvas is not drawn, the preview canvas is styled apart.
    expect(await page.locator('.kf-canvas--preview').count()).toBe(1);
    expect(await canvasNodes('core.manual').count()).toBe(0);
    expect(await preview.locator('[data-node-type="ai.complete"]').count()).toBe(0);
    // Edit the prompt and retry: the AI step joins the preview.
    await preview.getByLabel('Description', { exact: true }).fill(SENTENCE);
    await preview.getByRole('button', { name: 'Retry' }).click();
    await preview.locator('.kf-canvas--preview [data-node-type="ai.complete"]').waitFor();
    const explained = preview.getByRole('list', { name: 'Explanation' }).getByRole('listitem');
    expect(await explained.count()).toBe(await preview.locator('.kf-canvas--preview [data-node-id]').count());
    await preview.getByRole('list', { name: 'Connections to pick' }).waitFor();
    await h.screenshot(page, 'generate-preview');
    await preview.getByRole('button', { name: 'Accept' }).click();
    await canvasNodes('ai.complete').waitFor();
    await canvasNodes('core.webhook').waitFor();
    // The lone manual trigger of the blank canvas was replaced; one undo brings it back.
    expect(await canvasNodes('core.manual').count()).toBe(0);
    await page.locator('.kf-canvas .react-flow__pane').click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('Control+z');
    await canvasNodes('core.manual').waitFor();
    expect(await canvasNodes('ai.complete').count()).toBe(0);
    await page.keyboard.press('Control+Shift+z');
    await canvasNodes('ai.complete').waitFor();
  });

  it('shows the route preview in the AI node form: which key to add, then the model, its cost and why', async () => {
    await canvasNodes('ai.complete').locator('.kf-node-title').click();
    const section = page.getByRole('region', { name: 'Model and cost' });
    await section.getByTestId('route-advice').getByText(/Add an AI key under Keys: an OpenAI key serves the reference model openai\/gpt-4o-mini itself/).waitFor();
    // Add the key on the Keys page, then come back: the unsaved canvas is kept (the draft), and the preview asks again.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Keys' }).click();
    const form = page.getByRole('form', { name: 'Add an AI key' });
    await form.getByLabel('Provider').selectOption({ label: 'OpenAI' });
    await form.getByLabel('Name').fill('OpenAI');
    await form.getByLabel('API key').fill(`sk-${randomUUID()}`);
    await form.getByRole('button', { name: 'Add key' }).click();
    await page.getByRole('listitem', { name: /^OpenAI \(/ }).waitFor();
    await page.goBack();
    await canvasNodes('ai.complete').locator('.kf-node-title').click();
    await section.getByTestId('route-model').getByText(/^openai\//).waitFor();
    expect(await section.locator('[data-cost-micros]').getAttribute('data-cost-micros')).toMatch(/^[1-9]\d*$/);
    await section.getByText('Why this model?').click();
    await section.getByRole('table', { name: 'Route candidates' }).locator('tr[data-candidate="chosen"]').waitFor();
    await h.screenshot(page, 'route-preview');
  });

  it('discards a graph generated from the toolbar, leaving the canvas as it was', async () => {
    const before = await page.locator('.kf-canvas [data-node-id]').count();
    await page.getByRole('button', { name: 'Describe a workflow' }).click();
    const dialog = page.getByRole('dialog', { name: 'Describe a workflow' });
    await dialog.getByLabel('Describe a workflow').fill('every day at 9 fetch https://example.com/feed.json and post it to Slack #news');
    await dialog.getByRole('button', { name: 'Generate' }).click();
    const preview = page.locator('[data-preview="generate"]');
    await preview.waitFor();
    await preview.getByRole('button', { name: 'Discard' }).click();
    await page.locator('.kf-canvas [data-node-id]').first().waitFor();
    expect(await page.locator('.kf-canvas [data-node-id]').count()).toBe(before);
  });

  it('imports an n8n workflow pasted with Ctrl+V: report, insert beside with the placeholder marked, undo', async () => {
    await page.locator('.kf-canvas .react-flow__pane').click({ position: { x: 10, y: 10 } });
    const before = await page.locator('.kf-canvas [data-node-id]').count();
    await page.evaluate((text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, JSON.stringify(n8nWorkflow));
    const preview = page.locator('[data-preview="n8n"]');
    await preview.waitFor();
    const report = preview.getByRole('table', { name: 'Import report' });
    await report.locator('tr[data-status="placeholder"]').getByText('Tell Telegram').waitFor();
    expect(await report.locator('tr[data-status="mapped"]').count()).toBe(2);
    expect(await preview.getByRole('list', { name: 'Credentials to connect' }).textContent()).toContain('slackApi');
    expect(await preview.getByTestId('import-expressions').textContent()).toMatch(/Expressions: [1-9]\d* translated/);
    await preview.locator('.kf-canvas--preview [data-placeholder="n8n-nodes-base.telegram"]').getByText('placeholder').waitFor();
    await h.screenshot(page, 'import-n8n-report');
    await preview.getByRole('button', { name: 'Insert' }).click();
    await page.locator('.kf-canvas [data-placeholder="n8n-nodes-base.telegram"]').waitFor();
    expect(await page.locator('.kf-canvas [data-node-id]').count()).toBe(before + 3);
    await h.screenshot(page, 'import-n8n-inserted');
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.kf-canvas [data-node-id]').count()).toBe(before);
  });

  it('says which field of a malformed n8n export is wrong, and changes nothing', async () => {
    h.expectHttpError(422, '/api/workflows/import/n8n');
    const before = await page.locator('.kf-canvas [data-node-id]').count();
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.setData('text/plain', JSON.stringify({ nodes: [{ name: 5, type: 'n8n-nodes-base.set', parameters: {} }], connections: {} }));
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await page.getByText('Nothing imported from the clipboard: This n8n workflow cannot be imported — nodes.0.name:', { exact: false }).waitFor();
    expect(await page.locator('[data-preview]').count()).toBe(0);
    expect(await page.locator('.kf-canvas [data-node-id]').count()).toBe(before);
  });

  it('imports an n8n .json file dropped on the canvas', async () => {
    await page.evaluate((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'leads.json', { type: 'application/json' }));
      const target = document.querySelector('main.kf-canvas-area')!;
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, JSON.stringify(n8nWorkflow));
    const preview = page.locator('[data-preview="n8n"]');
    await preview.getByTestId('import-summary').getByText(/From leads\.json \(“Leads from n8n”\): 2 of 3 nodes mapped, 1 placeholder/).waitFor();
    await preview.getByRole('button', { name: 'Discard' }).click();
    await page.locator('.kf-canvas [data-node-id]').first().waitFor();
  });
});
