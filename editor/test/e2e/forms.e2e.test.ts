// A form trigger end to end in Chromium against the real server (embedded mode): the editor's
// side panel shows the form's URLs; the form page, opened from there in the signed-in browser,
// is filled in and submitted; the run it started appears in the editor with the fields.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiFromPage, signUpInPage, startHarness, type Harness } from './harness.ts';

let h: Harness;
let page: Page;
beforeAll(async () => {
  h = await startHarness();
  page = await h.newPage();
}, 180_000);
afterAll(async () => {
  await h?.close();
});
afterEach(() => h.assertNoProblems());

describe('a hosted form', { timeout: 90_000 }, () => {
  it('shows its URL in the editor, takes a submission, and the run shows in the editor', async () => {
    await signUpInPage(h, page, `forms-${randomUUID().slice(0, 8)}@example.test`);
    const graph = {
      nodes: [
        { id: 'form', type: 'core.form', version: 1, config: { title: 'Apply <b>now</b>', fields: [{ label: 'Name', name: 'name', required: true }, { label: 'Email', name: 'email', type: 'email', required: true }] }, position: { x: 0, y: 0 } },
        { id: 'shape', type: 'core.transform', version: 1, config: { fields: [{ name: 'who', value: '{{ $trigger.fields.name }} <{{ $trigger.fields.email }}>' }] }, position: { x: 300, y: 0 } },
      ],
      edges: [{ id: 'e', source: 'form', target: 'shape' }],
    };
    const created = await apiFromPage<{ id: string }>(page, 'POST', '/api/workflows', { name: 'Applications', graph });
    expect(created.status).toBe(201);
    await page.goto(`/workflows/${created.body.id}`);
    await page.locator('.kf-canvas [data-node-id="form"] .kf-node-title').click();
    const testUrl = page.getByRole('textbox', { name: 'Test URL' });
    await testUrl.waitFor();
    const url = await testUrl.inputValue();
    expect(url).toMatch(/\/hooks\/test\/[A-Za-z0-9_-]{32}$/);
    await page.getByText(/^Open the URL in a browser to see the form/).waitFor();

    // The visitor's page: same browser, signed in to Keyflow — the form page still cannot use that.
    const visitor = await page.context().newPage();
    try {
      await visitor.goto(url);
      expect(await visitor.locator('h1').textContent()).toBe('Apply <b>now</b>');
      await visitor.getByLabel('Name').fill('Ada');
      await visitor.getByLabel('Email').fill('ada@example.com');
      await h.screenshot(visitor, 'form-page');
      const [answer] = await Promise.all([visitor.waitForResponse((r) => r.request().method() === 'POST'), visitor.getByRole('button', { name: 'Submit' }).click()]);
      expect(answer.status()).toBe(200);
      const runId = (await answer.headerValue('x-keyflow-run-id'))!;
      expect(runId).toMatch(/^[0-9a-f-]{36}$/);
      await visitor.getByText('Thank you, your answer was received.').waitFor();

      await page.reload();
      await page.getByRole('tab', { name: 'Runs' }).click();
      await page.getByRole('button', { name: `Open run ${runId}` }).click();
      await page.locator('.kf-canvas [data-node-id="shape"][data-status="succeeded"]').waitFor({ timeout: 20_000 });
      await h.screenshot(page, 'form-run');
      const run = await apiFromPage<{ trigger: string; steps: { nodeId: string; output: unknown }[] }>(page, 'GET', `/api/runs/${runId}`);
      expect(run.body.trigger).toBe('test');
      expect(run.body.steps.find((s) => s.nodeId === 'shape')!.output).toEqual({ who: 'Ada <ada@example.com>' });
    } finally {
      await visitor.close();
    }
  });
});
