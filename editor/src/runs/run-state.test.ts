import { describe, expect, it } from 'vitest';
import { applyRunEvent, applyRunEvents, applyStoredRun, carriedEdges, emptyRun, nodeViews, type RunEventIn, type RunState } from './run-state.ts';

const R = 'run-1';
const started = (seq: number, nodeId: string, at: string, scope = '', attempt = 1): RunEventIn => ({ type: 'step.started', runId: R, seq, nodeId, scope, attempt, at });
const finished = (seq: number, nodeId: string, at: string, output: unknown = {}, scope = '', costMicros = 0, attempt = 1): RunEventIn => ({ type: 'step.finished', runId: R, seq, nodeId, scope, attempt, at, status: 'succeeded', output, costMicros });
const failed = (seq: number, nodeId: string, at: string, willRetry: boolean, attempt = 1): RunEventIn => ({ type: 'step.failed', runId: R, seq, nodeId, scope: '', attempt, at, error: { kind: 'rate_limited', message: '429' }, willRetry });
const end = (seq: number, status: string, costMicros = 0): RunEventIn => ({ type: 'run.finished', runId: R, seq, status, costMicros });

const fold = (events: RunEventIn[], from: RunState = emptyRun(R)) => events.reduce(applyRunEvent, from);
const T = (s: number) => `2026-12-02T10:00:${String(s).padStart(2, '0')}.000Z`;

describe('run-state reducer', () => {
  const inOrder = [started(1, 'hook', T(0)), finished(2, 'hook', T(1)), started(3, 'ai', T(1)), finished(4, 'ai', T(4), { text: 'hi' }, '', 1234), started(5, 'respond', T(4)), finished(6, 'respond', T(5)), end(7, 'succeeded', 1234)];

  it('folds a run in order into each node’s status, duration, attempts and cost', () => {
    const s = fold(inOrder);
    const v = nodeViews(s, ['hook', 'ai', 'respond', 'never']);
    expect(s.status).toBe('succeeded');
    expect(v['ai']).toEqual({ status: 'succeeded', attempts: 1, costMicros: 1234, durationMs: 3000 });
    expect(v['hook']!.status).toBe('succeeded');
    expect(v['never']!.status).toBe('skipped');
    expect(s.costMicros).toBe(1234);
    expect(s.lastSeq).toBe(7);
  });

  it('gives the same state whatever order the events arrive in', () => {
    const expected = nodeViews(fold(inOrder), ['hook', 'ai', 'respond']);
    const shuffled = [inOrder[3]!, inOrder[6]!, inOrder[0]!, inOrder[5]!, inOrder[2]!, inOrder[1]!, inOrder[4]!];
    const s = fold(shuffled);
    expect(nodeViews(s, ['hook', 'ai', 'respond'])).toEqual(expected);
    expect(s.status).toBe('succeeded');
  });

  it('ignores a replay after a reconnect (the same seqs again, a stored row for a live event)', () => {
    const first = fold(inOrder.slice(0, 4));
    const replayed = fold([...inOrder.slice(0, 4), ...inOrder], first);
    expect(replayed).toEqual(fold(inOrder));
    // A late step.started of an already finished step does not turn it back to running.
    const late = applyRunEvent(fold([finished(4, 'ai', T(4))]), started(3, 'ai', T(1)));
    expect(nodeViews(late, ['ai'])['ai']).toMatchObject({ status: 'succeeded', durationMs: 3000 });
  });

  it('keeps queued for unreached nodes while running, and shows a retry as running with its attempts', () => {
    const s = fold([started(1, 'ai', T(0)), failed(2, 'ai', T(1), true), started(3, 'ai', T(2), '', 2)]);
    const v = nodeViews(s, ['ai', 'respond']);
    expect(v['ai']).toMatchObject({ status: 'running', attempts: 2 });
    expect(v['respond']!.status).toBe('queued');
    const f = fold([failed(4, 'ai', T(3), false, 2), end(5, 'failed')], s);
    expect(nodeViews(f, ['ai'])['ai']).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('shows waiting with the wake-up time of a parked run', () => {
    const s = fold([started(1, 'wait', T(0)), { type: 'step.finished', runId: R, seq: 2, nodeId: 'wait', scope: '', attempt: 1, at: T(0), status: 'waiting', output: null, costMicros: 0 }, { type: 'run.parked', runId: R, seq: 3, resumeAt: '2026-12-02T11:00:00.000Z' }]);
    expect(s.status).toBe('waiting');
    expect(nodeViews(s, ['wait'])['wait']).toMatchObject({ status: 'waiting', resumeAt: '2026-12-02T11:00:00.000Z' });
  });

  it('counts a loop’s items done out of its total and summarises the body node', () => {
    const expansion = { items: [1, 2, 3], concurrency: 2 };
    let s = fold([started(1, 'loop', T(0)), finished(2, 'loop', T(0), expansion), started(3, 'body', T(1), 'loop:0'), started(4, 'body', T(1), 'loop:1'), finished(5, 'body', T(2), 'a', 'loop:0')]);
    let v = nodeViews(s, ['loop', 'body']);
    expect(v['loop']).toMatchObject({ status: 'running', loop: { done: 1, total: 3 } });
    expect(v['body']!.status).toBe('running');
    s = fold([finished(6, 'body', T(3), 'b', 'loop:1'), started(7, 'body', T(3), 'loop:2'), finished(8, 'body', T(4), 'c', 'loop:2'), finished(9, 'loop', T(4), ['a', 'b', 'c'])], s);
    v = nodeViews(s, ['loop', 'body']);
    expect(v['loop']).toMatchObject({ status: 'succeeded', loop: { done: 3, total: 3 } });
    expect(v['body']).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('applies a batch as the same events one by one, and a batch of replays changes nothing', () => {
    const shuffled = [inOrder[3]!, inOrder[6]!, inOrder[0]!, inOrder[3]!, inOrder[5]!, inOrder[2]!, inOrder[1]!, inOrder[4]!];
    const batched = applyRunEvents(emptyRun(R), shuffled);
    expect(batched).toEqual(fold(shuffled));
    // Two batches, the second overlapping the first: the result of the whole stream.
    const split = applyRunEvents(applyRunEvents(emptyRun(R), inOrder.slice(0, 4)), inOrder.slice(2));
    expect(split).toEqual(fold(inOrder));
    // The batch's copy is its own: the state it started from is untouched.
    const start = fold(inOrder.slice(0, 2));
    const before = structuredClone(start);
    applyRunEvents(start, inOrder.slice(2));
    expect(start).toEqual(before);
    expect(applyRunEvents(batched, [...inOrder, { ...started(99, 'x', T(9)), runId: 'run-2' }])).toBe(batched);
  });

  it('drops events of another run', () => {
    const other = { ...started(1, 'x', T(0)), runId: 'run-2' };
    expect(applyRunEvent(emptyRun(R), other)).toEqual(emptyRun(R));
  });

  it('seeds from stored rows and then ignores their live replays', () => {
    const rows = [
      { id: 'a', nodeId: 'hook', scope: '', attempt: 1, status: 'succeeded', input: {}, output: { body: 1 }, error: null, costMicros: 0, seq: 2, startedAt: T(0), finishedAt: T(1), resumeAt: null },
    ];
    const s = applyStoredRun(emptyRun(R), { id: R, status: 'running', costMicros: 0, resumeAt: null, steps: rows });
    expect(s.lastSeq).toBe(2);
    const after = fold([finished(2, 'hook', T(1), { body: 1 })], s);
    expect(after).toBe(s);
    expect(nodeViews(after, ['hook'])['hook']).toMatchObject({ status: 'succeeded', durationMs: 1000 });
  });

  it('marks the edges that carried data', () => {
    const v = nodeViews(fold(inOrder.slice(0, 4)), ['hook', 'ai', 'respond']);
    const edges = [{ id: 'e1', source: 'hook', target: 'ai' }, { id: 'e2', source: 'ai', target: 'respond' }];
    expect([...carriedEdges(v, edges)]).toEqual(['e1']);
  });
});
