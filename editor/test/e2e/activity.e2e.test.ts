// The Activity page in Chromium against the real server (embedded): turn on failure alerts in
// the form, let a workflow fail twice, and read the runs, failures and the one alert raised
// (with its link to the run) on the page.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { apiFromPage, signUpInPage, startHarness, uniqueEmail, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 180_000);
afterAll(async () => {
  await h?.close();
});
afterEach(() => h.assertNoProblems());

it('saves failure alerts, then shows the failed runs and one alert linking to the run', async () => {
  const page = await h.newPage();
  await signUpInPage(h, page, uniqueEmail('activity'));
  await page.getByRole('link', { name: 'Activity' }).click();
  await page.getByRole('heading', { name: 'Activity', exact: true }).waitFor();
  await page.getByRole('checkbox', { name: 'a workflow fails' }).check();
  await page.getByRole('button', { name: 'Save alerts' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

  const graph = {
    nodes: [
      { id: 'start', type: 'core.manual', version: 1, config: {}, position: { x: 0, y: 0 } },
      { id: 'boom', type: 'core.code', version: 1, config: { code: 'throw new Error("boom")' }, position: { x: 240, y: 0 } },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'boom' }],
  };
  const wf = (await apiFromPage<{ id: string }>(page, 'POST', '/api/workflows', { name: 'Flaky import', graph })).body;
  const runIds: string[] = [];
  for (let i = 0; i < 2; i++) {
    const runId = (await apiFromPage<{ runId: string }>(page, 'POST', `/api/workflows/${wf.id}/run`, { payload: {} })).body.runId;
    runIds.push(runId);
    await expect.poll(async () => (await apiFromPage<{ status: string }>(page, 'GET', `/api/runs/${runId}`)).body.status, { timeout: 20_000 }).toBe('failed');
  }
  await expect.poll(async () => (await apiFromPage<{ items: unknown[] }>(page, 'GET', '/api/alerts')).body.items.length, { timeout: 10_000 }).toBe(1);

  await page.reload();
  await page.getByTestId('activity-failed').filter({ hasText: '2' }).waitFor();
  expect(await page.getByTestId('activity-runs').textContent()).toBe('2');
  const alert = page.getByRole('link', { name: '"Flaky import" failed' });
  await alert.waitFor();
  expect(await alert.getAttribute('href')).toBe(`${h.baseUrl}/workflows/${wf.id}?run=${runIds[0]}`);
  await h.screenshot(page, 'activity');
}, 120_000);
