// @vitest-environment jsdom
// The keys page with a fake API: OAuth services with client ids get a real "Connect" link to
// the start URL, those without are shown "not configured"; the OAuth callback's ?connected= and
// ?error= are reported; health words come from /api/connections; a failed test shows its reason.
import { cleanup, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderWithQueries } from '../app/test-page.tsx';
import KeysPage from './KeysPage.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
});

const cred = (id: string, provider: string, label: string, hint: string, extra: Record<string, unknown> = {}) => ({ id, provider, label, hint, status: 'unknown', meta: {}, createdAt: '2026-12-01T00:00:00Z', updatedAt: '2026-12-01T00:00:00Z', lastUsedAt: null, ...extra });

function stub(services: { service: string; title: string; status: string; startUrl?: string }[]) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = String(input);
      const json = jsonResponse;
      if (url === '/api/auth/me') return json({ csrfToken: 't' });
      if (url === '/api/credentials') return json({ items: [cred('a1', 'openai', 'Main', 'sk-…abcd', { status: 'invalid', meta: { lastCheckStatus: 'invalid_key', lastCheckedAt: '2026-12-01T10:00:00Z' } }), cred('s1', 'slack', 'Team', 'xoxb-…wxyz')] });
      if (url === '/api/connections')
        return json({
          items: [
            { id: 'a1', service: 'openai', label: 'Main', authKind: 'token', status: 'invalid', lastCheckedAt: '2026-12-01T10:00:00Z', latencyMs: null, lastError: null },
            { id: 's1', service: 'slack', label: 'Team', authKind: 'oauth2', status: 'rate_limited', lastCheckedAt: '2026-12-01T11:00:00Z', latencyMs: 140, lastError: 'Slack is rate limiting this token' },
          ],
          services,
        });
      if (url === '/api/credentials/a1/test' && init.method === 'POST') return json({ status: 'invalid_key', latencyMs: 87, message: 'openai rejected the key (HTTP 401)' });
      return json({ error: { code: 'not_found', message: `no fake for ${url}` } }, 404);
    }),
  );
}

const renderPage = () => renderWithQueries(<KeysPage />);

describe('KeysPage', () => {
  it('links Connect to the OAuth start URL when configured, and says "not configured" otherwise', async () => {
    stub([
      { service: 'slack', title: 'Slack', status: 'configured', startUrl: '/api/oauth/slack/start' },
      { service: 'notion', title: 'Notion', status: 'not_configured' },
    ]);
    window.history.replaceState(null, '', '/connections?connected=slack&credentialId=s1');
    renderPage();
    const slack = await screen.findByRole('link', { name: 'Connect Slack' });
    expect(slack.getAttribute('href')).toBe('/api/oauth/slack/start');
    const notion = screen.getByRole('button', { name: 'Connect Notion' });
    expect((notion as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/not configured on this server/)).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Slack is connected.');
  });

  it('reports a refused OAuth callback', async () => {
    stub([]);
    window.history.replaceState(null, '', '/connections?error=state_mismatch&service=notion');
    renderPage();
    expect((await screen.findByRole('alert')).textContent).toBe('Connecting Notion failed: state mismatch.');
  });

  it('shows health, last error and a failed test with its latency', async () => {
    stub([]);
    const user = userEvent.setup();
    renderPage();
    const main = await screen.findByRole('listitem', { name: 'Main (OpenAI)' });
    expect(within(main).getByText('Invalid')).toBeTruthy();
    expect(within(main).getByText('Last test: invalid key')).toBeTruthy();
    const team = screen.getByRole('listitem', { name: 'Team (Slack)' });
    expect(within(team).getByText('Rate limited')).toBeTruthy();
    expect(within(team).getByText('Last error: Slack is rate limiting this token')).toBeTruthy();
    expect(within(team).getByText('140 ms')).toBeTruthy();
    expect(within(team).queryByRole('button', { name: 'Replace Team' })).toBeNull();
    expect(within(team).getByRole('button', { name: 'Disconnect Team' })).toBeTruthy();
    await user.click(within(main).getByRole('button', { name: 'Test Main' }));
    expect((await within(main).findByRole('status')).textContent).toBe('Test: openai rejected the key (HTTP 401) (87 ms)');
  });
  it('offers Connect Google and pasting a Google service-account key', async () => {
    stub([{ service: 'google', title: 'Google', status: 'configured', startUrl: '/api/oauth/google/start' }]);
    renderPage();
    const google = await screen.findByRole('link', { name: 'Connect Google' });
    expect(google.getAttribute('href')).toBe('/api/oauth/google/start');
    const services = screen.getByRole('combobox', { name: 'Service' });
    expect(within(services).getByRole('option', { name: 'Google' })).toBeTruthy();
    await userEvent.selectOptions(services, 'google');
    expect(screen.getByLabelText(/Service-account JSON key/)).toBeTruthy();
  });

  it('edits an Azure key\'s deployments without the key, and shows them on the row', async () => {
    const patches: unknown[] = [];
    let deployments: Record<string, string> = { 'prod-mini': 'gpt-4o-mini' };
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
        const url = String(input);
        const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
        if (url === '/api/auth/me') return json({ csrfToken: 't' });
        if (url === '/api/credentials') return json({ items: [cred('z1', 'azure_openai', 'Az', 'abc…wxyz', { meta: { endpoint: 'https://acme.openai.azure.com', deployments } })] });
        if (url === '/api/connections') return json({ items: [], services: [] });
        if (url === '/api/credentials/z1' && init.method === 'PATCH') {
          const body = JSON.parse(String(init.body)) as { deployments: Record<string, string> };
          patches.push(body);
          deployments = body.deployments;
          return json(cred('z1', 'azure_openai', 'Az', 'abc…wxyz', { meta: { deployments } }));
        }
        return json({ error: { code: 'not_found', message: `no fake for ${url}` } }, 404);
      }),
    );
    const user = userEvent.setup();
    renderPage();
    const row = await screen.findByRole('listitem', { name: 'Az (Azure OpenAI)' });
    expect(within(row).getByTestId('deployments').textContent).toBe('Deployments prod-mini → gpt-4o-mini');
    await user.click(within(row).getByRole('button', { name: 'Deployments of Az' }));
    const box = await screen.findByLabelText('Deployments');
    expect((box as HTMLTextAreaElement).value).toBe('prod-mini = gpt-4o-mini');
    await user.type(box, '{enter}prod-large = gpt-4.1');
    await user.click(screen.getByRole('button', { name: 'Save deployments' }));
    expect(await within(row).findByText('Deployments prod-mini → gpt-4o-mini, prod-large → gpt-4.1')).toBeTruthy();
    expect(patches).toEqual([{ deployments: { 'prod-mini': 'gpt-4o-mini', 'prod-large': 'gpt-4.1' } }]);
  });
});
