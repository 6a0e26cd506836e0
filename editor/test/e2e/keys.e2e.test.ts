// Keys, connections, costs and the installable app in Chromium against the real server, with
// the engine's fake AI providers and the fake Trello on loopback (KEYFLOW_<SERVICE>_BASE_URL):
// add an OpenAI and an Anthropic key and see them only masked, test one (latency shown), paste
// a Trello token and see it listed with its health, run an AI workflow twice through the API
// and read the spend on the costs page to the micro-dollar, and check Chromium's own
// installability verdict (manifest parsed, service worker controlling the page).
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startFakes, type Fakes } from '@keyflow/engine/fakes';
import { addFakeToken, startFakeTrello, type FakeTrello } from '@keyflow/nodes/testing/fake-trello';
import { apiFromPage, signUpInPage, startHarness, uniqueEmail, type Harness } from './harness.ts';

let h: Harness;
let fakes: Fakes;
let trello: FakeTrello;
const OPENAI_KEY = `sk-${randomUUID()}`;
const ANTHROPIC_KEY = `sk-ant-${randomUUID()}`;

beforeAll(async () => {
  fakes = await startFakes();
  trello = await startFakeTrello();
  h = await startHarness({
    env: { KEYFLOW_OPENAI_BASE_URL: fakes.baseUrls.openai, KEYFLOW_ANTHROPIC_BASE_URL: fakes.baseUrls.anthropic, KEYFLOW_TRELLO_BASE_URL: trello.url },
  });
}, 180_000);
afterAll(async () => {
  await h?.close();
  await trello?.close();
  await fakes?.close();
});
afterEach(() => h.assertNoProblems());

async function signUp(page: Page): Promise<void> {
  await signUpInPage(h, page, uniqueEmail('keys'));
}

async function addKey(page: Page, form: string, provider: string, name: string, secret: string, secretLabel = 'API key') {
  const f = page.getByRole('form', { name: form });
  await f.getByLabel(form === 'Add an AI key' ? 'Provider' : 'Service').selectOption({ label: provider });
  await f.getByLabel('Name').fill(name);
  await f.getByLabel(secretLabel).fill(secret);
  await f.getByRole('button', { name: form === 'Add an AI key' ? 'Add key' : 'Add connection' }).click();
  await page.getByRole('listitem', { name: new RegExp(`^${name} \\(`) }).waitFor();
  // The form forgets the key once stored.
  expect(await f.getByLabel(secretLabel).inputValue()).toBe('');
}

const usd = (micros: number) => `$${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;

describe('keys, connections, costs, install', () => {
  it('adds keys masked, tests one, lists a Trello connection, shows spend to the micro-dollar, and is installable', async () => {
    const page = await h.newPage();
    await signUp(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Keys' }).click();
    await page.getByRole('heading', { name: 'Keys and connections' }).waitFor();
    // No OAuth app on this server: the buttons say so instead of failing.
    await page.getByRole('button', { name: 'Connect Slack' }).waitFor();
    expect(await page.getByRole('button', { name: 'Connect Slack' }).isDisabled()).toBe(true);
    expect(await page.getByText('not configured on this server', { exact: false }).count()).toBeGreaterThan(0);

    await addKey(page, 'Add an AI key', 'OpenAI', 'OpenAI main', OPENAI_KEY);
    await addKey(page, 'Add an AI key', 'Anthropic', 'Claude', ANTHROPIC_KEY);
    const openaiRow = page.getByRole('listitem', { name: 'OpenAI main (OpenAI)' });
    const claudeRow = page.getByRole('listitem', { name: 'Claude (Anthropic)' });
    expect(await openaiRow.getByLabel('Masked key').textContent()).toMatch(/^sk-…[A-Za-z0-9]{2,6}$/);
    expect(await claudeRow.getByLabel('Masked key').textContent()).toMatch(/^sk-ant-…[A-Za-z0-9]{2,6}$/);
    const html = await page.content();
    for (const secret of [OPENAI_KEY, ANTHROPIC_KEY]) expect(html).not.toContain(secret.slice(8));
    expect(await openaiRow.locator('[data-status]').textContent()).toBe('Not tested yet');

    await openaiRow.getByRole('button', { name: 'Test OpenAI main' }).click();
    await openaiRow.getByRole('status').filter({ hasText: 'the key works' }).waitFor();
    expect(await openaiRow.getByRole('status').textContent()).toMatch(/^Test: the key works \(\d+ ms\)$/);
    await openaiRow.locator('[data-status="Healthy"]').waitFor();
    expect(fakes.servers.openai.requests.at(-1)?.key).toBe(OPENAI_KEY);

    // A Trello key:token pasted: listed, masked, and healthy once tested against the fake.
    const tok = addFakeToken(trello);
    await addKey(page, 'Paste a token', 'Trello', 'Team board', `${tok.key}:${tok.token}`, 'API key and token');
    const trelloRow = page.getByRole('listitem', { name: 'Team board (Trello)' });
    expect(await page.content()).not.toContain(tok.token);
    await trelloRow.getByRole('button', { name: 'Test Team board' }).click();
    await trelloRow.locator('[data-status="Healthy"]').waitFor();
    expect(await trelloRow.textContent()).toMatch(/Last check (?!never)/);
    await h.screenshot(page, 'keys-connections');

    // Usage: an AI workflow run twice through the API (the OpenAI fake answers).
    const graph = {
      nodes: [
        { id: 'start', type: 'core.manual', version: 1, config: {}, position: { x: 0, y: 0 } },
        { id: 'ask', type: 'ai.complete', version: 1, config: { prompt: 'Say hi to {{ $trigger.name }}', tier: 'economy', maxTokens: 64 }, position: { x: 240, y: 0 } },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'ask' }],
    };
    const wf = await apiFromPage<{ id: string }>(page, 'POST', '/api/workflows', { name: 'Greeter', graph });
    expect(wf.status).toBe(201);
    // Savings are estimated per call against the baseline set when it ran: set one before the runs.
    expect((await apiFromPage(page, 'PUT', '/api/settings', { baselineModel: 'openai/gpt-4o' })).status).toBe(200);
    let total = 0;
    for (const name of ['Ada', 'Grace']) {
      const started = await apiFromPage<{ runId: string }>(page, 'POST', `/api/workflows/${wf.body.id}/run`, { payload: { name } });
      expect(started.status).toBe(202);
      let run: { status: string; costMicros: number } | undefined;
      for (let i = 0; i < 300 && !['succeeded', 'failed', 'cancelled'].includes(run?.status ?? ''); i++) {
        run = (await apiFromPage<{ status: string; costMicros: number }>(page, 'GET', `/api/runs/${started.body.runId}`)).body;
        if (!['succeeded', 'failed', 'cancelled'].includes(run.status)) await page.waitForTimeout(50);
      }
      expect(run?.status).toBe('succeeded');
      expect(run!.costMicros).toBeGreaterThan(0);
      total += run!.costMicros;
    }

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Costs' }).click();
    await page.getByRole('heading', { name: 'Costs', exact: true }).waitFor();
    await page.getByTestId('spent-usd').filter({ hasText: usd(total) }).waitFor();
    const day = new Date().toISOString().slice(0, 10);
    const perDay = page.locator('[data-group-by="day"]');
    expect(await perDay.locator(`tr[data-key="${day}"] td`).last().textContent()).toBe(usd(total));
    const perProvider = page.locator('[data-group-by="provider"]');
    await perProvider.locator('tr[data-key="openai"]').waitFor();
    expect(await perProvider.locator('tr[data-key="openai"] td').nth(1).textContent()).toBe('2');
    const perWorkflow = page.locator('[data-group-by="workflow"]');
    await perWorkflow.getByRole('cell', { name: 'Greeter' }).waitFor();
    // The charts drew (uPlot, loaded lazily) and the price table's date is shown.
    await perDay.locator('canvas').waitFor();
    expect(await page.getByTestId('price-date').textContent()).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // Settings: the API's own field error beside the field, then a budget that is 80%+ used.
    await page.getByLabel('Baseline model').fill('nobody/some-model');
    h.expectHttpError(422, '/api/settings');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('provider must be one of', { exact: false }).waitFor();
    await page.getByLabel('Baseline model').fill('openai/gpt-4o');
    const budgetUsd = Math.max(0.000001, Math.ceil((total / 0.9) ) / 1_000_000);
    await page.getByLabel('Monthly budget (USD)').fill(String(budgetUsd));
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.locator('[data-budget-state="warn"], [data-budget-state="over"]').waitFor();
    await page.getByRole('heading', { name: 'Saved (estimate)' }).waitFor();
    // The headline is the quality rule's saving: the economy tier's reference (gpt-4o-mini) priced
    // on the same tokens, minus what was paid, named with the benchmarks that score it.
    const usage = (await apiFromPage<{ totals: { costMicros: number; quality: { calls: number; referenceCostMicros: number; savedMicros: number } }; qualityReferences: { ref: string; benchmarks: string[] }[] }>(page, 'GET', '/api/usage')).body;
    expect(usage.totals.quality.calls).toBe(2);
    expect(usage.totals.quality.savedMicros).toBe(usage.totals.quality.referenceCostMicros - total);
    expect(usage.totals.quality.savedMicros).toBeGreaterThan(0);
    expect(usage.qualityReferences.map((r) => r.ref)).toEqual(['openai/gpt-4o-mini']);
    expect(Number(await page.getByTestId('saved-usd').getAttribute('data-saved-micros'))).toBe(usage.totals.quality.savedMicros);
    expect(await page.getByTestId('saved-usd').textContent()).toBe(usd(usage.totals.quality.savedMicros));
    const method = (await page.getByTestId('saved-method').textContent())!;
    expect(method).toContain('2 routed calls went to the cheapest of your models that public benchmark scores for the call’s task show at least as good as the model it had to match (openai/gpt-4o-mini, scored by ');
    for (const b of usage.qualityReferences[0]!.benchmarks) expect(method).toContain(b);
    await page.getByRole('table', { name: 'Savings per reference model' }).locator('tr[data-ref="openai/gpt-4o-mini"]').waitFor();
    // The baseline's price-only figure is a labelled comparison beside it (docs/images/costs.png).
    expect(await page.getByTestId('price-only').textContent()).toContain('Against your baseline model openai/gpt-4o');
    expect(Number(await page.getByTestId('price-only-usd').getAttribute('data-saved-micros'))).toBeGreaterThan(0);

    // The routing policy: the API's own error beside the field, then a valid policy saved and read back.
    await page.getByLabel('Excluded providers or models').fill('deepseek, openai/gpt-9');
    h.expectHttpError(422, '/api/settings');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('item 2: openai/gpt-9 is not in the price table').waitFor();
    await page.getByLabel('Excluded providers or models').fill('deepseek');
    await page.getByLabel('Quality margin').selectOption('within_2pct');
    await page.getByLabel('Preferred providers or models').fill('anthropic');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const stored = (await apiFromPage<{ routing: { margin: string; prefer: string[]; exclude: string[]; dataResidency: unknown } }>(page, 'GET', '/api/settings')).body.routing;
    expect(stored).toMatchObject({ margin: 'within_2pct', prefer: ['anthropic'], exclude: ['deepseek'], dataResidency: null });
    await page.getByLabel('Quality margin').filter({ hasText: 'Within 2% of the reference model' }).waitFor();
    await page.getByRole('heading', { name: 'Costs', exact: true }).scrollIntoViewIfNeeded();
    await h.screenshot(page, 'costs');
    expect((await apiFromPage(page, 'PUT', '/api/settings', { routing: { margin: 'equal', prefer: [], exclude: [] } })).status).toBe(200);

    // OpenAI keeps failing (503): the router's breaker cools it down, and the keys page says until when and why.
    fakes.servers.openai.setHandler(() => ({ status: 503, message: 'overloaded' }));
    expect((await apiFromPage(page, 'PUT', '/api/settings', { monthlyBudgetUsd: null })).status).toBe(200);
    const coolingUntil = async () => (await apiFromPage<{ items: { provider: string; meta: { coolingUntil?: string } }[] }>(page, 'GET', '/api/credentials')).body.items.find((c) => c.provider === 'openai')?.meta.coolingUntil;
    for (let i = 0; i < 5 && !(await coolingUntil()); i++) {
      const started = await apiFromPage<{ runId: string }>(page, 'POST', `/api/workflows/${wf.body.id}/run`, { payload: { name: 'Cool' } });
      for (let j = 0; j < 300; j++) {
        const r = (await apiFromPage<{ status: string }>(page, 'GET', `/api/runs/${started.body.runId}`)).body;
        if (['succeeded', 'failed', 'cancelled'].includes(r.status)) break;
        await page.waitForTimeout(50);
      }
    }
    expect(await coolingUntil()).toBeTruthy();
    fakes.reset();

    // Back on the keys page: where the OpenAI key was used, rename, replace (new mask), delete.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Keys' }).click();
    const openai = page.getByRole('listitem', { name: 'OpenAI main (OpenAI)' });
    // The list was read on the first visit (and is kept fresh for a while): read it again.
    await page.reload();
    await openai.locator('[data-status="Cooling down after failures"]').waitFor();
    expect(await openai.getByTestId('cooling-down').textContent()).toMatch(/^The router leaves OpenAI alone until .+ after: server \(HTTP 503\) from gpt-/);
    await h.screenshot(page, 'keys-cooling-down');
    await openai.getByRole('button', { name: 'Where OpenAI main is used' }).click();
    await openai.getByRole('list', { name: 'Workflows using this key' }).getByRole('link', { name: 'Greeter' }).waitFor();
    const oldMask = await openai.getByLabel('Masked key').textContent();
    await openai.getByRole('button', { name: 'Replace OpenAI main' }).click();
    const replace = page.getByRole('dialog', { name: 'Replace key' });
    const NEW_KEY = `sk-${randomUUID()}`;
    await replace.getByLabel('New key').fill(NEW_KEY);
    await replace.getByRole('button', { name: 'Replace' }).click();
    await replace.waitFor({ state: 'detached' });
    await openai.getByLabel('Masked key').filter({ hasNotText: oldMask! }).waitFor();
    expect(await page.content()).not.toContain(NEW_KEY.slice(8));
    const claude = page.getByRole('listitem', { name: 'Claude (Anthropic)' });
    await claude.getByRole('button', { name: 'Rename Claude' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename key' });
    await rename.getByLabel('Name').fill('Claude prod');
    await rename.getByRole('button', { name: 'Rename' }).click();
    const renamed = page.getByRole('listitem', { name: 'Claude prod (Anthropic)' });
    await renamed.waitFor();
    await renamed.getByRole('button', { name: 'Delete Claude prod' }).click();
    await page.getByRole('alertdialog', { name: 'Delete key?' }).getByRole('button', { name: 'Delete' }).click();
    await renamed.waitFor({ state: 'detached' });
    const left = await apiFromPage<{ items: { provider: string; label: string }[] }>(page, 'GET', '/api/credentials');
    expect(left.body.items.map((c) => c.label).sort()).toEqual(['OpenAI main', 'Team board']);

    // Installable: the service worker controls the page and Chromium finds no installability error.
    const sw = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return { scope: reg.scope, state: reg.active?.state, script: reg.active?.scriptURL };
    });
    expect(sw).toEqual({ scope: `${h.baseUrl}/`, state: 'activated', script: `${h.baseUrl}/sw.js` });
    const cdp = await page.context().newCDPSession(page);
    const manifest = (await cdp.send('Page.getAppManifest')) as { url: string; errors: unknown[]; data?: string };
    expect(manifest.url).toBe(`${h.baseUrl}/manifest.webmanifest`);
    expect(manifest.errors).toEqual([]);
    const installability = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] };
    // Playwright's contexts are off-the-record profiles, where Chromium never offers installing
    // ("in-incognito"); every criterion about the app itself (manifest, icons, worker) must hold.
    expect(installability.installabilityErrors.filter((e) => e.errorId !== 'in-incognito')).toEqual([]);
    // The API never comes from the worker's cache: the worker leaves it to the network.
    const cached = await page.evaluate(async () => (await Promise.all((await caches.keys()).map(async (n) => (await (await caches.open(n)).keys()).map((r) => new URL(r.url).pathname)))).flat());
    expect(cached.filter((p) => p.startsWith('/api/') || p.startsWith('/hooks/'))).toEqual([]);
    expect(cached).toContain('/');
  }, 180_000);
});
