// @vitest-environment jsdom
// The panel as a whole: name, validation on the fields, expression fields (CodeMirror,
// autocomplete, preview), read-only mode, AI model and cost, and text-only rendering.
import { startCompletion } from '@codemirror/autocomplete';
import { EditorView } from '@codemirror/view';
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { descriptor } from './test-descriptors.ts';
import { installDomShims, renderInspector, stubApi } from './test-render.tsx';

beforeAll(installDomShims);
let consoleErrors: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  consoleErrors = vi.spyOn(console, 'error');
});
afterEach(() => {
  cleanup();
  expect(consoleErrors).not.toHaveBeenCalled();
  consoleErrors.mockRestore();
  vi.unstubAllGlobals();
});

const upstream = [{ id: 'hook', name: 'Incoming lead', type: 'core.webhook', descriptor: descriptor('core.webhook') }];
const lastRun = { trigger: { body: { name: 'Ada' }, headers: {}, query: {}, method: 'POST' }, outputs: { hook: { body: { name: 'Ada' }, headers: {}, query: {}, method: 'POST' } } };

/** The CodeMirror view of the expression field labelled `label`, once its lazy chunk is in. */
async function editorOf(label: RegExp): Promise<EditorView> {
  // Until the lazy chunk is in, a read-only stand-in holds the label.
  const content = await waitFor(() => {
    const el = screen.getAllByRole('textbox', { name: label }).find((x) => x.classList.contains('cm-content'));
    if (!el) throw new Error('CodeMirror not loaded yet');
    return el;
  });
  const view = EditorView.findFromDOM(content);
  if (!view) throw new Error('no CodeMirror view');
  return view;
}

/** Types into CodeMirror as its input handling would (jsdom has no real text input). */
function typeInto(view: EditorView, text: string) {
  act(() => {
    for (const ch of text) {
      const at = view.state.selection.main.head;
      view.dispatch({ changes: { from: at, insert: ch }, selection: { anchor: at + ch.length }, userEvent: 'input.type' });
    }
  });
}

describe('Inspector panel', () => {
  it('shows type and description, renames on Enter as one edit, Escape reverts', async () => {
    stubApi({});
    const user = userEvent.setup();
    const r = renderInspector({ node: { id: 'shape', type: 'core.transform', name: 'Shape', config: { fields: [] } }, descriptor: descriptor('core.transform'), upstream });
    expect(screen.getByText('core.transform v1', { exact: false })).toBeTruthy();
    expect(screen.getByText(descriptor('core.transform').description)).toBeTruthy();
    const name = screen.getByRole('textbox', { name: 'Name' });
    await user.clear(name);
    await user.type(name, 'Greeting{Enter}');
    expect(r.renames).toEqual(['Greeting']);
    await user.type(name, ' typo{Escape}');
    expect((name as HTMLInputElement).value).toBe('Greeting');
    await user.tab();
    expect(r.renames).toEqual(['Greeting']);
  });

  it('renders names and values as text, never HTML', () => {
    stubApi({});
    const evil = '<img src=x onerror=alert(1)>';
    renderInspector({ node: { id: 'n', type: 'core.respond', name: evil, config: { body: evil } }, descriptor: descriptor('core.respond'), upstream, lastRun });
    expect(document.querySelector('img')).toBeNull();
    expect((screen.getByRole('textbox', { name: 'Name' }) as HTMLInputElement).value).toBe(evil);
  });

  it('shows validation errors on their field and a count, from the schema the API uses', async () => {
    stubApi({ catalog: undefined });
    const user = userEvent.setup();
    renderInspector({ node: { id: 'd', type: 'core.delay', config: { amount: 0, unit: 'hours' } }, descriptor: descriptor('core.delay'), upstream });
    const amount = screen.getByLabelText(/^Amount/);
    expect(amount.getAttribute('aria-invalid')).toBe('true');
    const error = screen.getByText('Must be more than 0');
    expect(amount.getAttribute('aria-describedby')).toContain(error.id);
    expect(screen.getByText('1 problem to fix before this node can run.')).toBeTruthy();
    await user.type(amount, '5');
    expect(screen.queryByText('Must be more than 0')).toBeNull();
    expect(screen.queryByText(/problem/)).toBeNull();
  });

  it('lists an unknown key, which no field shows', () => {
    stubApi({});
    renderInspector({ node: { id: 'd', type: 'core.merge', config: { mode: 'all', stray: 1 } }, descriptor: descriptor('core.merge'), upstream });
    expect(screen.getByText('Stray: Unknown field "Stray": remove it')).toBeTruthy();
  });

  it('edits an expression field in CodeMirror, highlights {{ }}, and previews it against the last run', async () => {
    stubApi({});
    const r = renderInspector({ node: { id: 'reply', type: 'core.respond', config: { body: '' } }, descriptor: descriptor('core.respond'), upstream, lastRun });
    const view = await editorOf(/^Body/);
    typeInto(view, 'Hi {{ $trigger.body.name }}');
    expect(r.config()).toEqual({ body: 'Hi {{ $trigger.body.name }}' });
    expect(view.contentDOM.querySelector('.kf-expr-delim')?.textContent).toBe('{{');
    expect(view.contentDOM.querySelector('.kf-expr-root')?.textContent).toBe('$trigger');
    const preview = await screen.findByRole('status', { name: "Preview with the last run's data" });
    expect(preview.textContent).toContain('Hi Ada');
    typeInto(view, ' {{ $trigger.nope.x }}');
    expect(await screen.findByText(/^Preview: /)).toBeTruthy();
  });

  it('autocompletes fields in the rendered editor and applies the choice', async () => {
    stubApi({});
    const r = renderInspector({ node: { id: 'reply', type: 'core.respond', config: { body: '' } }, descriptor: descriptor('core.respond'), upstream, lastRun });
    const view = await editorOf(/^Body/);
    view.focus();
    typeInto(view, '{{ $node[');
    act(() => {
      startCompletion(view);
    });
    const list = await screen.findByRole('listbox');
    expect(within(list).getAllByRole('option').map((o) => o.textContent)).toEqual([expect.stringContaining('["hook"]')]);
    // Enter picks the selected option (CodeMirror ignores it for the first 75 ms, against mistypes).
    await new Promise((resolve) => setTimeout(resolve, 100));
    act(() => {
      view.contentDOM.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    });
    await waitFor(() => expect(r.config()).toEqual({ body: '{{ $node["hook"].output' }));
    typeInto(view, '.');
    act(() => {
      startCompletion(view);
    });
    const fields = await screen.findByRole('listbox');
    // From the last run's real output of `hook` (CodeMirror orders them itself).
    expect(within(fields).getAllByRole('option').map((o) => o.textContent?.replace(/(object|string)$/, '')).sort()).toEqual(['body', 'headers', 'method', 'query']);
  });

  it('keeps the editor (and its focus) while the value round-trips through the store', async () => {
    stubApi({});
    renderInspector({ node: { id: 'reply', type: 'core.respond', config: { body: '' } }, descriptor: descriptor('core.respond'), upstream });
    const view = await editorOf(/^Body/);
    const dom = view.contentDOM;
    view.focus();
    typeInto(view, 'abc');
    expect(await editorOf(/^Body/)).toBe(view);
    expect(view.state.doc.toString()).toBe('abc');
    expect(view.state.selection.main.head).toBe(3);
    expect(dom.isConnected).toBe(true);
  });

  it('shows a value replaced from outside (undo) in the same editor, without echoing it back as an edit', async () => {
    stubApi({});
    const r = renderInspector({ node: { id: 'reply', type: 'core.respond', config: { body: 'one' } }, descriptor: descriptor('core.respond'), upstream });
    const view = await editorOf(/^Body/);
    act(() => view.dispatch({ selection: { anchor: view.state.doc.length } }));
    typeInto(view, '!');
    expect(r.changes).toEqual([{ body: 'one!' }]);
    r.replaceConfig({ body: 'one' });
    expect(view.state.doc.toString()).toBe('one');
    expect(await editorOf(/^Body/)).toBe(view);
    expect(r.changes).toEqual([{ body: 'one!' }]);
  });

  it('read-only: values shown, nothing editable', async () => {
    stubApi({});
    renderInspector({ node: { id: 'n', type: 'core.transform', name: 'Shape', config: { fields: [{ name: 'a', value: '1' }], keepInput: true } }, descriptor: descriptor('core.transform'), upstream, readOnly: true });
    expect(screen.getByText('read-only')).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Name' })).toHaveProperty('readOnly', true);
    expect(screen.getByRole('switch', { name: /^Keep input/ })).toHaveProperty('disabled', true);
    expect(screen.queryByRole('button', { name: /^Add/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Remove/ })).toBeNull();
    const view = await editorOf(/^Value/);
    expect(view.state.doc.toString()).toBe('1');
    expect(view.state.readOnly).toBe(true);
    expect(view.contentDOM.getAttribute('contenteditable')).toBe('false');
  });
});

describe('AI node', () => {
  const catalog = {
    priceDate: '2026-07-24',
    tiers: ['economy', 'balanced', 'premium'],
    providers: ['openai', 'anthropic', 'deepseek', 'gemini', 'azure_openai'],
    defaultTier: 'balanced',
    models: [
      { ref: 'openai/gpt-mini', provider: 'openai', model: 'gpt-mini', tier: 'economy', prices: { input: 150_000, output: 600_000 }, maxInput: 128_000, maxOutput: 16_000, supports: { json: true, tools: true, vision: false } },
      { ref: 'anthropic/claude-mid', provider: 'anthropic', model: 'claude-mid', tier: 'balanced', prices: { input: 1_000_000, output: 5_000_000 }, maxInput: 200_000, maxOutput: 64_000, supports: { json: true, tools: true, vision: true } },
      { ref: 'openai/gpt-big', provider: 'openai', model: 'gpt-big', tier: 'premium', prices: { input: 5_000_000, output: 20_000_000 }, maxInput: 400_000, maxOutput: 128_000, supports: { json: true, tools: true, vision: true } },
    ],
  };
  const keys = [
    { id: '33333333-3333-4333-8333-333333333333', provider: 'openai', label: 'OpenAI', hint: 'sk-…1', status: 'valid' },
    { id: '44444444-4444-4444-8444-444444444444', provider: 'anthropic', label: 'Claude', hint: 'sk-…2', status: 'valid' },
  ] as const;

  const preview = (q: URLSearchParams, chosen: boolean) => ({
    chosen: chosen ? { provider: 'anthropic', model: 'claude-mid', expectedCostMicros: 6008, expectedCostUsd: '0.006008', scores: [{ benchmark: 'LiveBench 2026-01-08 instruction following', value: 71, reference: 70, floor: 70 }] } : null,
    fallbacks: chosen ? [{ provider: 'openai', model: 'gpt-big', expectedCostMicros: 25000, expectedCostUsd: '0.025' }] : [],
    candidateCount: chosen ? 2 : 0,
    task: q.get('task') ?? 'general',
    tier: q.get('tier') ?? 'balanced',
    margin: 'equal',
    marginLabel: 'at least as good as',
    reference: chosen ? { ref: q.get('referenceModel') ?? 'openai/gpt-4.1-mini', origin: q.get('referenceModel') ? 'reference model' : 'tier reference', expectedCostMicros: 9000, expectedCostUsd: '0.009' } : { ref: '', origin: '', expectedCostMicros: null, expectedCostUsd: null },
    rejected: chosen ? [{ provider: 'openai', model: 'gpt-mini', expectedCostMicros: 900, reason: 'scores below the reference' }] : [],
    why: chosen ? 'anthropic/claude-mid is the cheapest of 2 model(s) on your keys at least as good as openai/gpt-4.1-mini' : 'the owner has no usable AI key',
    assumed: { promptTokens: Number(q.get('promptTokens')), maxTokens: Number(q.get('maxTokens') ?? 1024) },
    priceDate: '2026-01-15',
  });

  it('shows the model the router would choose for the task and reference model, its cost and why', async () => {
    const fetchMock = stubApi({ catalog: catalog as never, credentials: [...keys], routePreview: (q) => preview(q, true) });
    renderInspector({ node: { id: 'ai', type: 'ai.complete', config: { prompt: 'x'.repeat(4000), maxTokens: 1000, task: 'summarization', referenceModel: 'openai/gpt-4o-mini' } }, descriptor: descriptor('ai.complete'), upstream });
    const section = await screen.findByRole('region', { name: 'Model and cost' });
    await waitFor(() => expect(section.textContent).toContain('Runs on anthropic/claude-mid'));
    const sent = fetchMock.mock.calls.map(([u]) => String(u)).filter((u) => u.startsWith('/api/catalog/route-preview?'));
    const q = new URLSearchParams(sent.at(-1)!.split('?')[1]);
    expect(Object.fromEntries(q)).toEqual({ task: 'summarization', referenceModel: 'openai/gpt-4o-mini', promptTokens: '1008', maxTokens: '1000' });
    expect(section.querySelector('[data-cost-micros]')?.getAttribute('data-cost-micros')).toBe('6008');
    expect(section.textContent).toContain('$0.006');
    expect(section.textContent).toContain('Why this model?');
    const rows = [...section.querySelectorAll('tr[data-candidate]')].map((r) => r.getAttribute('data-candidate'));
    expect(rows).toEqual(['chosen', 'fallback', 'rejected']);
    expect(section.textContent).toContain('refused: scores below the reference');
    expect(section.textContent).toContain('71 vs 70 on LiveBench');
  });

  it('debounces edits: typing a number sends one preview request once it settles', async () => {
    const fetchMock = stubApi({ catalog: catalog as never, credentials: [...keys], routePreview: (q) => preview(q, true) });
    const user = userEvent.setup();
    renderInspector({ node: { id: 'ai', type: 'ai.complete', config: { prompt: 'hello', tier: 'economy' } }, descriptor: descriptor('ai.complete'), upstream });
    const section = await screen.findByRole('region', { name: 'Model and cost' });
    await waitFor(() => expect(section.textContent).toContain('Runs on'));
    const count = () => fetchMock.mock.calls.filter(([u]) => String(u).startsWith('/api/catalog/route-preview?')).length;
    const before = count();
    await user.type(screen.getByLabelText(/^Max tokens/), '2000');
    await waitFor(() => expect(section.textContent).toContain('up to 2,000 output tokens'));
    expect(count() - before).toBe(1);
  });

  it('says which key to add when no key can serve the node', async () => {
    stubApi({ catalog: catalog as never, credentials: [], routePreview: (q) => preview(q, false) });
    renderInspector({ node: { id: 'ai', type: 'ai.complete', config: { prompt: 'hi', tier: 'economy' } }, descriptor: descriptor('ai.complete'), upstream });
    const advice = await screen.findByTestId('route-advice');
    expect(advice.textContent).toContain('Add an AI key under Keys: an OpenAI key serves the reference model openai/gpt-4o-mini itself');
  });

  it('shows a pinned model and its cost, and follows edits', async () => {
    stubApi({ catalog: catalog as never, credentials: [...keys] });
    const user = userEvent.setup();
    renderInspector({ node: { id: 'ai', type: 'ai.complete', config: { prompt: 'hello', model: 'openai/gpt-big', maxTokens: 100 } }, descriptor: descriptor('ai.complete'), upstream });
    const section = await screen.findByRole('region', { name: 'Model and cost' });
    await waitFor(() => expect(section.textContent).toContain('Model: openai/gpt-big (pinned)'));
    const before = section.querySelector('[data-cost-micros]')?.getAttribute('data-cost-micros');
    await user.type(screen.getByLabelText(/^Max tokens/), '0');
    await waitFor(() => expect(section.querySelector('[data-cost-micros]')?.getAttribute('data-cost-micros')).not.toBe(before));
    expect(Number(section.querySelector('[data-cost-micros]')?.getAttribute('data-cost-micros'))).toBe(Math.ceil((10 * 5_000_000 + 1000 * 20_000_000) / 1e6));
  });
});
