// The Runs tab: run the workflow with a test payload (on the unsaved draft when the canvas has
// edits, so the run is of what is on screen, without saving it), listen for a test event on a webhook's test URL,
// and the workflow's run history with filters and pages; each run can be shown on the canvas
// (on the version it ran on), re-run, cancelled or deleted.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useEditorStore } from '../store/editor-store.ts';
import type { KfWorkflowNode } from '../store/types.ts';
import { getVersion, listWebhooks, nodeCatalogQuery, webhooksKey } from '../canvas/workflow-api.ts';
import { cancelRun, deleteRun, getRun, invalidateRunListsWhenIdle, listRuns, rerun, runsKey, startManualRun, type RunFilters, type RunSummary } from './runs-api.ts';
import { isTerminal, type RunStatus } from './run-state.ts';
import { defaultPayload, loadPayload, parsePayload, savePayload } from './test-payload.ts';
import { durationBetween, formatDuration, formatMicros, formatTime } from './format.ts';
import { JsonView } from './JsonView.tsx';
import './runs.css';

const PAGE_SIZE = 20;
const STATUSES: RunStatus[] = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'];
const TRIGGERS = ['manual', 'test', 'webhook', 'schedule', 'rerun'];

export interface RunsPanelProps {
  workflowId: string;
  currentVersion: number;
}

/** Shows a run on the canvas: on the working graph when it ran on that version, else on its own version, read-only. */
export async function openRun(workflowId: string, run: Pick<RunSummary, 'id' | 'workflowVersion'>): Promise<void> {
  const s = useEditorStore.getState();
  if (run.workflowVersion !== s.baseVersion || s.dirty) {
    try {
      const v = await getVersion(workflowId, run.workflowVersion);
      s.setView({ label: run.workflowVersion < 0 ? 'Run of an unsaved draft' : `Run of version ${run.workflowVersion}`, graph: v.graph });
    } catch (error) {
      s.toast('error', `Could not open version ${run.workflowVersion}: ${(error as Error).message}`);
      return;
    }
  } else if (s.view) {
    s.setView(undefined);
  }
  useEditorStore.getState().showRun(run.id);
}

/** The type of the graph's trigger node, when the catalog (loaded or not) can tell; webhook and manual by name. */
function triggerNode(nodes: readonly { type?: string; data?: unknown }[], triggers: ReadonlySet<string>): string | undefined {
  for (const n of nodes) {
    const t = n.type === 'workflow' ? (n as KfWorkflowNode).data.type : undefined;
    if (t !== undefined && (t === 'core.webhook' || t === 'core.manual' || triggers.has(t))) return t;
  }
  return undefined;
}

const NO_TRIGGERS: ReadonlySet<string> = new Set();

function TestRun(props: RunsPanelProps) {
  // Undefined until the person types or a payload was remembered: the trigger's sample event shows meanwhile.
  const [typed, setText] = useState(() => loadPayload(props.workflowId));
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const catalog = useQuery(nodeCatalogQuery);
  const triggers = useMemo(() => (catalog.data ? new Set(catalog.data.items.filter((d) => d.kind === 'trigger').map((d) => d.type)) : NO_TRIGGERS), [catalog.data]);
  const trigger = useEditorStore((s) => triggerNode(s.nodes, triggers));
  const sample = catalog.data?.items.find((d) => d.type === trigger)?.sampleEvent;
  const text = typed ?? defaultPayload(sample);

  async function run() {
    const parsed = parsePayload(text);
    if (!parsed.ok) {
      setProblem(parsed.message);
      return;
    }
    setProblem(undefined);
    savePayload(props.workflowId, text);
    setBusy(true);
    try {
      // A webhook trigger receives a request: the payload is its JSON body, as the test URL would give it.
      const payload = trigger === 'core.webhook' ? { method: 'POST', headers: { 'content-type': 'application/json' }, query: {}, body: parsed.value } : parsed.value;
      // Unsaved edits run as a draft: the server checks the graph as a save would, and saves nothing.
      const editor = useEditorStore.getState();
      const { runId } = await startManualRun(props.workflowId, payload, editor.dirty ? editor.graph() : undefined);
      const s = useEditorStore.getState();
      if (s.view) s.setView(undefined);
      useEditorStore.getState().showRun(runId);
      invalidateRunListsWhenIdle();
    } catch (error) {
      useEditorStore.getState().toast('error', `Could not start the run: ${(error as Error).message}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-label="Test run">
      <h2>Test run</h2>
      <label htmlFor="kf-test-payload">{trigger === 'core.webhook' ? 'Test payload (the request body)' : 'Test payload'}</label>
      <textarea
        id="kf-test-payload"
        aria-label="Test payload"
        spellCheck={false}
        value={text}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? 'kf-test-payload-error' : undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => typed !== undefined && savePayload(props.workflowId, typed)}
      />
      {problem && (
        <p id="kf-test-payload-error" role="alert" className="kf-status--failed">
          {problem}
        </p>
      )}
      <div className="kf-row">
        <button type="button" className="kf-button kf-button--primary" onClick={() => void run()} disabled={busy}>
          {busy ? 'Starting…' : 'Run test'}
        </button>
        {sample !== undefined && (
          <button type="button" className="kf-button" onClick={() => setText(defaultPayload(sample))} disabled={text === defaultPayload(sample)}>
            Use the sample event
          </button>
        )}
        <span className="kf-muted">Runs what is on the canvas, unsaved edits included (nothing is saved); pinned nodes use their pinned output.</span>
      </div>
      {sample !== undefined && <p className="kf-muted">The payload starts as a sample of what this trigger receives; edit it to test other cases.</p>}
      {trigger === 'core.webhook' && <ListenForTestEvent workflowId={props.workflowId} />}
    </section>
  );
}

/** Waits for a request on a webhook's test URL: polls the workflow's newest runs for one started by it. */
function ListenForTestEvent({ workflowId }: { workflowId: string }) {
  const [since, setSince] = useState<string>();
  const [arrived, setArrived] = useState<{ runId: string; payload: unknown }>();
  const hooks = useQuery({ queryKey: webhooksKey(workflowId), queryFn: () => listWebhooks(workflowId) });
  const poll = useQuery({
    queryKey: ['runs', 'listen', workflowId, since],
    queryFn: () => listRuns({ workflowId, from: since!, limit: 5 }),
    enabled: since !== undefined,
    refetchInterval: 1000,
  });
  const found = poll.data?.items.find((r) => r.trigger === 'test');
  useEffect(() => {
    if (!found || !since) return;
    setSince(undefined);
    void getRun(found.id).then(
      (d) => setArrived({ runId: d.id, payload: d.triggerPayload }),
      () => setArrived({ runId: found.id, payload: undefined }),
    );
    void openRun(workflowId, found);
  }, [found, since, workflowId]);
  const testUrl = hooks.data?.[0]?.testUrl;
  return (
    <div className="kf-listen">
      {since ? (
        <div className="kf-row" role="status">
          Listening for a request on the test URL…
          <button type="button" className="kf-button kf-button--small" onClick={() => setSince(undefined)}>
            Stop listening
          </button>
        </div>
      ) : (
        <button
          type="button"
          className="kf-button"
          disabled={!testUrl}
          onClick={() => {
            setArrived(undefined);
            setSince(new Date().toISOString());
          }}
        >
          Listen for a test event
        </button>
      )}
      {testUrl ? <p className="kf-muted">Send a request to {testUrl}</p> : <p className="kf-muted">Save the workflow to get its test URL.</p>}
      {arrived && (
        <div>
          <h3>The request that arrived</h3>
          <JsonView value={arrived.payload} label="Arrived request" />
        </div>
      )}
    </div>
  );
}

function RunRow({ run, current, onOpen }: { run: RunSummary; current: boolean; onOpen(run: Pick<RunSummary, 'id' | 'workflowId' | 'workflowVersion'>): void }) {
  const qc = useQueryClient();
  const toast = useEditorStore((s) => s.toast);
  const act = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
      void qc.invalidateQueries({ queryKey: ['runs'] });
    } catch (error) {
      toast('error', `Could not ${what}: ${(error as Error).message}`);
    }
  };
  const duration = durationBetween(run.startedAt, run.finishedAt);
  return (
    <tr data-run-id={run.id} className={current ? 'is-current' : ''}>
      <td>
        <span className={`kf-status kf-status--${run.status}`}>{run.status}</span>
        <div className="kf-muted">{run.trigger}</div>
      </td>
      <td>
        {formatTime(run.createdAt)}
        <div className="kf-muted">
          {run.workflowVersion < 0 ? 'unsaved draft' : `v${run.workflowVersion}`}
          {duration !== undefined ? ` · ${formatDuration(duration)}` : ''}
        </div>
      </td>
      <td>{formatMicros(run.costMicros)}</td>
      <td>
        <div className="kf-row">
          <button type="button" className="kf-button kf-button--small" aria-label={`Open run ${run.id}`} onClick={() => onOpen(run)}>
            Open
          </button>
          {isTerminal(run.status) ? (
            <button type="button" className="kf-button kf-button--small" aria-label={`Re-run ${run.id}`} onClick={() => void act('re-run', async () => onOpen({ id: (await rerun(run.id)).runId, workflowId: run.workflowId, workflowVersion: run.workflowVersion }))}>
              Re-run
            </button>
          ) : (
            <button type="button" className="kf-button kf-button--small" aria-label={`Cancel run ${run.id}`} onClick={() => void act('cancel', () => cancelRun(run.id))}>
              Cancel
            </button>
          )}
          <button
            type="button"
            className="kf-button kf-button--small"
            aria-label={`Delete run ${run.id}`}
            onClick={() =>
              void act('delete', async () => {
                await deleteRun(run.id);
                if (useEditorStore.getState().run?.runId === run.id) useEditorStore.getState().showRun(undefined);
              })
            }
          >
            Delete
          </button>
        </div>
      </td>
    </tr>
  );
}

/**
 * Run history with filters and keyset pages; without workflowId it lists every workflow's runs.
 * `onOpen` shows a run: on this canvas in the editor, or by going to its workflow elsewhere.
 */
export function RunHistory({ workflowId, onOpen }: { workflowId?: string; onOpen(run: Pick<RunSummary, 'id' | 'workflowId' | 'workflowVersion'>): void }) {
  const [status, setStatus] = useState<RunStatus | ''>('');
  const [trigger, setTrigger] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  // Each page starts after the previous one's last run: the cursor the API answered with.
  const [pages, setPages] = useState<string[]>([]);
  const cursor = pages[pages.length - 1];
  const current = useEditorStore((s) => s.run?.runId);
  const iso = (local: string) => (local ? new Date(local).toISOString() : undefined);
  const filters: RunFilters = {
    ...(workflowId ? { workflowId } : {}),
    ...(status ? { status } : {}),
    ...(trigger ? { trigger } : {}),
    ...(iso(from) ? { from: iso(from)! } : {}),
    ...(iso(to) ? { to: iso(to)! } : {}),
    ...(cursor ? { cursor } : {}),
    limit: PAGE_SIZE,
  };
  const runs = useQuery({ queryKey: runsKey(filters), queryFn: () => listRuns(filters), refetchInterval: 5000 });
  const items = runs.data?.items ?? [];
  const reset = () => setPages([]);
  return (
    <section aria-label="Run history">
      <h2>Runs</h2>
      <div className="kf-row">
        <label>
          Status{' '}
          <select className="kf-input" value={status} onChange={(e) => (setStatus(e.target.value as RunStatus | ''), reset())}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Trigger{' '}
          <select className="kf-input" value={trigger} onChange={(e) => (setTrigger(e.target.value), reset())}>
            <option value="">any</option>
            {TRIGGERS.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          From <input className="kf-input" type="datetime-local" value={from} onChange={(e) => (setFrom(e.target.value), reset())} />
        </label>
        <label>
          To <input className="kf-input" type="datetime-local" value={to} onChange={(e) => (setTo(e.target.value), reset())} />
        </label>
      </div>
      {runs.isError && <p className="kf-alert">Could not list the runs: {runs.error.message}</p>}
      {runs.isPending ? (
        <p className="kf-muted">Loading runs…</p>
      ) : items.length === 0 ? (
        <p className="kf-muted">No runs{status || trigger || from || to ? ' match these filters' : ' yet'}.</p>
      ) : (
        <table aria-label="Runs">
          <thead>
            <tr>
              <th>Status</th>
              <th>Started</th>
              <th>Cost</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <RunRow key={r.id} run={r} current={r.id === current} onOpen={onOpen} />
            ))}
          </tbody>
        </table>
      )}
      <div className="kf-row">
        <button type="button" className="kf-button kf-button--small" disabled={pages.length === 0} onClick={() => setPages(pages.slice(0, -1))}>
          Newer
        </button>
        <button
          type="button"
          className="kf-button kf-button--small"
          disabled={!runs.data?.nextCursor}
          onClick={() => setPages([...pages, runs.data!.nextCursor!])}
        >
          Older
        </button>
      </div>
    </section>
  );
}

function ShownRun() {
  const { run, showRun } = useEditorStore(useShallow((s) => ({ run: s.run, showRun: s.showRun })));
  const stop = () => showRun(undefined);
  if (!run) return null;
  return (
    <section aria-label="Run on the canvas" className="kf-row">
      <span>
        Showing run <code>{run.runId.slice(0, 8)}</code>: <span className={`kf-status kf-status--${run.status}`} data-run-status={run.status} data-run-id={run.runId}>{run.status}</span>
        {run.costMicros > 0 ? ` · ${formatMicros(run.costMicros)}` : ''}
      </span>
      {!isTerminal(run.status) && (
        <button type="button" className="kf-button kf-button--small" onClick={() => void cancelRun(run.runId).catch((e: Error) => useEditorStore.getState().toast('error', `Could not cancel: ${e.message}`))}>
          Cancel run
        </button>
      )}
      <button
        type="button"
        className="kf-button kf-button--small"
        onClick={() => {
          stop();
          if (useEditorStore.getState().view?.label.startsWith('Run of')) useEditorStore.getState().setView(undefined);
        }}
      >
        Hide run
      </button>
    </section>
  );
}

export function RunsPanel(props: RunsPanelProps) {
  return (
    <div className="kf-runs">
      <ShownRun />
      <TestRun {...props} />
      <RunHistory workflowId={props.workflowId} onOpen={(r) => void openRun(props.workflowId, r)} />
    </div>
  );
}
