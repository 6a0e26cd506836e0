// The SSE stream of a run against hostile resume points: Last-Event-ID is parsed strictly, and
// a finished run's stream ends right after its replay whatever the client claims to have seen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sampleGraph, type TestApp } from './support.ts';

let t: TestApp;
let token: string;
let runId: string;
beforeAll(async () => {
  t = await createTestApp('postgres');
  token = (await t.signup()).token;
  const wf = ((await (await t.request('POST', '/api/workflows', { token, body: { name: 'sse', graph: sampleGraph() } })).json()) as { id: string }).id;
  runId = ((await (await t.request('POST', `/api/workflows/${wf}/run`, { token, body: { payload: { name: 'Ada' } } })).json()) as { runId: string }).runId;
  for (let i = 0; i < 300; i++) {
    const run = (await (await t.request('GET', `/api/runs/${runId}`, { token })).json()) as { status: string };
    if (['succeeded', 'failed'].includes(run.status)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the run did not finish');
});
afterAll(() => t.close());

/** The whole stream as text; fails (instead of hanging the suite) if it is still open after `boundMs`. */
async function readAll(res: Response, boundMs = 5000): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const open = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the stream was still open after ${boundMs} ms`)), boundMs);
  });
  try {
    return await Promise.race([res.text(), open]);
  } finally {
    clearTimeout(timer);
    await res.body?.cancel().catch(() => undefined);
  }
}

const events = (text: string) => [...text.matchAll(/^event: (.+)$/gm)].map((m) => m[1]);

describe('Last-Event-ID', () => {
  it.each(['Infinity', 'NaN', '-1', '1e3', '1.5', '0x10', '9007199254740993', '2 3', 'abc'])('refuses Last-Event-ID %j with 422 naming the header', async (value) => {
    const res = await t.request('GET', `/api/runs/${runId}/events`, { token, headers: { 'last-event-id': value } });
    // Read first: the bug was a stream held open for 30 minutes.
    const body = await readAll(res);
    expect(res.status).toBe(422);
    expect(JSON.parse(body).error.issues[0].path).toEqual(['headers', 'last-event-id']);
  });

  it('refuses the lastEventId query parameter the same way', async () => {
    const res = await t.request('GET', `/api/runs/${runId}/events?lastEventId=Infinity`, { token });
    const body = await readAll(res);
    expect(res.status).toBe(422);
    expect(JSON.parse(body).error.issues[0].path).toEqual(['query', 'lastEventId']);
  });

  it.each(['999999', '9007199254740991'])('ends a finished run\'s stream at once after Last-Event-ID %s (past its last event)', async (value) => {
    const res = await t.request('GET', `/api/runs/${runId}/events`, { token, headers: { 'last-event-id': value } });
    expect(res.status).toBe(200);
    expect(events(await readAll(res))).toEqual(['run.finished']);
  });

  it('ends a finished run\'s stream at once after replaying from an ordinary resume point', async () => {
    const all = await readAll(await t.request('GET', `/api/runs/${runId}/events`, { token }));
    expect(events(all)).toHaveLength(3);
    expect(events(all).at(-1)).toBe('run.finished');
    const firstId = /^id: (\d+)$/m.exec(all)![1]!;
    const res = await t.request('GET', `/api/runs/${runId}/events`, { token, headers: { 'last-event-id': firstId } });
    expect(events(await readAll(res))).toEqual(events(all).slice(1));
  });
});
