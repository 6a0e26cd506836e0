// @vitest-environment jsdom
// The dynamic dropdown of an integration field (Slack's channel): loaded from the options
// endpoint with the node's credential, searched on the server, chosen into the config; and
// free text (an id, a #name) still accepted.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { descriptor } from '../test-descriptors.ts';
import { installDomShims, renderInspector } from '../test-render.tsx';

beforeAll(installDomShims);
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const SLACK = { id: '11111111-1111-4111-8111-111111111111', provider: 'slack', label: 'Team Slack', hint: 'xoxb-…abcd', status: 'valid' as const };
const channels = [
  { value: 'C0123GENERAL', label: '#general' },
  { value: 'C0456RANDOM', label: '#random' },
];

function stub() {
  const calls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const url = String(input);
      const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      if (url === '/api/credentials') return json({ items: [SLACK] });
      if (url.startsWith('/api/nodes/slack.post_message/options/channels')) {
        calls.push(url);
        const search = new URL(url, 'http://x').searchParams.get('search') ?? '';
        return json({ items: channels.filter((c) => c.label.includes(search)) });
      }
      return new Response(JSON.stringify({ error: { code: 'not_found', message: `no fake for ${url}` } }), { status: 404 });
    }),
  );
  return calls;
}

describe('dynamic option fields', () => {
  it('loads channels with the chosen credential, searches, and stores the chosen id', async () => {
    const calls = stub();
    const user = userEvent.setup();
    const r = renderInspector({ node: { id: 'n', type: 'slack.post_message', config: { credentialId: SLACK.id, text: 'hi' } }, descriptor: descriptor('slack.post_message'), upstream: [] });
    const box = await screen.findByRole('combobox', { name: /^Channel/ });
    await user.click(box);
    expect(await screen.findByRole('option', { name: /#general/ })).toBeTruthy();
    expect(calls[0]).toBe(`/api/nodes/slack.post_message/options/channels?credentialId=${SLACK.id}`);
    await user.type(box, 'ran');
    await waitFor(() => expect(screen.queryByRole('option', { name: /#general/ })).toBeNull());
    await screen.findByRole('option', { name: /#random/ });
    expect(calls.at(-1)).toContain('search=ran');
    fireEvent.mouseDown(screen.getByRole('option', { name: /#random/ }));
    expect(r.config()).toEqual({ credentialId: SLACK.id, text: 'hi', channel: 'C0456RANDOM' });
    expect(screen.queryByRole('listbox')).toBeNull();
    expect((box as HTMLInputElement).value).toBe('C0456RANDOM');
  });

  it('keeps free text typed into the field (a #name the list did not show)', async () => {
    stub();
    const user = userEvent.setup();
    const r = renderInspector({ node: { id: 'n', type: 'slack.post_message', config: { credentialId: SLACK.id, text: 'hi' } }, descriptor: descriptor('slack.post_message'), upstream: [] });
    const box = await screen.findByRole('combobox', { name: /^Channel/ });
    await user.click(box);
    await user.type(box, '#ops-alerts');
    await user.tab();
    expect(r.config()).toMatchObject({ channel: '#ops-alerts' });
  });
});
