// @vitest-environment jsdom
// The Activity page with a fake API: the day's runs, failures, spend and key health, the latest
// alerts with their links, and the alert form sending what was chosen (the secret only when typed).
import { cleanup, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderWithQueries } from '../app/test-page.tsx';
import ActivityPage from './ActivityPage.tsx';

// uPlot draws on a canvas jsdom lacks; the figures are asserted through the cards and the table.
vi.mock('../costs/BarChart.tsx', () => ({ default: (p: { micros: number[] }) => <div data-testid="chart">{p.micros.join(',')}</div> }));

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const settings = {
  email: { enabled: false, to: null, configured: true },
  slack: { enabled: false, credentialId: null, channel: null },
  webhook: { enabled: false, url: null, hasSecret: false },
  workflowFailures: { enabled: false, mode: 'first', count: 3, minutes: 60 },
  budget: { enabled: false, thresholds: [80, 100] },
  credentialInvalid: { enabled: false },
  providerCooldown: { enabled: false, minutes: 15 },
  updatedAt: null,
};

function stub(puts: unknown[]) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = String(input);
      const json = jsonResponse;
      if (url === '/api/auth/me') return json({ csrfToken: 't' });
      if (url.startsWith('/api/activity')) {
        const hours = Array.from({ length: 24 }, (_, i) => ({ hour: `2026-12-02T${String(i).padStart(2, '0')}:00:00.000Z`, runs: i === 23 ? 5 : 0, failed: i === 23 ? 2 : 0, costMicros: i === 23 ? 1_250_000 : 0 }));
        return json({ from: '', to: '', hours, totals: { runs: 5, failed: 2, costMicros: 1_250_000 }, health: { healthy: 2, invalid: 1 } });
      }
      if (url === '/api/alerts/settings' && init.method === 'PUT') {
        const body = JSON.parse(String(init.body));
        puts.push(body);
        return json({ ...settings, ...body, email: { ...body.email, configured: true }, webhook: { enabled: body.webhook.enabled, url: body.webhook.url, hasSecret: true } });
      }
      if (url === '/api/alerts/settings') return json(settings);
      if (url === '/api/alerts') return json({ items: [{ id: 'e1', kind: 'workflow_failed', subject: '"Nightly sync" failed', link: 'https://k.test/workflows/w1?run=r1', suppressed: 2, deliveries: [{ channel: 'email', ok: true }, { channel: 'webhook', ok: false }], createdAt: '2026-12-02T18:00:00Z' }] });
      if (url === '/api/credentials') return json({ items: [{ id: 's1', provider: 'slack', label: 'Team Slack', hint: 'xoxb-…', status: 'valid', meta: {}, createdAt: '', updatedAt: '' }] });
      return json({ error: { code: 'not_found', message: `no fake for ${url}` } }, 404);
    }),
  );
}

const renderPage = () => renderWithQueries(<ActivityPage />);

describe('ActivityPage', () => {
  it('shows the day’s runs, failures, spend, key health and the latest alerts', async () => {
    stub([]);
    renderPage();
    expect((await screen.findByTestId('activity-runs')).textContent).toBe('5');
    expect(screen.getByTestId('activity-failed').textContent).toBe('2');
    expect(screen.getByText('$1.250000')).toBeTruthy();
    expect(screen.getByText('1 invalid')).toBeTruthy();
    const charts = await screen.findAllByTestId('chart');
    expect(charts[0]!.textContent!.split(',').at(-1)).toBe('5');
    expect(screen.getByRole('link', { name: '"Nightly sync" failed' }).getAttribute('href')).toBe('https://k.test/workflows/w1?run=r1');
    expect(screen.getByText('email, webhook (failed)')).toBeTruthy();
  });

  it('saves the chosen rules and channels, sending the webhook secret only when typed', async () => {
    const puts: Record<string, Record<string, unknown>>[] = [];
    stub(puts);
    renderPage();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('checkbox', { name: 'a workflow fails' }));
    await user.click(screen.getByRole('radio', { name: 'after N failures' }));
    await user.clear(screen.getByLabelText('N failures'));
    await user.type(screen.getByLabelText('N failures'), '4');
    await user.click(screen.getByRole('checkbox', { name: 'signed webhook' }));
    await user.type(screen.getByLabelText('Webhook URL'), 'https://ops.example.com/hook');
    await user.type(screen.getByLabelText('Signing secret'), 'a-long-enough-secret');
    await user.selectOptions(screen.getByLabelText('Slack connection'), 's1');
    await user.click(screen.getByRole('button', { name: 'Save alerts' }));
    expect(await screen.findByRole('status')).toBeTruthy();
    expect(puts).toHaveLength(1);
    expect(puts[0]!.workflowFailures).toEqual({ enabled: true, mode: 'threshold', count: 4, minutes: 60 });
    expect(puts[0]!.webhook).toEqual({ enabled: true, url: 'https://ops.example.com/hook', secret: 'a-long-enough-secret' });
    expect(puts[0]!.slack).toMatchObject({ credentialId: 's1' });
    // Saved again without typing a secret: none is sent, so the stored one is kept.
    await user.click(screen.getByRole('button', { name: 'Save alerts' }));
    await vi.waitFor(() => expect(puts).toHaveLength(2));
    expect(puts[1]!.webhook).toEqual({ enabled: true, url: 'https://ops.example.com/hook' });
  });
});
