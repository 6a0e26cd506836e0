// Rendering the Inspector in tests (jsdom): a fresh query client, the API answered by a fake
// fetch, the DOM APIs jsdom lacks that Radix and CodeMirror call, and a harness that keeps the
// config in state like the canvas store does.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render } from '@testing-library/react';
import { useState } from 'react';
import { vi } from 'vitest';
import { Inspector } from './inspector.tsx';
import type { CredentialSummary, ModelCatalog } from './inspector-queries.ts';
import type { InspectorProps } from './types.ts';

export function installDomShims(): void {
  const proto = Element.prototype as unknown as Record<string, unknown>;
  proto['hasPointerCapture'] ??= () => false;
  proto['setPointerCapture'] ??= () => {};
  proto['releasePointerCapture'] ??= () => {};
  proto['scrollIntoView'] ??= () => {};
  const rect = () => ({ x: 0, y: 0, top: 0, left: 0, bottom: 0, right: 0, width: 0, height: 0, toJSON: () => ({}) });
  const range = Range.prototype as unknown as Record<string, unknown>;
  range['getClientRects'] ??= () => ({ length: 0, item: () => null, [Symbol.iterator]: [][Symbol.iterator] });
  range['getBoundingClientRect'] ??= rect;
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
}

export interface FakeApi {
  credentials?: CredentialSummary[];
  catalog?: ModelCatalog;
  /** GET /api/catalog/route-preview: the answer for the query sent. */
  routePreview?: (query: URLSearchParams) => unknown;
}

/** Answers the Inspector's GETs; anything else is a test bug and fails loudly. */
export function stubApi(data: FakeApi): ReturnType<typeof vi.fn> {
  const fetchMock = vi.fn(async (input: RequestInfo | URL) => {
    const url = String(input);
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    if (url === '/api/credentials') return json({ items: data.credentials ?? [] });
    if (url === '/api/catalog/models' && data.catalog) return json(data.catalog);
    if (url.startsWith('/api/catalog/route-preview?') && data.routePreview) return json(data.routePreview(new URLSearchParams(url.slice(url.indexOf('?') + 1))));
    return new Response(JSON.stringify({ error: { code: 'not_found', message: `no fake for ${url}` } }), { status: 404 });
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

type HarnessProps = Omit<InspectorProps, 'onChange' | 'onRename'> & {
  onChange?: (config: Record<string, unknown>) => void;
  onRename?: (name: string) => void;
};

/** The Inspector with its config and name kept in state, as the canvas store keeps them. */
export function renderInspector(props: HarnessProps) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const changes: Record<string, unknown>[] = [];
  const renames: string[] = [];
  let current = props.node.config;
  let setFromOutside: (c: Record<string, unknown>) => void = () => {};
  function Harness() {
    const [config, setConfig] = useState(props.node.config);
    setFromOutside = (c) => {
      current = c;
      setConfig(c);
    };
    const [name, setName] = useState(props.node.name);
    return (
      <Inspector
        {...props}
        node={{ ...props.node, config, ...(name !== undefined ? { name } : {}) }}
        onChange={(c) => {
          changes.push(c);
          current = c;
          setConfig(c);
          props.onChange?.(c);
        }}
        onRename={(n) => {
          renames.push(n);
          setName(n);
          props.onRename?.(n);
        }}
      />
    );
  }
  const utils = render(
    <QueryClientProvider client={client}>
      <Harness />
    </QueryClientProvider>,
  );
  /** A config replaced by someone else (the canvas's undo): not an edit of the Inspector's. */
  const replaceConfig = (c: Record<string, unknown>) => act(() => setFromOutside(c));
  return { ...utils, changes, renames, config: () => current, replaceConfig };
}
