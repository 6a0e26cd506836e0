// @vitest-environment jsdom
// Each field kind, rendered from a node's config schema and edited as a person would.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { descriptor, syntheticDescriptor } from './test-descriptors.ts';
import { installDomShims, renderInspector, stubApi } from './test-render.tsx';

beforeAll(installDomShims);
let consoleErrors: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  consoleErrors = vi.spyOn(console, 'error');
});
afterEach(() => {
  cleanup();
  // React warnings (keys, act, controlled inputs) are bugs here.
  expect(consoleErrors).not.toHaveBeenCalled();
  consoleErrors.mockRestore();
  vi.unstubAllGlobals();
});

const slack = { id: '11111111-1111-4111-8111-111111111111', provider: 'slack', label: 'Team Slack', hint: 'xoxb-…abcd', status: 'valid' as const };
const notion = { id: '22222222-2222-4222-8222-222222222222', provider: 'notion', label: 'Docs', hint: 'ntn_…wxyz', status: 'valid' as const };
const openai = { id: '33333333-3333-4333-8333-333333333333', provider: 'openai', label: 'OpenAI prod', hint: 'sk-…1234', status: 'valid' as const };
const anthropic = { id: '44444444-4444-4444-8444-444444444444', provider: 'anthropic', label: 'Claude', hint: 'sk-ant-…9876', status: 'valid' as const };
const catalog = { priceDate: '2026-07-24', tiers: ['economy' as const, 'balanced' as const, 'premium' as const], providers: ['openai', 'anthropic', 'deepseek', 'gemini', 'azure_openai'], defaultTier: 'balanced' as const, models: [] };

describe('Inspector form fields', () => {
  it('number: bounds from the schema, a number in the config, an error out of range', async () => {
    stubApi({});
    const user = userEvent.setup();
    const r = renderInspector({ node: { id: 'n', type: 'core.respond', config: { body: 'ok' } }, descriptor: descriptor('core.respond'), upstream: [] });
    const status = screen.getByLabelText(/^Status/);
    expect(status).toHaveProperty('min', '200');
    expect(status).toHaveProperty('placeholder', '200');
    await user.type(status, '404');
    expect(r.config()).toEqual({ body: 'ok', status: 404 });
    expect(document.activeElement).toBe(status);
    await user.clear(status);
    expect(r.config()).toEqual({ body: 'ok' });
    await user.type(status, '99');
    expect(await screen.findByText('Must be 200 or more')).toBeTruthy();
    expect(status.getAttribute('aria-invalid')).toBe('true');
  });

  it('switch: shows the default, toggles to a boolean', async () => {
    stubApi({});
    const user = userEvent.setup();
    const r = renderInspector({ node: { id: 'n', type: 'core.transform', config: { fields: [] } }, descriptor: descriptor('core.transform'), upstream: [] });
    const sw = screen.getByRole('switch', { name: /^Keep input/ });
    expect(sw.getAttribute('aria-checked')).toBe('false');
    expect(screen.getByText('Start from the input instead of an empty object')).toBeTruthy();
    await user.click(sw);
    expect(r.config()).toEqual({ fields: [], keepInput: true });
    expect(sw.getAttribute('aria-checked')).toBe('true');
  });

  it('select: an enum as a listbox; an optional one can go back to the default', async () => {
    stubApi({});
    const user = userEvent.setup();
    const r = renderInspector({ node: { id: 'n', type: 'core.webhook', config: {} }, descriptor: descriptor('core.webhook'), upstream: [] });
    const mode = screen.getByRole('combobox', { name: /^Response mode/ });
    await user.click(mode);
    const list = await screen.findByRole('listbox');
    expect(within(list).getAllByRole('option').map((o) => o.textContent)).toEqual(['Default (accepted)', 'accepted', 'wait']);
    await user.click(within(list).getByRole('option', { name: 'wait' }));
    expect(r.config()).toEqual({ responseMode: 'wait' });
    await user.click(screen.getByRole('combobox', { name: /^Response mode/ }));
    await user.click(within(await screen.findByRole('listbox')).getByRole('option', { name: 'Default (accepted)' }));
    expect(r.config()).toEqual({});
  });

  it('list of fields: add, reorder and remove items; an item keeps its editor across moves', async () => {
    stubApi({});
    const user = userEvent.setup();
    const r = renderInspector({
      node: { id: 'n', type: 'core.transform', config: { fields: [{ name: 'a', value: '1' }, { name: 'b', value: '2' }] } },
      descriptor: descriptor('core.transform'),
      upstream: [],
    });
    const items = () => screen.getAllByRole('listitem');
    await waitFor(() => expect(items()[0]!.querySelector('.cm-content')).not.toBeNull());
    const firstEditor = items()[0]!.querySelector('.cm-content');
    expect(firstEditor?.textContent).toBe('a');
    await user.click(screen.getByRole('button', { name: 'Move Fields 1 down' }));
    expect(r.config()).toEqual({ fields: [{ name: 'b', value: '2' }, { name: 'a', value: '1' }] });
    // The same editor element, now second: moved, not remounted.
    expect(items()[1]!.querySelector('.cm-content')).toBe(firstEditor);
    await user.click(screen.getByRole('button', { name: 'Add to Fields' }));
    expect(r.config()).toEqual({ fields: [{ name: 'b', value: '2' }, { name: 'a', value: '1' }, { name: '', value: '' }] });
    // A new item starts empty, and its required name says so.
    expect(await screen.findAllByText('Required')).not.toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Remove Fields 1' }));
    expect(r.config()).toEqual({ fields: [{ name: 'a', value: '1' }, { name: '', value: '' }] });
    expect(screen.getByRole('button', { name: 'Move Fields 1 up' })).toHaveProperty('disabled', true);
  });

  it('key/value pairs: rows become a record; bad and repeated keys are flagged', async () => {
    stubApi({});
    const user = userEvent.setup();
    const r = renderInspector({ node: { id: 'n', type: 'core.http', config: { method: 'GET', url: 'https://api.example.test' } }, descriptor: descriptor('core.http'), upstream: [] });
    await user.click(screen.getByRole('button', { name: 'Add to Headers' }));
    const key = screen.getByRole('textbox', { name: 'Headers 1 key' });
    await user.type(key, 'X-Api');
    await user.type(screen.getByRole('textbox', { name: 'Headers 1 value' }), 'v1');
    expect(r.config()).toEqual({ method: 'GET', url: 'https://api.example.test', headers: { 'X-Api': 'v1' } });
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Headers 1 value' }));
    await user.click(screen.getByRole('button', { name: 'Add to Headers' }));
    await user.type(screen.getByRole('textbox', { name: 'Headers 2 key' }), 'X-Api');
    expect(screen.getByText('This key is repeated: the last one wins')).toBeTruthy();
    await user.clear(screen.getByRole('textbox', { name: 'Headers 2 key' }));
    await user.type(screen.getByRole('textbox', { name: 'Headers 2 key' }), 'bad key');
    expect(screen.getByText('Not a valid key')).toBeTruthy();
    // The server's rule too, from the same schema: the form would not save it.
    expect(screen.getByText('A key is not in the expected format')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Remove Headers 2' }));
    expect(r.config()).toEqual({ method: 'GET', url: 'https://api.example.test', headers: { 'X-Api': 'v1' } });
    // A record of typed values (query: string | number | boolean) gets numbers back.
    await user.click(screen.getByRole('button', { name: 'Add to Query' }));
    await user.type(screen.getByRole('textbox', { name: 'Query 1 key' }), 'page');
    await user.type(screen.getByRole('textbox', { name: 'Query 1 value' }), '2');
    expect(r.config()['query']).toEqual({ page: '2' });
  });

  it('JSON: a parse error under the field until it parses, then the value', async () => {
    stubApi({ catalog });
    const user = userEvent.setup();
    const r = renderInspector({ node: { id: 'n', type: 'ai.complete', config: { prompt: 'hi' } }, descriptor: descriptor('ai.complete'), upstream: [] });
    const box = screen.getByLabelText(/^Json schema/);
    await user.click(box);
    await user.paste('{"type": ');
    expect(screen.getByText(/^Not valid JSON:/)).toBeTruthy();
    expect(r.config()).toEqual({ prompt: 'hi' });
    await user.paste('"object"}');
    expect(screen.queryByText(/^Not valid JSON:/)).toBeNull();
    expect(r.config()).toEqual({ prompt: 'hi', jsonSchema: { type: 'object' } });
  });

  it('cron: a human reading in the time zone of the sibling field', async () => {
    stubApi({});
    const user = userEvent.setup();
    const r = renderInspector({ node: { id: 'n', type: 'core.schedule', config: { cron: '' } }, descriptor: descriptor('core.schedule'), upstream: [] });
    await user.type(screen.getByLabelText(/^Cron/), '0 9 * * 1-5');
    expect(screen.getByText('At 09:00, Monday through Friday, UTC')).toBeTruthy();
    await user.type(screen.getByLabelText(/^Timezone/), 'Europe/Paris');
    expect(screen.getByText('At 09:00, Monday through Friday, Europe/Paris')).toBeTruthy();
    expect(r.config()).toEqual({ cron: '0 9 * * 1-5', timezone: 'Europe/Paris' });
    await user.clear(screen.getByLabelText(/^Cron/));
    await user.type(screen.getByLabelText(/^Cron/), '0 9 *');
    expect(screen.getByText(/this has 3$/)).toBeTruthy();
  });

  it("credential: only the owner's credentials of the node's provider, labels and masks only", async () => {
    stubApi({ credentials: [slack, notion, openai] });
    const user = userEvent.setup();
    const d = syntheticDescriptor({ properties: { credentialId: { type: 'string', description: 'Which Slack workspace' }, channel: { type: 'string', pattern: '^[#@]?[\\w-]+$' } }, required: ['credentialId', 'channel'] }, { credential: { provider: 'slack' } });
    const r = renderInspector({ node: { id: 'n', type: 'test.node', config: { channel: 'general' } }, descriptor: d, upstream: [] });
    const picker = await screen.findByRole('combobox', { name: /^Credential id/ });
    await user.click(picker);
    const options = within(await screen.findByRole('listbox')).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(['Team Slack (slack, xoxb-…abcd)']);
    await user.click(options[0]!);
    expect(r.config()).toEqual({ channel: 'general', credentialId: slack.id });
  });

  it('credential: says so when the owner has none of that provider', async () => {
    stubApi({ credentials: [notion] });
    const d = syntheticDescriptor({ properties: { credentialId: { type: 'string' } }, required: ['credentialId'] }, { credential: { provider: 'slack' } });
    renderInspector({ node: { id: 'n', type: 'test.node', config: {} }, descriptor: d, upstream: [] });
    expect(await screen.findByText(/No slack credential yet/)).toBeTruthy();
  });

  it('AI keys: a subset of the AI credentials, as checkboxes', async () => {
    stubApi({ credentials: [slack, openai, anthropic], catalog });
    const user = userEvent.setup();
    const r = renderInspector({ node: { id: 'n', type: 'ai.complete', config: { prompt: 'hi' } }, descriptor: descriptor('ai.complete'), upstream: [] });
    const group = await screen.findByRole('group', { name: /^Credential ids/ });
    const boxes = within(group).getAllByRole('checkbox');
    expect(boxes.map((b) => b.parentElement?.textContent)).toEqual(['OpenAI prod (openai, sk-…1234)', 'Claude (anthropic, sk-ant-…9876)']);
    await user.click(boxes[1]!);
    expect(r.config()).toEqual({ prompt: 'hi', credentialIds: [anthropic.id] });
    await user.click(boxes[1]!);
    expect(r.config()).toEqual({ prompt: 'hi' });
  });

  it('a typed field can hold an expression instead, and go back to a fixed value', async () => {
    stubApi({});
    const user = userEvent.setup();
    const r = renderInspector({ node: { id: 'n', type: 'core.respond', config: { body: 'ok', status: 201 } }, descriptor: descriptor('core.respond'), upstream: [] });
    await user.click(screen.getByRole('button', { name: 'Use an expression for Status' }));
    expect(r.config()).toEqual({ body: 'ok', status: '{{  }}' });
    // Now an expression editor, and no range error: the value is known at run time.
    await waitFor(() => expect(screen.getAllByRole('textbox', { name: /^Status/ }).some((x) => x.classList.contains('cm-content'))).toBe(true));
    expect(screen.queryByText(/Must be/)).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Use a fixed value for Status' }));
    expect(r.config()).toEqual({ body: 'ok' });
    expect(screen.getByRole('spinbutton', { name: /^Status/ })).toBeTruthy();
  });

  it('AI model: picked from the price table, or left to the router', async () => {
    const models = [
      { ref: 'openai/gpt-mini', provider: 'openai', model: 'gpt-mini', tier: 'economy' as const, prices: { input: 150_000, output: 600_000 }, maxInput: 128_000, maxOutput: 16_000, supports: { json: true, tools: true, vision: false } },
      { ref: 'anthropic/claude-mid', provider: 'anthropic', model: 'claude-mid', tier: 'balanced' as const, prices: { input: 1_000_000, output: 5_000_000 }, maxInput: 200_000, maxOutput: 64_000, supports: { json: true, tools: true, vision: true } },
    ];
    stubApi({ catalog: { ...catalog, models } });
    const user = userEvent.setup();
    const r = renderInspector({ node: { id: 'n', type: 'ai.complete', config: { prompt: 'hi' } }, descriptor: descriptor('ai.complete'), upstream: [] });
    const picker = screen.getByRole('combobox', { name: /^Model/ });
    await waitFor(() => expect(picker.textContent).toContain('Automatic'));
    await user.click(picker);
    const options = within(await screen.findByRole('listbox')).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual([
      'Automatic: the cheapest model of the tier that fits',
      'anthropic/claude-mid — balanced, $1.00 in / $5.00 out per 1M tokens',
      'openai/gpt-mini — economy, $0.15 in / $0.60 out per 1M tokens',
    ]);
    await user.click(options[2]!);
    expect(r.config()).toEqual({ prompt: 'hi', model: 'openai/gpt-mini' });
  });

  it('any value: text with expressions, or a JSON value when switched', async () => {
    stubApi({});
    const user = userEvent.setup();
    const r = renderInspector({ node: { id: 'n', type: 'core.respond', config: { body: '42' } }, descriptor: descriptor('core.respond'), upstream: [] });
    await user.click(screen.getByRole('button', { name: 'Use a JSON value for Body' }));
    expect(r.config()).toEqual({ body: 42 });
    const box = screen.getByRole('textbox', { name: /^Body/ });
    fireEvent.change(box, { target: { value: '{"ok": true}' } });
    expect(r.config()).toEqual({ body: { ok: true } });
    await user.click(screen.getByRole('button', { name: 'Use text for Body' }));
    expect(r.config()).toEqual({ body: '{"ok":true}' });
  });
});
