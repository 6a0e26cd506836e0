// Running and debugging on the canvas, in Chromium against the real server (embedded mode)
// with the engine's fake AI providers (official wire formats on loopback): a webhook → AI →
// respond workflow run with a test payload, every node turning succeeded; the AI step's
// provider, model and cost; a 429 from the first provider and the failover shown in the step;
// a failed AI step re-run from that node; a pinned output skipping the call on the next run;
// "listen for a test event" showing the request that arrived on the test URL; re-run, cancel
// and delete from the run history; its pages, by the API's cursor.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startFakes, type Fakes } from '@keyflow/engine/fakes';
import { apiFromPage, signUpInPage, startHarness, type Harness } from './harness.ts';

let h: Harness;
let fakes: Fakes;
let page: Page;
let workflowId: string;

beforeAll(async () => {
  fakes = await startFakes();
  h = await startHarness({ env: { KEYFLOW_OPENAI_BASE_URL: fakes.baseUrls.openai, KEYFLOW_ANTHROPIC_BASE_URL: fakes.baseUrls.anthropic } });
  page = await h.newPage();
}, 120_000);
afterAll(async () => {
  await h?.close();
  await fakes?.close();
});
afterEach(() => h.assertNoProblems());

/** A call to the API from the test's signed-in page. */
function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  return apiFromPage<T>(page, method, path, body);
}

const node = (id: string) => page.locator(`.kf-canvas [data-node-id="${id}"]`);
const NODES = ['hook', 'ask', 'reply'];

async function allSucceeded() {
  await page.locator('[data-shown-run-status="succeeded"]').waitFor({ timeout: 20_000 });
  for (const id of NODES) await page.locator(`.kf-canvas [data-node-id="${id}"][data-status="succeeded"]`).waitFor({ timeout: 20_000 });
}

/** The run shown on the canvas (the editor's main area carries its id and status). */
const shownRun = () => page.locator('main.kf-canvas-area').getAttribute('data-shown-run');

async function runTest() {
  await page.getByRole('tab', { name: 'Runs' }).click();
  const before = await shownRun();
  await page.getByRole('button', { name: 'Run test' }).click();
  // The new run replaces the shown one: wait until the canvas shows it, not the previous run.
  await page.waitForFunction((old) => {
    const id = document.querySelector('[data-shown-run]')?.getAttribute('data-shown-run');
    return id != null && id !== old;
  }, before);
}

/** Opens a workflow from the list by following links, as a person would (no page load). */
async function openInApp(name: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workflows' }).click();
  await page.getByRole('link', { name, exact: true }).click();
  await node(name === 'Greeter' ? 'ask' : 'wait').waitFor();
}

async function openStep(id: string) {
  // Select the node (a click on its text), then the Node tab shows its step.
  await node(id).locator('.kf-node-title').click();
  await page.getByRole('tab', { name: 'Node' }).click();
  await page.getByRole('region', { name: 'Step' }).waitFor();
}

describe('runs on the canvas', { timeout: 90_000 }, () => {
  it('signs up, adds two keys and a webhook → AI → respond workflow', async () => {
    await signUpInPage(h, page, `runs-${randomUUID().slice(0, 8)}@example.test`);
    expect((await api('POST', '/api/credentials', { provider: 'openai', label: 'OpenAI', secret: `sk-${randomUUID()}` })).status).toBe(201);
    expect((await api('POST', '/api/credentials', { provider: 'anthropic', label: 'Anthropic', secret: `sk-ant-${randomUUID()}` })).status).toBe(201);
    const pos = (x: number) => ({ x, y: 0 });
    const graph = {
      nodes: [
        { id: 'hook', type: 'core.webhook', version: 1, config: {}, position: pos(0) },
        { id: 'ask', type: 'ai.complete', version: 1, config: { prompt: 'Greet {{ $trigger.body.name }}', tier: 'economy', maxTokens: 64 }, position: pos(300) },
        { id: 'reply', type: 'core.respond', version: 1, config: { status: 200, body: '{{ $node["ask"].output.text }}' }, position: pos(600) },
      ],
      edges: [
        { id: 'e1', source: 'hook', target: 'ask' },
        { id: 'e2', source: 'ask', target: 'reply' },
      ],
    };
    const created = await api<{ id: string }>('POST', '/api/workflows', { name: 'Greeter', graph });
    expect(created.status).toBe(201);
    workflowId = created.body.id;
    await page.goto(`/workflows/${workflowId}`);
    await node('ask').waitFor();
  });

  let firstProvider = '';

  it('runs with a test payload and watches every node turn succeeded', async () => {
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByLabel('Test payload').fill('{ "name": "Ada" }');
    await runTest();
    await allSucceeded();
    expect(await page.locator('.react-flow__edge path.react-flow__edge-path.kf-edge-carried').count()).toBe(2);
    await h.screenshot(page, 'runs-succeeded');
    await openStep('ask');
    const step = page.getByRole('region', { name: 'Step' });
    firstProvider = (await step.getByTestId('ai-provider').textContent())!;
    expect(['openai', 'anthropic']).toContain(firstProvider);
    expect((await step.getByTestId('ai-model').textContent())!.length).toBeGreaterThan(0);
    expect(await step.getByTestId('ai-cost').textContent()).toMatch(/^\$0\.\d+$/);
    expect(fakes.servers[firstProvider as 'openai'].requests.length).toBe(1);
    expect(JSON.stringify(fakes.servers[firstProvider as 'openai'].requests[0]!.body)).toContain('Greet Ada');
    await h.screenshot(page, 'runs-ai-step');
    // The payload is remembered for this workflow.
    await page.reload();
    await page.getByRole('tab', { name: 'Runs' }).click();
    expect(await page.getByLabel('Test payload').inputValue()).toBe('{ "name": "Ada" }');
  });

  it('shows the failed attempt and the failover when the first provider answers 429', async () => {
    fakes.reset();
    fakes.servers[firstProvider as 'openai'].setHandler(() => ({ status: 429, message: 'slow down' }));
    await runTest();
    await allSucceeded();
    await openStep('ask');
    const step = page.getByRole('region', { name: 'Step' });
    const other = firstProvider === 'openai' ? 'anthropic' : 'openai';
    await step.getByTestId('ai-provider').filter({ hasText: other }).waitFor();
    await step.getByText(/Failed over 1 time/).waitFor();
    const calls = step.getByRole('table', { name: 'Provider calls' });
    expect(await calls.locator('tr[data-outcome="ok"]').count()).toBe(1);
    const failed = calls.locator('tr:not([data-outcome="ok"])[data-outcome]');
    expect(await failed.count()).toBe(1);
    expect(await failed.textContent()).toContain(firstProvider);
    await h.screenshot(page, 'runs-failover');
  });

  it('re-runs from a failed node', async () => {
    fakes.reset();
    for (const p of ['openai', 'anthropic'] as const) fakes.servers[p].setHandler(() => ({ status: 400, message: 'the request was refused' }));
    await runTest();
    await page.locator('.kf-canvas [data-node-id="ask"][data-status="failed"]').waitFor({ timeout: 20_000 });
    // The failed step's event comes before the run's end; the node it never reached reads
    // "skipped" once the run has ended (queued until then).
    await page.locator('.kf-canvas [data-node-id="reply"][data-status="skipped"]').waitFor({ timeout: 20_000 });
    await openStep('ask');
    await page.getByRole('region', { name: 'Step' }).getByRole('alert').first().waitFor();
    await h.screenshot(page, 'runs-failed-step');
    fakes.reset();
    const failedRun = await shownRun();
    await page.getByRole('button', { name: 'Re-run from this node' }).click();
    await page.waitForFunction((old) => document.querySelector('[data-shown-run]')?.getAttribute('data-shown-run') !== old, failedRun);
    await allSucceeded();
    const calls = fakes.servers.openai.requests.length + fakes.servers.anthropic.requests.length;
    expect(calls).toBe(1);
  });

  it('pins the AI output and the next test run skips the call', async () => {
    await openStep('ask');
    await page.getByRole('button', { name: 'Pin this output' }).click();
    await node('ask').getByText('pinned').waitFor();
    const saved = (await api<{ currentVersion: number }>('GET', `/api/workflows/${workflowId}`)).body.currentVersion;
    fakes.reset();
    // The pin is an unsaved edit: the test run runs the draft as it is on screen, and saves nothing.
    await runTest();
    await allSucceeded();
    expect(fakes.servers.openai.requests.length + fakes.servers.anthropic.requests.length).toBe(0);
    const ran = (await api<{ workflowVersion: number }>('GET', `/api/runs/${await shownRun()}`)).body;
    expect(ran.workflowVersion).toBeLessThan(0);
    expect((await api<{ currentVersion: number }>('GET', `/api/workflows/${workflowId}`)).body.currentVersion).toBe(saved);
    await openStep('ask');
    await h.screenshot(page, 'runs-pinned');
    await page.getByRole('tab', { name: 'Runs' }).click();
    await h.screenshot(page, 'runs-history');
  });

  it('lists every run on the all-runs page, filters them, and opens one on its workflow', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runs' }).click();
    const table = page.getByRole('table', { name: 'Runs' });
    await table.waitFor();
    // Four test runs and one re-run so far.
    await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Runs"] tbody tr').length === 5);
    await page.getByLabel('Trigger').selectOption('rerun');
    await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Runs"] tbody tr').length === 1);
    await h.screenshot(page, 'runs-all');
    await table.getByRole('button', { name: /^Open run / }).click();
    await page.waitForURL(/\/workflows\/[0-9a-f-]{36}\?run=/);
    await allSucceeded();
  });

  it('listens for a test event and shows the request that arrived', async () => {
    fakes.reset();
    // Back to the editable canvas, in the app (the pin is an unsaved edit a reload would ask about),
    // and save it: the test URL runs the saved graph.
    await openInApp('Greeter');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/Saved as version \d+\./).waitFor();
    await page.getByRole('tab', { name: 'Runs' }).click();
    const hooks = (await api<{ testUrl: string }[]>('GET', `/api/workflows/${workflowId}/webhooks`)).body;
    const testUrl = hooks[0]!.testUrl;
    await page.getByText(`Send a request to ${testUrl}`).waitFor();
    const before = await shownRun();
    await page.getByRole('button', { name: 'Listen for a test event' }).click();
    await page.getByRole('status').filter({ hasText: 'Listening for a request on the test URL' }).waitFor();
    // Someone else's system calls the test URL (here: the test process, not the page).
    const sent = await fetch(testUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Grace' }) });
    expect(sent.status).toBeLessThan(300);
    const arrived = page.getByRole('region', { name: 'Arrived request' });
    await arrived.getByText('"POST"').waitFor({ timeout: 20_000 });
    await arrived.getByRole('button', { name: 'Expand body' }).click();
    await arrived.getByText('"Grace"').waitFor();
    // The run it started is shown on the canvas.
    await page.waitForFunction((old) => document.querySelector('[data-shown-run]')?.getAttribute('data-shown-run') !== old, before);
    await allSucceeded();
    expect((await api<{ trigger: string }>('GET', `/api/runs/${await shownRun()}`)).body.trigger).toBe('test');
    await h.screenshot(page, 'runs-listen');
  });

  it('re-runs, cancels and deletes runs from the history', async () => {
    fakes.reset();
    const history = page.getByRole('table', { name: 'Runs' });
    const last = (await shownRun())!;
    await history.getByRole('button', { name: `Re-run ${last}` }).click();
    await page.waitForFunction((old) => document.querySelector('[data-shown-run]')?.getAttribute('data-shown-run') !== old, last);
    await allSucceeded();
    const rerun = (await api<{ trigger: string; rerunOf: string }>('GET', `/api/runs/${await shownRun()}`)).body;
    expect(rerun).toMatchObject({ trigger: 'rerun', rerunOf: last });

    // A run parked on a one-hour delay: cancelled from the history.
    const pos = (x: number) => ({ x, y: 0 });
    const slow = await api<{ id: string }>('POST', '/api/workflows', {
      name: 'Slow',
      graph: { nodes: [{ id: 'go', type: 'core.manual', version: 1, config: {}, position: pos(0) }, { id: 'wait', type: 'core.delay', version: 1, config: { amount: 1, unit: 'hours' }, position: pos(300) }], edges: [{ id: 'e1', source: 'go', target: 'wait' }] },
    });
    const started = await api<{ runId: string }>('POST', `/api/workflows/${slow.body.id}/run`, { payload: {} });
    expect(started.status).toBe(202);
    await openInApp('Slow');
    await page.getByRole('tab', { name: 'Runs' }).click();
    const row = page.locator(`tr[data-run-id="${started.body.runId}"]`);
    await row.locator('.kf-status--waiting').waitFor({ timeout: 20_000 });
    await row.getByRole('button', { name: `Cancel run ${started.body.runId}` }).click();
    await row.locator('.kf-status--cancelled').waitFor({ timeout: 20_000 });
    expect((await api<{ status: string }>('GET', `/api/runs/${started.body.runId}`)).body.status).toBe('cancelled');

    await row.getByRole('button', { name: `Delete run ${started.body.runId}` }).click();
    await row.waitFor({ state: 'detached' });
    h.expectHttpError(404, `/api/runs/${started.body.runId}`);
    expect((await api('GET', `/api/runs/${started.body.runId}`)).status).toBe(404);
  });

  it('starts an app trigger\'s test payload from its sample event, and runs it without the service', async () => {
    const pos = (x: number) => ({ x, y: 0 });
    const created = await api<{ id: string }>('POST', '/api/workflows', {
      name: 'Mail digest',
      graph: { nodes: [{ id: 'mail', type: 'gmail.new_message', version: 1, config: {}, position: pos(0) }, { id: 'wait', type: 'core.transform', version: 1, config: { fields: [{ name: 'subject', value: '{{ $trigger.subject }}' }] }, position: pos(300) }], edges: [{ id: 'e1', source: 'mail', target: 'wait' }] },
    });
    expect(created.status).toBe(201);
    await page.goto(`/workflows/${created.body.id}`);
    await node('wait').waitFor();
    await page.getByRole('tab', { name: 'Runs' }).click();
    const payload = page.getByLabel('Test payload');
    await page.waitForFunction(() => (document.querySelector('#kf-test-payload') as HTMLTextAreaElement | null)?.value.includes('Demo request'));
    expect(JSON.parse(await payload.inputValue())).toMatchObject({ subject: 'Demo request', from: expect.stringContaining('@example.com') });
    await payload.fill('{ "nonsense": true }');
    await page.getByRole('button', { name: 'Use the sample event' }).click();
    expect(await payload.inputValue()).toContain('Demo request');
    await runTest();
    await page.locator('[data-shown-run-status="succeeded"]').waitFor({ timeout: 20_000 });
    const run = (await api<{ steps: { nodeId: string; output: unknown }[] }>('GET', `/api/runs/${await shownRun()}`)).body;
    expect(run.steps.find((st) => st.nodeId === 'wait')?.output).toMatchObject({ subject: 'Demo request' });
  });

  it('pages the run history with the cursor the API answers', async () => {
    const wf = await api<{ id: string }>('POST', '/api/workflows', { name: 'Pages', graph: { nodes: [{ id: 'go', type: 'core.manual', version: 1, config: {}, position: { x: 0, y: 0 } }], edges: [] } });
    expect(wf.status).toBe(201);
    const ids: string[] = [];
    for (let i = 0; i < 22; i++) {
      const started = await api<{ runId: string }>('POST', `/api/workflows/${wf.body.id}/run`, { payload: { i } });
      expect(started.status).toBe(202);
      ids.push(started.body.runId);
    }
    await page.goto(`/workflows/${wf.body.id}`);
    await node('go').waitFor();
    await page.getByRole('tab', { name: 'Runs' }).click();
    const rows = page.getByRole('table', { name: 'Runs' }).locator('tr[data-run-id]');
    const shown = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-run-id')!));
    await expect.poll(() => rows.count()).toBe(20);
    const first = await shown();
    // The next page is asked for with the page's nextCursor (exact to the run), not a time.
    const next = page.waitForRequest((r) => r.url().includes('/api/runs?') && r.url().includes('cursor='));
    await page.getByRole('button', { name: 'Older' }).click();
    expect(new URL((await next).url()).searchParams.has('before')).toBe(false);
    await expect.poll(() => rows.count()).toBe(2);
    expect(new Set([...first, ...(await shown())])).toEqual(new Set(ids));
    expect(await page.getByRole('button', { name: 'Older' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Newer' }).click();
    await expect.poll(shown).toEqual(first);
  });
});
