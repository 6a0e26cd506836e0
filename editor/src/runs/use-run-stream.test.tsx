// @vitest-environment jsdom
// The live stream of the run shown: stored rows first, then events; when the browser gives up
// on a dropped connection it reopens from the last seq seen (?lastEventId=), replays are
// dropped, and the run's end closes the stream and reads the rows again.
import { act, cleanup, render } from '@testing-library/react';
import { QueryObserver } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { queryClient } from '../api/client.ts';
import { useEditorStore } from '../store/editor-store.ts';
import { getRun, runKey } from './runs-api.ts';
import { useRunStream } from './use-run-stream.ts';

const RUN = '00000000-0000-4000-8000-000000000001';

class FakeEventSource {
  static CLOSED = 2;
  static all: FakeEventSource[] = [];
  readyState = 1;
  onerror: (() => void) | null = null;
  listeners = new Map<string, ((e: MessageEvent<string>) => void)[]>();
  url: string;
  constructor(url: string) {
    this.url = url;
    FakeEventSource.all.push(this);
  }
  addEventListener(type: string, fn: (e: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
  emit(event: Record<string, unknown> & { type: string }) {
    for (const fn of this.listeners.get(event.type) ?? []) fn(new MessageEvent(event.type, { data: JSON.stringify({ runId: RUN, ...event }) }));
  }
  drop() {
    this.readyState = FakeEventSource.CLOSED;
    this.onerror?.();
  }
}

let detail: { status: string; steps: unknown[] };
function Watch() {
  useRunStream(useEditorStore((s) => s.run?.runId));
  return null;
}

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  FakeEventSource.all = [];
  vi.stubGlobal('EventSource', FakeEventSource);
  detail = { status: 'running', steps: [{ id: 's1', nodeId: 'hook', scope: '', attempt: 1, status: 'succeeded', input: {}, output: {}, error: null, costMicros: 0, seq: 2, startedAt: '2026-12-02T10:00:00.000Z', finishedAt: '2026-12-02T10:00:01.000Z', resumeAt: null }] };
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ id: RUN, workflowId: RUN, workflowVersion: 1, trigger: 'manual', costMicros: 0, resumeAt: null, error: null, ...detail }), { status: 200, headers: { 'content-type': 'application/json' } })));
  queryClient.clear();
  const s = useEditorStore.getState();
  s.load({ workflowId: RUN, graph: { nodes: [{ id: 'hook', type: 'core.manual', version: 1, config: {}, position: { x: 0, y: 0 } }, { id: 'ask', type: 'ai.complete', version: 1, config: {}, position: { x: 1, y: 0 } }], edges: [] }, version: 1 });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const flush = () => act(async () => void (await vi.advanceTimersByTimeAsync(0)));
/** Events are applied once per animation frame (at the latest after 100 ms, the fallback). */
const nextFrame = () => act(async () => void (await vi.advanceTimersByTimeAsync(120)));

describe('useRunStream', () => {
  it('seeds from the rows, resumes after a drop from the last seq, drops replays, and closes at the end', async () => {
    act(() => useEditorStore.getState().showRun(RUN));
    render(<Watch />);
    await flush();
    await vi.waitFor(() => expect(FakeEventSource.all).toHaveLength(1));
    // The rows held seq 2: the stream starts after it.
    expect(FakeEventSource.all[0]!.url).toBe(`/api/runs/${RUN}/events?lastEventId=2`);
    act(() => FakeEventSource.all[0]!.emit({ type: 'step.started', seq: 3, nodeId: 'ask', scope: '', attempt: 1, at: '2026-12-02T10:00:01.000Z' }));
    await nextFrame();
    expect(useEditorStore.getState().runViews['ask']!.status).toBe('running');

    act(() => FakeEventSource.all[0]!.drop());
    await act(async () => void (await vi.advanceTimersByTimeAsync(1100)));
    await vi.waitFor(() => expect(FakeEventSource.all).toHaveLength(2));
    expect(FakeEventSource.all[1]!.url).toBe(`/api/runs/${RUN}/events?lastEventId=3`);
    // The server replays seq 3, then goes on.
    act(() => FakeEventSource.all[1]!.emit({ type: 'step.started', seq: 3, nodeId: 'ask', scope: '', attempt: 1, at: '2026-12-02T10:00:01.000Z' }));
    act(() => FakeEventSource.all[1]!.emit({ type: 'step.finished', seq: 4, nodeId: 'ask', scope: '', attempt: 1, at: '2026-12-02T10:00:03.000Z', status: 'succeeded', output: { text: 'hi' }, costMicros: 42 }));
    await nextFrame();
    expect(useEditorStore.getState().runViews['ask']).toMatchObject({ status: 'succeeded', costMicros: 42, durationMs: 2000 });
    detail = { status: 'succeeded', steps: detail.steps };
    act(() => FakeEventSource.all[1]!.emit({ type: 'run.finished', seq: 5, status: 'succeeded', costMicros: 42 }));
    expect(FakeEventSource.all[1]!.readyState).toBe(FakeEventSource.CLOSED);
    await nextFrame();
    expect(useEditorStore.getState().run!.status).toBe('succeeded');
    await flush();
    expect(FakeEventSource.all).toHaveLength(2);
  });

  it('applies a burst of events as one store update, and redraws only the nodes they changed', async () => {
    act(() => useEditorStore.getState().showRun(RUN));
    render(<Watch />);
    await flush();
    await vi.waitFor(() => expect(FakeEventSource.all).toHaveLength(1));
    const hookView = useEditorStore.getState().runViews['hook'];
    expect(hookView?.status).toBe('succeeded');
    let updates = 0;
    const stop = useEditorStore.subscribe((s, prev) => void (s.run !== prev.run && updates++));
    act(() => {
      for (let attempt = 1; attempt <= 40; attempt++) {
        FakeEventSource.all[0]!.emit({ type: 'step.started', seq: 2 * attempt + 1, nodeId: 'ask', scope: '', attempt, at: '2026-12-02T10:00:01.000Z' });
        FakeEventSource.all[0]!.emit({ type: 'step.failed', seq: 2 * attempt + 2, nodeId: 'ask', scope: '', attempt, at: '2026-12-02T10:00:02.000Z', error: { message: 'busy' }, willRetry: true });
      }
    });
    // Nothing drawn before the frame, then all 80 events at once.
    expect(updates).toBe(0);
    await nextFrame();
    stop();
    expect(updates).toBe(1);
    expect(useEditorStore.getState().runViews['ask']).toMatchObject({ status: 'running', attempts: 40 });
    // The node the burst did not touch keeps its view object: its component does not re-render.
    expect(useEditorStore.getState().runViews['hook']).toBe(hookView);
  });

  it('reads an open inspector\'s rows again at most every 500 ms while steps stream in, not once a frame', async () => {
    act(() => useEditorStore.getState().showRun(RUN));
    render(<Watch />);
    await flush();
    await vi.waitFor(() => expect(FakeEventSource.all).toHaveLength(1));
    // An inspector looking at the run: an active observer of its rows.
    const observer = new QueryObserver(queryClient, { queryKey: runKey(RUN), queryFn: () => getRun(RUN), staleTime: 0 });
    const unsubscribe = observer.subscribe(() => undefined);
    await flush();
    const fetches = vi.mocked(fetch);
    fetches.mockClear();
    // 2 s of a long run: a step finishing every frame (120 frames).
    for (let i = 0; i < 120; i++) {
      act(() => FakeEventSource.all[0]!.emit({ type: 'step.finished', seq: 10 + i, nodeId: 'ask', scope: '', attempt: 1, at: '2026-12-02T10:00:03.000Z', status: 'succeeded', output: { i }, costMicros: 0 }));
      await act(async () => void (await vi.advanceTimersByTimeAsync(17)));
    }
    unsubscribe();
    const reads = fetches.mock.calls.filter(([url]) => String(url).includes(`/api/runs/${RUN}`)).length;
    expect(reads).toBeGreaterThanOrEqual(2);
    expect(reads).toBeLessThanOrEqual(6);
  });
});
