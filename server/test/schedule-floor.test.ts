// The schedule floor (KEYFLOW_MIN_SCHEDULE_SECONDS, one minute by default): a cron trigger
// that fires faster is refused with a 422 naming its cron field on create, import and save,
// and a stored version that predates the floor cannot be activated or restored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflows } from '@keyflow/engine';
import { createTestApp, type TestApp } from './support.ts';

type ErrorBody = { error: { code: string; issues: { path: (string | number)[]; message: string }[] } };

const scheduled = (cron: string) => ({
  nodes: [
    { id: 'tick', type: 'core.schedule', version: 1, config: { cron, timezone: 'UTC' }, position: { x: 0, y: 0 } },
    { id: 'shape', type: 'core.transform', version: 1, config: { fields: [{ name: 'at', value: '{{ $trigger.firedAt }}' }] }, position: { x: 240, y: 0 } },
  ],
  edges: [{ id: 'e1', source: 'tick', target: 'shape' }],
});

describe('schedule floor, default (60 s)', () => {
  let t: TestApp;
  let user: { id: string; token: string };
  beforeAll(async () => {
    t = await createTestApp('pglite');
    user = await t.signup();
  });
  afterAll(() => t.close());
  const count = async () => (await t.db.db.selectFrom('workflows').select('id').where('owner_id', '=', user.id).execute()).length;

  it.each([['* * * * * *'], ['*/30 * * * * *'], ['0,1 * * * * *']])('refuses %s on create with 422 at the cron field, writing nothing', async (cron) => {
    const before = await count();
    const res = await t.request('POST', '/api/workflows', { token: user.token, body: { name: 'fast', graph: scheduled(cron) } });
    expect(res.status).toBe(422);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.issues).toEqual([{ path: ['body', 'graph', 'nodes', 0, 'config', 'cron'], message: expect.stringMatching(/seconds? apart.*KEYFLOW_MIN_SCHEDULE_SECONDS/) }]);
    expect(await count()).toBe(before);
  });

  it('refuses it on import and on save too', async () => {
    const imp = await t.request('POST', '/api/workflows/import', { token: user.token, body: { keyflow: 1, name: 'fast', graph: scheduled('* * * * * *') } });
    expect(imp.status).toBe(422);
    expect(((await imp.json()) as ErrorBody).error.issues[0]!.path).toEqual(['body', 'graph', 'nodes', 0, 'config', 'cron']);
    const ok = (await (await t.request('POST', '/api/workflows', { token: user.token, body: { name: 'ok', graph: scheduled('* * * * *') } })).json()) as { id: string };
    const save = await t.request('PUT', `/api/workflows/${ok.id}`, { token: user.token, body: { graph: scheduled('*/10 * * * * *'), baseVersion: 1 } });
    expect(save.status).toBe(422);
    expect(((await save.json()) as ErrorBody).error.issues[0]!.path).toEqual(['body', 'graph', 'nodes', 0, 'config', 'cron']);
  });

  it('accepts every minute (5 fields, or 6 with one second value) and activates it', async () => {
    for (const cron of ['* * * * *', '30 * * * * *', '@hourly']) {
      const res = await t.request('POST', '/api/workflows', { token: user.token, body: { name: cron, graph: scheduled(cron) } });
      expect(res.status, cron).toBe(201);
      const { id } = (await res.json()) as { id: string };
      const act = await t.request('POST', `/api/workflows/${id}/activate`, { token: user.token });
      expect(act.status, cron).toBe(200);
      await t.request('POST', `/api/workflows/${id}/deactivate`, { token: user.token });
    }
  });

  it('will not activate or restore a stored version that fires faster, naming the version and node', async () => {
    // Stored behind the API's back, as a version saved before the floor (or under a lower one) would be.
    const wf = await workflows.createWorkflow(t.db.db, user.id, { name: 'legacy', graph: scheduled('* * * * * *') });
    await workflows.saveWorkflow(t.db.db, user.id, wf.id, { graph: scheduled('* * * * *'), baseVersion: 1 });

    const byNumber = await t.request('POST', `/api/workflows/${wf.id}/activate`, { token: user.token, body: { version: 1 } });
    expect(byNumber.status).toBe(422);
    const issue = ((await byNumber.json()) as ErrorBody).error.issues[0]!;
    expect(issue.path).toEqual(['body', 'version']);
    expect(issue.message).toMatch(/version 1, node 'tick' \(nodes\[0\]\.config\.cron\): fires 1 second apart/);
    const row = await t.db.db.selectFrom('workflows').select(['active']).where('id', '=', wf.id).executeTakeFirstOrThrow();
    expect(row.active).toBe(false);
    expect(await t.db.db.selectFrom('schedules').select('node_id').where('workflow_id', '=', wf.id).execute()).toEqual([]);

    const restore = await t.request('POST', `/api/workflows/${wf.id}/versions/1/restore`, { token: user.token });
    expect(restore.status).toBe(422);
    expect(((await restore.json()) as ErrorBody).error.issues[0]!.path).toEqual(['params', 'n']);
    expect((await workflows.getWorkflow(t.db.db, user.id, wf.id)).currentVersion).toBe(2);

    // The current version (every minute) is fine.
    expect((await t.request('POST', `/api/workflows/${wf.id}/activate`, { token: user.token })).status).toBe(200);
  });
});

describe('schedule floor, raised to 5 minutes', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp('pglite', { KEYFLOW_MIN_SCHEDULE_SECONDS: '300' });
    token = (await t.signup()).token;
  });
  afterAll(() => t.close());

  it('refuses every two minutes and accepts every five', async () => {
    const fast = await t.request('POST', '/api/workflows', { token, body: { name: 'two', graph: scheduled('*/2 * * * *') } });
    expect(fast.status).toBe(422);
    expect(((await fast.json()) as ErrorBody).error.issues[0]!.message).toMatch(/fires 2 minutes apart; schedules may fire at most once every 5 minutes/);
    expect((await t.request('POST', '/api/workflows', { token, body: { name: 'five', graph: scheduled('*/5 * * * *') } })).status).toBe(201);
  });
});
