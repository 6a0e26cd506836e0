// @vitest-environment jsdom
// The keys page's forms and the costs settings form against a fake API: the API's own field
// errors appear beside the field they name, the key is cleared once stored and never echoed,
// Azure asks for its endpoint and api-version, and the settings send what was typed.
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SettingsForm } from '../costs/SettingsForm.tsx';
import { AddKeyForm } from './AddKeyForm.tsx';
import { AI_PROVIDERS, TOKEN_SERVICES } from './keys.api.ts';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

type Answer = { status: number; body: unknown };
/** A fake API: /api/auth/me answers a CSRF token; `answer` decides everything else. */
function stubApi(answer: (method: string, url: string, body: unknown) => Answer) {
  const sent: { method: string; url: string; body: unknown; csrf: string | null }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = String(input);
      const method = init.method ?? 'GET';
      if (url === '/api/auth/me') return new Response(JSON.stringify({ user: { email: 'a@b.c' }, csrfToken: 'csrf-1' }), { status: 200 });
      const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
      sent.push({ method, url, body, csrf: new Headers(init.headers).get('x-csrf-token') });
      const a = answer(method, url, body);
      return new Response(JSON.stringify(a.body), { status: a.status, headers: { 'content-type': 'application/json' } });
    }),
  );
  return sent;
}

const invalid = (issues: { path: (string | number)[]; message: string }[]) => ({ status: 422, body: { error: { code: 'invalid', message: 'invalid body', issues } } });

describe('AddKeyForm', () => {
  it("shows the API's message beside the key field, then clears the key once stored", async () => {
    let refuse = true;
    const sent = stubApi((_m, _u, body) =>
      refuse
        ? invalid([{ path: ['body', 'secret'], message: 'an OpenAI key starts with "sk-" followed by at least 20 letters' }])
        : { status: 201, body: { id: 'c1', provider: 'openai', label: (body as { label: string }).label, hint: 'sk-…wxyz', status: 'unknown', meta: {} } },
    );
    const added = vi.fn();
    const user = userEvent.setup();
    render(<AddKeyForm heading="Add an AI key" providerLabel="Provider" providers={AI_PROVIDERS} submitLabel="Add key" onAdded={added} />);
    const key = screen.getByLabelText('API key');
    expect(key.getAttribute('type')).toBe('password');
    await user.type(key, 'sk-short');
    await user.click(screen.getByRole('button', { name: 'Add key' }));
    expect(await screen.findByText(/an OpenAI key starts with "sk-"/)).toBeTruthy();
    expect(key.getAttribute('aria-invalid')).toBe('true');
    expect(sent[0]).toMatchObject({ method: 'POST', url: '/api/credentials', body: { provider: 'openai', label: 'OpenAI key', secret: 'sk-short' }, csrf: 'csrf-1' });
    expect(added).not.toHaveBeenCalled();

    refuse = false;
    await user.clear(key);
    await user.type(key, 'sk-abcdefghijklmnopqrstuvwxyz');
    await user.type(screen.getByLabelText('Name'), 'Main');
    await user.click(screen.getByRole('button', { name: 'Add key' }));
    await waitFor(() => expect(added).toHaveBeenCalledTimes(1));
    expect(added.mock.calls[0]![0]).toMatchObject({ label: 'Main', hint: 'sk-…wxyz' });
    expect((key as HTMLInputElement).value).toBe('');
    expect(key.getAttribute('aria-invalid')).toBeNull();
  });

  it('asks Azure OpenAI for its endpoint and api-version and maps their errors to them', async () => {
    const sent = stubApi(() => invalid([{ path: ['body', 'endpoint'], message: 'must be an Azure OpenAI resource host' }, { path: ['body', 'apiVersion'], message: 'must be an Azure api-version' }]));
    const user = userEvent.setup();
    render(<AddKeyForm heading="Add an AI key" providerLabel="Provider" providers={AI_PROVIDERS} submitLabel="Add key" onAdded={() => {}} />);
    expect(screen.queryByLabelText('Endpoint')).toBeNull();
    await user.selectOptions(screen.getByLabelText('Provider'), 'azure_openai');
    await user.type(screen.getByLabelText('Endpoint'), 'https://evil.example.com');
    await user.clear(screen.getByLabelText('API version'));
    await user.type(screen.getByLabelText('API version'), 'yesterday');
    await user.type(screen.getByLabelText('API key'), 'a'.repeat(32));
    await user.click(screen.getByRole('button', { name: 'Add key' }));
    expect(await screen.findByText('must be an Azure OpenAI resource host')).toBeTruthy();
    expect(screen.getByText('must be an Azure api-version')).toBeTruthy();
    expect(screen.getByLabelText('Endpoint').getAttribute('aria-invalid')).toBe('true');
    expect(sent[0]!.body).toEqual({ provider: 'azure_openai', label: 'Azure OpenAI key', secret: 'a'.repeat(32), endpoint: 'https://evil.example.com', apiVersion: 'yesterday' });
  });

  it("sends Azure's deployment map, refuses a malformed line before sending, and shows the API's error on the field", async () => {
    const sent = stubApi(() => invalid([{ path: ['body', 'deployments', 'prod'], message: '"gpt-9" is not an Azure OpenAI model in the price table' }]));
    const user = userEvent.setup();
    render(<AddKeyForm heading="Add an AI key" providerLabel="Provider" providers={AI_PROVIDERS} submitLabel="Add key" onAdded={() => {}} />);
    await user.selectOptions(screen.getByLabelText('Provider'), 'azure_openai');
    await user.type(screen.getByLabelText('Endpoint'), 'https://acme.openai.azure.com');
    await user.type(screen.getByLabelText('API key'), 'a'.repeat(32));
    const box = screen.getByLabelText('Deployments');
    await user.type(box, 'just-a-name');
    await user.click(screen.getByRole('button', { name: 'Add key' }));
    expect(await screen.findByText(/line 1: write "deployment = model"/)).toBeTruthy();
    expect(sent).toHaveLength(0);
    await user.clear(box);
    await user.type(box, 'prod-mini = gpt-4o-mini{enter}prod: gpt-9');
    await user.click(screen.getByRole('button', { name: 'Add key' }));
    expect(await screen.findByText('prod: "gpt-9" is not an Azure OpenAI model in the price table')).toBeTruthy();
    expect(sent[0]!.body).toMatchObject({ provider: 'azure_openai', deployments: { 'prod-mini': 'gpt-4o-mini', prod: 'gpt-9' } });
  });

  it('offers Asana under Service with its personal access token', async () => {
    const sent = stubApi(() => ({ status: 201, body: { id: 'c3', provider: 'asana', label: 'Asana key', hint: '2/1…abcd', status: 'unknown', meta: {} } }));
    const user = userEvent.setup();
    render(<AddKeyForm heading="Paste a token" providerLabel="Service" providers={TOKEN_SERVICES} submitLabel="Add connection" onAdded={() => {}} />);
    await user.selectOptions(screen.getByLabelText('Service'), 'asana');
    await user.type(screen.getByLabelText('Personal access token'), '2/1/2:abc');
    await user.click(screen.getByRole('button', { name: 'Add connection' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]!.body).toMatchObject({ provider: 'asana', secret: '2/1/2:abc' });
  });

  it('pastes a Trello key:token under its own label', async () => {
    const sent = stubApi(() => ({ status: 201, body: { id: 'c2', provider: 'trello', label: 'Board', hint: 'abc…', status: 'unknown', meta: {} } }));
    const user = userEvent.setup();
    render(<AddKeyForm heading="Paste a token" providerLabel="Service" providers={TOKEN_SERVICES} submitLabel="Add connection" onAdded={() => {}} />);
    await user.selectOptions(screen.getByLabelText('Service'), 'trello');
    await user.type(screen.getByLabelText('API key and token'), 'k:t');
    await user.click(screen.getByRole('button', { name: 'Add connection' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]!.body).toMatchObject({ provider: 'trello', secret: 'k:t' });
  });
});

describe('SettingsForm', () => {
  const settings = { providerOrder: ['openai'], defaultTier: 'balanced' as const, monthlyBudgetUsd: null, monthlyBudgetMicros: null, baselineModel: null, routing: { margin: 'equal' as const, marginLabel: 'at least as good as', prefer: [], exclude: [], dataResidency: null }, updatedAt: null };

  it("sends what was typed and shows the API's errors on budget and provider order", async () => {
    const sent = stubApi(() =>
      invalid([
        { path: ['body', 'monthlyBudgetUsd'], message: 'must not be negative' },
        { path: ['body', 'providerOrder', 1], message: '"openai" is listed twice' },
      ]),
    );
    const saved = vi.fn();
    const user = userEvent.setup();
    render(<SettingsForm settings={settings} catalog={undefined} onSaved={saved} />);
    await user.type(screen.getByLabelText('Monthly budget (USD)'), '-5');
    await user.clear(screen.getByLabelText('Provider order'));
    await user.type(screen.getByLabelText('Provider order'), 'openai, openai');
    await user.selectOptions(screen.getByLabelText('Default tier'), 'premium');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('must not be negative')).toBeTruthy();
    expect(screen.getByText('item 2: "openai" is listed twice')).toBeTruthy();
    expect(screen.getByLabelText('Monthly budget (USD)').getAttribute('aria-invalid')).toBe('true');
    expect(sent[0]).toMatchObject({ method: 'PUT', url: '/api/settings', body: { monthlyBudgetUsd: -5, baselineModel: null, defaultTier: 'premium', providerOrder: ['openai', 'openai'] } });
    expect(saved).not.toHaveBeenCalled();
  });

  it('saves and reports it', async () => {
    stubApi((_m, _u, body) => ({ status: 200, body: { ...settings, ...(body as object), monthlyBudgetMicros: 12_500_000, updatedAt: '2026-12-02T00:00:00Z' } }));
    const saved = vi.fn();
    const user = userEvent.setup();
    render(<SettingsForm settings={settings} catalog={undefined} onSaved={saved} />);
    await user.type(screen.getByLabelText('Monthly budget (USD)'), '12.5');
    await user.type(screen.getByLabelText('Baseline model'), 'openai/gpt-4o');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect(saved.mock.calls[0]![0]).toMatchObject({ monthlyBudgetUsd: 12.5, baselineModel: 'openai/gpt-4o' });
  });
});
