// The step inspector: what one node did in the run shown. Every attempt (the engine stores a
// row per attempt, and a row per loop item), each with its resolved input (config after
// expressions), output, error with its kind and what to do, timings and cost; for AI nodes the
// router's explanation, the provider and model that answered, tokens by kind, and every
// provider call including the failed ones it failed over from.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useEditorStore } from '../store/editor-store.ts';
import { getRun, runKey, runStaleTime, type RunDetail } from './runs-api.ts';
import { asStepError, errorAdvice, errorKind } from './step-advice.ts';
import { durationBetween, formatDuration, formatMicros, formatTime } from './format.ts';
import { JsonView } from './JsonView.tsx';
import type { StepRow } from './run-state.ts';

export interface UsageCall {
  provider: string;
  model: string;
  outcome: string;
  latencyMs: number;
  costMicros: number;
  tokens: { input: number; output: number; cacheRead: number; cacheWrite: number; reasoning: number };
  at: string;
}

type StepWithUsage = StepRow & { usage?: UsageCall[] };

interface AiOutput {
  provider: string;
  model: string;
  usage?: { inputTokens?: number; outputTokens?: number; cachedTokens?: number };
  costMicros?: number;
  decision?: { candidates: { provider: string; model: string; expectedCostMicros: number; skipped?: string }[]; candidateCount: number; chosen: { provider: string; model: string }; why: string };
}

function aiOutput(v: unknown): AiOutput | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Partial<AiOutput>;
  return typeof o.provider === 'string' && typeof o.model === 'string' ? (o as AiOutput) : undefined;
}

function Calls({ calls }: { calls: UsageCall[] }) {
  return (
    <table aria-label="Provider calls">
      <thead>
        <tr>
          <th>Provider</th>
          <th>Model</th>
          <th>Outcome</th>
          <th>Latency</th>
          <th>Tokens in/out</th>
          <th>Cost</th>
        </tr>
      </thead>
      <tbody>
        {calls.map((u, i) => (
          <tr key={i} data-outcome={u.outcome} className={u.outcome === 'ok' ? '' : 'kf-status--failed'}>
            <td>{u.provider}</td>
            <td>{u.model}</td>
            <td>{u.outcome === 'ok' ? 'answered' : `failed: ${u.outcome}`}</td>
            <td>{formatDuration(u.latencyMs)}</td>
            <td title={`uncached input ${u.tokens.input}, cache read ${u.tokens.cacheRead}, cache write ${u.tokens.cacheWrite}, output ${u.tokens.output}, reasoning ${u.tokens.reasoning}`}>
              {u.tokens.input}/{u.tokens.output}
            </td>
            <td>{formatMicros(u.costMicros)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AiDetails({ out, calls }: { out: AiOutput; calls: UsageCall[] }) {
  const answered = calls.find((c) => c.outcome === 'ok');
  const failed = calls.filter((c) => c.outcome !== 'ok');
  const t = answered?.tokens;
  return (
    <section aria-label="AI call">
      <h3>AI call</h3>
      <dl>
        <dt>Provider</dt>
        <dd data-testid="ai-provider">{out.provider}</dd>
        <dt>Model</dt>
        <dd data-testid="ai-model">{out.model}</dd>
        <dt>Cost</dt>
        <dd data-testid="ai-cost">{formatMicros(out.costMicros ?? 0)}</dd>
        <dt>Tokens</dt>
        <dd>
          {t
            ? `uncached input ${t.input}, cache read ${t.cacheRead}, cache write ${t.cacheWrite}, output ${t.output}, reasoning ${t.reasoning}`
            : `input ${out.usage?.inputTokens ?? 0}, cached ${out.usage?.cachedTokens ?? 0}, output ${out.usage?.outputTokens ?? 0}`}
        </dd>
        {out.decision && (
          <>
            <dt>Why this one</dt>
            <dd>{out.decision.why}</dd>
          </>
        )}
      </dl>
      {failed.length > 0 && (
        <p role="status" className="kf-status--failed">
          Failed over {failed.length} time{failed.length === 1 ? '' : 's'}: {failed.map((f) => `${f.provider}/${f.model} (${f.outcome})`).join(', ')}
        </p>
      )}
      {calls.length > 0 && <Calls calls={calls} />}
      {out.decision && (
        <details>
          <summary>
            Candidates ({out.decision.candidates.length} of {out.decision.candidateCount}, cheapest first)
          </summary>
          <table aria-label="Router candidates">
            <tbody>
              {out.decision.candidates.map((c) => (
                <tr key={`${c.provider}/${c.model}`}>
                  <td>{c.provider}</td>
                  <td>{c.model}</td>
                  <td>{formatMicros(c.expectedCostMicros)} expected</td>
                  <td>{c.skipped ?? (c.provider === out.decision!.chosen.provider && c.model === out.decision!.chosen.model ? 'chosen' : '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}

function Attempt({ step, last }: { step: StepWithUsage; last: boolean }) {
  const [open, setOpen] = useState(last);
  const err = step.error != null ? asStepError(step.error) : undefined;
  const ai = aiOutput(step.output);
  const calls = step.usage ?? [];
  const label = `${step.scope ? `item ${step.scope} · ` : ''}attempt ${step.attempt}: ${step.status}`;
  return (
    <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)} className="kf-step" data-step-status={step.status}>
      <summary>
        <span className={`kf-status kf-status--${step.status}`}>{label}</span>
        {step.finishedAt && ` · ${formatDuration(durationBetween(step.startedAt, step.finishedAt))}`}
        {step.costMicros > 0 && ` · ${formatMicros(step.costMicros)}`}
      </summary>
      {open && (
        <>
          <dl>
            <dt>Started</dt>
            <dd>{formatTime(step.startedAt)}</dd>
            <dt>Finished</dt>
            <dd>{step.finishedAt ? formatTime(step.finishedAt) : 'not yet'}</dd>
            {step.resumeAt && (
              <>
                <dt>Wakes up</dt>
                <dd>{formatTime(step.resumeAt)}</dd>
              </>
            )}
          </dl>
          {err && (
            <div className="kf-alert" role="alert">
              <strong>
                {errorKind(err)}: {err.message}
              </strong>
              <p>{errorAdvice(err)}</p>
            </div>
          )}
          {ai ? <AiDetails out={ai} calls={calls} /> : calls.length > 0 && <Calls calls={calls} />}
          {!ai && calls.length > 0 && err && <p className="kf-muted">Every provider call failed; see the outcomes above.</p>}
          <h3>Input</h3>
          {step.input === undefined || step.input === null ? <p className="kf-muted">No input stored.</p> : <JsonView value={step.input} label="Input" />}
          <h3>Output</h3>
          {step.output === undefined || step.output === null ? <p className="kf-muted">No output.</p> : <JsonView value={step.output} label="Output" />}
        </>
      )}
    </details>
  );
}

export function StepInspector(props: { runId: string; nodeId: string; onRerunFrom?: (nodeId: string) => void; onPin?: (nodeId: string, output: unknown) => void }) {
  const runStatus = useEditorStore((s) => s.run?.status);
  const detail = useQuery({ queryKey: runKey(props.runId), queryFn: () => getRun(props.runId), staleTime: runStaleTime });
  if (detail.isPending) return <p className="kf-muted">Loading the step…</p>;
  if (detail.isError) return <p className="kf-alert">Could not load the run: {detail.error.message}</p>;
  const steps = (detail.data as RunDetail & { steps: StepWithUsage[] }).steps.filter((s) => s.nodeId === props.nodeId).sort((a, b) => a.seq - b.seq);
  const lastOk = [...steps].reverse().find((s) => s.status === 'succeeded' && s.scope === '');
  return (
    <section className="kf-runs" aria-label="Step">
      <h2>In this run</h2>
      {steps.length === 0 ? (
        <p className="kf-muted">{runStatus && ['succeeded', 'failed', 'cancelled'].includes(runStatus) ? 'This node did not run (skipped).' : 'This node has not run yet.'}</p>
      ) : (
        steps.map((s, i) => <Attempt key={s.id} step={s} last={i === steps.length - 1} />)
      )}
      <div className="kf-row">
        {props.onRerunFrom && (
          <button type="button" className="kf-button kf-button--small" onClick={() => props.onRerunFrom!(props.nodeId)}>
            Re-run from this node
          </button>
        )}
        {props.onPin && lastOk && (
          <button type="button" className="kf-button kf-button--small" onClick={() => props.onPin!(props.nodeId, lastOk.output)}>
            Pin this output
          </button>
        )}
      </div>
    </section>
  );
}
