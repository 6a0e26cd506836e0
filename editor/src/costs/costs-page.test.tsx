// @vitest-environment jsdom
// The costs page's "Saved" card and the routing policy in its settings form, against a fake API:
// the headline is the quality rule's saving with its method and benchmarks in words, the
// baseline's price-only difference is only a labelled comparison (and says calls before the
// baseline count as $0), and the margin, preferred / excluded lists and data residency are sent
// as typed, with the API's own field errors beside each field.
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderWithQueries } from '../app/test-page.tsx';
import CostsPage from './CostsPage.tsx';
import { SavingsCard } from './SavingsCard.tsx';
import { SettingsForm, fieldErrors } from './SettingsForm.tsx';
import type { Settings, UsageReport } from './costs.api.ts';

vi.mock('./BarChart.tsx', () => ({ default: (p: { micros: number[] }) => <div data-testid="chart">{p.micros.join(',')}</div> }));

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const zeroTokens = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 };
function report(over: { quality?: Partial<UsageReport['totals']['quality']>; saved?: number | null; refs?: UsageReport['qualityReferences'] } = {}): UsageReport {
  const quality = { calls: 2, costMicros: 8, referenceCostMicros: 45, savedMicros: 37, savedUsd: '0.000037', ...over.quality };
  const saved = over.saved === undefined ? 152 : over.saved;
  const totals = { calls: 2, tokens: { ...zeroTokens, input: 24, output: 10 }, costMicros: 8, costUsd: '0.000008', baselineCostMicros: saved === null ? null : 8 + saved, savedMicros: saved, savedUsd: saved === null ? null : '', quality };
  return {
    from: '2026-12-01T00:00:00.000Z',
    to: '2027-01-01T00:00:00.000Z',
    groupBy: 'day',
    buckets: [{ ...totals, key: '2026-12-03', label: '2026-12-03' }],
    totals,
    savingsBasis: saved === null ? null : 'baseline model openai/gpt-4o for the same calls',
    qualitySavingsBasis: 'quality rule: only calls the router substituted under it, each priced on the reference model it had to match',
    qualityReferences: over.refs ?? [{ ref: 'openai/gpt-4o-mini', calls: 2, costMicros: 8, referenceCostMicros: 45, savedMicros: 37, savedUsd: '0.000037', benchmarks: ['LMArena text (style control) 2025-12-11', 'LiveBench 2025-04-25'] }],
    budget: { month: '2026-12', monthlyBudgetMicros: null, monthlyBudgetUsd: null, spentMicros: 8, spentUsd: '0.000008', remainingMicros: null },
  };
}

const settings: Settings = {
  providerOrder: ['openai'],
  defaultTier: 'economy',
  monthlyBudgetUsd: null,
  monthlyBudgetMicros: null,
  baselineModel: 'openai/gpt-4o',
  routing: { margin: 'equal', marginLabel: 'at least as good as', prefer: ['anthropic'], exclude: [], dataResidency: null },
  updatedAt: '2026-12-03T08:00:00Z',
};

describe('SavingsCard', () => {
  it('leads with the quality-rule saving, its method and benchmarks, and shows the price-only figure only as a labelled comparison', () => {
    render(<SavingsCard report={report()} margin="equal" baselineModel="openai/gpt-4o" />);
    const headline = screen.getByTestId('saved-usd');
    expect(headline.textContent).toBe('$0.000037');
    expect(headline.getAttribute('data-saved-micros')).toBe('37');
    expect(screen.getByTestId('saved-method').textContent).toBe(
      'Estimate, quality rule: 2 routed calls went to the cheapest of your models that public benchmark scores for the call’s task show at least as good as the model it had to match (openai/gpt-4o-mini, scored by LMArena text (style control) 2025-12-11 and LiveBench 2025-04-25), within the quality margin of the time, and are priced against that model for the same tokens ($0.000045), minus what was paid ($0.000008).',
    );
    const refs = screen.getByRole('table', { name: 'Savings per reference model' });
    expect(within(refs).getAllByRole('row').map((r) => [...r.children].map((c) => c.textContent))).toEqual([
      ['Reference model', 'Scored by', 'Calls', 'Saved'],
      ['openai/gpt-4o-mini', 'LMArena text (style control) 2025-12-11 and LiveBench 2025-04-25', '2', '$0.000037'],
    ]);
    const priceOnly = screen.getByTestId('price-only');
    expect(within(priceOnly).getByRole('heading').textContent).toBe('Price only, not quality-checked');
    expect(screen.getByTestId('price-only-usd').textContent).toBe('$0.000152');
    expect(priceOnly.textContent).toContain('Against your baseline model openai/gpt-4o');
    expect(priceOnly.textContent).toContain('calls made before you set one count as $0');
    expect(screen.getByTestId('quality-basis').textContent).toMatch(/^quality rule: only calls the router substituted/);
    expect(screen.queryByTestId('saved-margin-any')).toBeNull();
  });

  it('claims nothing without routed calls, asks for a baseline for the comparison, and warns when the margin is "any capable"', () => {
    render(<SavingsCard report={report({ quality: { calls: 0, costMicros: 0, referenceCostMicros: 0, savedMicros: 0 }, saved: null, refs: [] })} margin="any" baselineModel={null} />);
    expect(screen.getByTestId('saved-usd').textContent).toBe('$0.000000');
    expect(screen.getByTestId('saved-method').textContent).toMatch(/^No call this month was routed under the quality rule yet, so nothing is claimed/);
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByTestId('price-only').textContent).toContain('Set a baseline model under Settings');
    expect(screen.queryByTestId('price-only-usd')).toBeNull();
    expect(screen.getByTestId('saved-margin-any').textContent).toContain('not quality-checked and are not counted');
  });

  it('shows a negative quality saving in the warning style, and several references only in the table', () => {
    const refs = [
      { ref: 'openai/gpt-4.1', calls: 1, costMicros: 40, referenceCostMicros: 30, savedMicros: -10, savedUsd: '-0.000010', benchmarks: ['LiveBench 2025-04-25'] },
      { ref: 'acme/unscored', calls: 1, costMicros: 10, referenceCostMicros: 15, savedMicros: 5, savedUsd: '0.000005', benchmarks: [] },
    ];
    render(<SavingsCard report={report({ quality: { savedMicros: -5, costMicros: 50, referenceCostMicros: 45 }, refs })} margin="within_2pct" baselineModel="openai/gpt-4o" />);
    expect(screen.getByTestId('saved-usd').className).toContain('kf-costs__figure--neg');
    expect(screen.getByTestId('saved-usd').textContent).toBe('-$0.000005');
    expect(screen.getByTestId('saved-method').textContent).toContain('at least as good as the model it had to match, within the quality margin of the time,');
    const table = screen.getByRole('table', { name: 'Savings per reference model' });
    expect(within(table).getAllByRole('row').slice(1).map((r) => r.textContent)).toEqual(['openai/gpt-4.1LiveBench 2025-04-251-$0.000010', 'acme/unscoredno benchmark scores it1$0.000005']);
  });
});

describe('CostsPage', () => {
  it('puts the quality-rule saving in the Saved card, with the owner’s margin', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL) => {
        const url = String(input);
        if (url.startsWith('/api/usage')) return jsonResponse(report());
        if (url === '/api/settings') return jsonResponse({ ...settings, routing: { ...settings.routing, margin: 'any' } });
        if (url === '/api/catalog/models') return jsonResponse({ priceDate: '2026-07-24', tiers: [], providers: [], models: [] });
        return jsonResponse({ error: { code: 'not_found', message: `no fake for ${url}` } }, 404);
      }),
    );
    renderWithQueries(<CostsPage />);
    expect((await screen.findByTestId('saved-usd')).textContent).toBe('$0.000037');
    expect(screen.getByTestId('saved-margin-any')).toBeTruthy();
    expect(screen.getByTestId('price-only-usd').textContent).toBe('$0.000152');
    expect((screen.getByLabelText('Quality margin') as HTMLSelectElement).value).toBe('any');
  });
});

type Answer = { status: number; body: unknown };
function stubApi(answer: (body: unknown) => Answer) {
  const sent: unknown[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      if (String(input) === '/api/auth/me') return jsonResponse({ user: { email: 'a@b.c' }, csrfToken: 'csrf-1' });
      const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
      sent.push(body);
      const a = answer(body);
      return jsonResponse(a.body, a.status);
    }),
  );
  return sent;
}

describe('SettingsForm routing policy', () => {
  it('shows the stored policy and sends margin, preferred, excluded and data residency as typed', async () => {
    const sent = stubApi((body) => ({ status: 200, body: { ...settings, routing: { ...(body as { routing: Settings['routing'] }).routing, marginLabel: 'within 2% of' } } }));
    const saved = vi.fn();
    const user = userEvent.setup();
    render(<SettingsForm settings={settings} catalog={undefined} onSaved={saved} />);
    expect((screen.getByLabelText('Quality margin') as HTMLSelectElement).value).toBe('equal');
    expect((screen.getByLabelText('Preferred providers or models') as HTMLInputElement).value).toBe('anthropic');
    await user.selectOptions(screen.getByLabelText('Quality margin'), 'within_2pct');
    await user.type(screen.getByLabelText('Preferred providers or models'), ', openai/gpt-4.1-mini');
    await user.type(screen.getByLabelText('Excluded providers or models'), 'deepseek');
    const residency = screen.getByRole('group', { name: 'Data residency: only these providers' });
    await user.click(within(residency).getByLabelText('Azure OpenAI'));
    await user.click(within(residency).getByLabelText('Anthropic'));
    await user.type(screen.getByLabelText('Allowed Azure resources'), 'https://my-eu.openai.azure.com{Enter}https://other-eu.openai.azure.com');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Saved.');
    expect(sent[0]).toMatchObject({
      routing: {
        margin: 'within_2pct',
        prefer: ['anthropic', 'openai/gpt-4.1-mini'],
        exclude: ['deepseek'],
        // In the API's provider order, not the order ticked.
        dataResidency: { providers: ['anthropic', 'azure_openai'], azureEndpoints: ['https://my-eu.openai.azure.com', 'https://other-eu.openai.azure.com'] },
      },
    });
    expect(saved).toHaveBeenCalledTimes(1);
  });

  it('sends no residency rule when nothing is ticked or listed', async () => {
    const sent = stubApi(() => ({ status: 200, body: settings }));
    const user = userEvent.setup();
    render(<SettingsForm settings={{ ...settings, routing: { ...settings.routing, dataResidency: { providers: ['openai'], azureEndpoints: [] } } }} catalog={undefined} onSaved={() => {}} />);
    const residency = screen.getByRole('group', { name: 'Data residency: only these providers' });
    expect((within(residency).getByLabelText('OpenAI') as HTMLInputElement).checked).toBe(true);
    await user.click(within(residency).getByLabelText('OpenAI'));
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect((sent[0] as { routing: unknown }).routing).toEqual({ margin: 'equal', prefer: ['anthropic'], exclude: [], dataResidency: null });
  });

  it("shows the API's errors beside the routing fields they name", async () => {
    stubApi(() => ({
      status: 422,
      body: {
        error: {
          code: 'invalid',
          message: 'invalid body',
          issues: [
            { path: ['body', 'routing', 'prefer', 1], message: 'openai/gpt-9 is not in the price table' },
            { path: ['body', 'routing', 'exclude', 0], message: 'must be a provider (openai, anthropic, deepseek, gemini, azure_openai) or "<provider>/<model>"' },
            { path: ['body', 'routing', 'dataResidency', 'azureEndpoints'], message: 'list the Azure resources that meet the residency rule (e.g. https://my-eu.openai.azure.com)' },
          ],
        },
      },
    }));
    const user = userEvent.setup();
    render(<SettingsForm settings={settings} catalog={undefined} onSaved={() => {}} />);
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('item 2: openai/gpt-9 is not in the price table')).toBeTruthy();
    expect(screen.getByLabelText('Preferred providers or models').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Excluded providers or models').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/^item 1: must be a provider/)).toBeTruthy();
    expect(screen.getByLabelText('Allowed Azure resources').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/^list the Azure resources that meet the residency rule/)).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('maps error paths to the longest matching field, and keeps the rest for the form', () => {
    expect(
      fieldErrors([
        { path: 'body.routing.dataResidency.providers', message: 'must name at least one provider' },
        { path: 'body.routing.dataResidency.azureEndpoints.0', message: 'not https' },
        { path: 'body.routing.margin', message: 'must be one of equal, within_2pct, any' },
        { path: 'body.routing', message: 'unknown key "speed"' },
        { path: 'body', message: 'bad' },
      ]),
    ).toEqual({
      byField: { 'routing.dataResidency.providers': 'must name at least one provider', 'routing.dataResidency.azureEndpoints': 'item 1: not https', 'routing.margin': 'must be one of equal, within_2pct, any' },
      rest: ['routing: unknown key "speed"', 'bad'],
    });
  });
});
