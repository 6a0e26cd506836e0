// Watches the run shown on the canvas: its stored rows first (GET /api/runs/:id), then its live
// events (SSE). The browser's EventSource resends Last-Event-ID by itself when a connection
// drops; when it gives up (an HTTP error, a server restart) this reopens with ?lastEventId= the
// highest seq seen, so nothing is missed and the reducer drops whatever is replayed. At the
// run's end the rows are read once more: they carry inputs, outputs and timings in full.
import { useEffect } from 'react';
import { queryClient } from '../api/client.ts';
import { useEditorStore } from '../store/editor-store.ts';
import { getRun, runKey } from './runs-api.ts';
import { isTerminal, type RunEventIn } from './run-state.ts';

const EVENT_TYPES = ['step.started', 'step.finished', 'step.failed', 'run.response', 'run.finished', 'run.parked'] as const;
const RETRY_MS = [1000, 2000, 5000, 10_000];

export function useRunStream(runId: string | undefined): void {
  useEffect(() => {
    if (!runId) return;
    let closed = false;
    let source: EventSource | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const store = useEditorStore.getState;

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
        store().applyRunEvent(event);
        if (event.type === 'run.finished') {
          source?.close();
          void refresh().then(() => void queryClient.invalidateQueries({ queryKey: ['runs'] }));
        } else if (event.type === 'step.finished' || event.type === 'step.failed') {
          // The step inspector reads rows; let it refetch when it is looking.
          void queryClient.invalidateQueries({ queryKey: runKey(runId), refetchType: 'active' });
        }
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
      if (retryTimer) clearTimeout(retryTimer);
      source?.close();
    };
  }, [runId]);
}
