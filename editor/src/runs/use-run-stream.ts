// Watches the run shown on the canvas: its stored rows first (GET /api/runs/:id), then its live
// events (SSE). The browser's EventSource resends Last-Event-ID by itself when a connection
// drops; when it gives up (an HTTP error, a server restart) this reopens with ?lastEventId= the
// highest seq seen, so nothing is missed and the reducer drops whatever is replayed. At the
// run's end the rows are read once more: they carry inputs, outputs and timings in full.
// Events are applied in batches, at most one per animation frame: a run that streams hundreds of
// steps a second redraws the canvas once a frame, not once an event.
import { useEffect } from 'react';
import { queryClient } from '../api/client.ts';
import { useEditorStore } from '../store/editor-store.ts';
import { getRun, invalidateRunListsWhenIdle, runKey } from './runs-api.ts';
import { isTerminal, type RunEventIn } from './run-state.ts';

const EVENT_TYPES = ['step.started', 'step.finished', 'step.failed', 'run.response', 'run.finished', 'run.parked'] as const;
const RETRY_MS = [1000, 2000, 5000, 10_000];
/** A hidden tab runs no animation frames: a batch is applied after this long at the latest. */
const FLUSH_FALLBACK_MS = 100;
/** While a run streams, an open step inspector's rows are read again at most this often. */
const ROWS_REFETCH_MS = 500;

export function useRunStream(runId: string | undefined): void {
  useEffect(() => {
    if (!runId) return;
    let closed = false;
    let source: EventSource | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const store = useEditorStore.getState;
    let pending: RunEventIn[] = [];
    let frame: number | undefined;
    let fallback: ReturnType<typeof setTimeout> | undefined;

    const flush = () => {
      if (frame !== undefined) cancelAnimationFrame(frame);
      if (fallback) clearTimeout(fallback);
      frame = undefined;
      fallback = undefined;
      const batch = pending;
      pending = [];
      if (closed || batch.length === 0) return;
      store().applyRunEvents(batch);
      if (batch.some((e) => e.type === 'run.finished')) {
        void refresh().then(invalidateRunListsWhenIdle);
      } else if (batch.some((e) => e.type === 'step.finished' || e.type === 'step.failed')) {
        // The step inspector reads rows; let it refetch when it is looking, at most every
        // ROWS_REFETCH_MS (each read carries every row so far: once a frame, a long run's
        // stream spent its frames parsing them).
        rowsStale = true;
        if (!rowsTimer) rowsTimer = setTimeout(refetchRows, 0);
      }
    };
    let rowsStale = false;
    let rowsTimer: ReturnType<typeof setTimeout> | undefined;
    const refetchRows = () => {
      if (closed || !rowsStale) {
        rowsTimer = undefined;
        return;
      }
      rowsStale = false;
      void queryClient.invalidateQueries({ queryKey: runKey(runId), refetchType: 'active' });
      rowsTimer = setTimeout(refetchRows, ROWS_REFETCH_MS);
    };
    const queue = (event: RunEventIn) => {
      pending.push(event);
      if (frame === undefined) frame = requestAnimationFrame(flush);
      if (!fallback) fallback = setTimeout(flush, FLUSH_FALLBACK_MS);
    };

    const refresh = async () => {
      try {
        const detail = await queryClient.fetchQuery({ queryKey: runKey(runId), queryFn: () => getRun(runId), staleTime: 0 });
        if (!closed) store().applyStoredRun(detail);
        return detail;
      } catch (error) {
        if (!closed) store().toast('error', `Could not read the run: ${(error as Error).message}`);
        return undefined;
      }
    };

    const open = () => {
      if (closed) return;
      // Events still waiting for a frame count as seen: resume after them.
      flush();
      const after = store().run?.runId === runId ? store().run!.lastSeq : 0;
      source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events${after > 0 ? `?lastEventId=${after}` : ''}`, { withCredentials: true });
      const onEvent = (msg: MessageEvent<string>) => {
        failures = 0;
        let event: RunEventIn;
        try {
          event = JSON.parse(msg.data) as RunEventIn;
        } catch {
          return;
        }
        queue(event);
        if (event.type === 'run.finished') source?.close();
      };
      for (const t of EVENT_TYPES) source.addEventListener(t, onEvent as EventListener);
      source.onerror = () => {
        if (closed || !source || source.readyState !== EventSource.CLOSED) return;
        // The browser gave up: reopen from the last seq, unless the run has ended meanwhile.
        const wait = RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)]!;
        retryTimer = setTimeout(() => {
          void refresh().then((d) => {
            if (!d || !isTerminal(d.status)) open();
          });
        }, wait);
      };
    };

    void refresh().then((d) => {
      if (d && !isTerminal(d.status)) open();
    });
    return () => {
      closed = true;
      if (frame !== undefined) cancelAnimationFrame(frame);
      if (fallback) clearTimeout(fallback);
      if (retryTimer) clearTimeout(retryTimer);
      if (rowsTimer) clearTimeout(rowsTimer);
      source?.close();
    };
  }, [runId]);
}
