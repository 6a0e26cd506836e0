// The six Asana actions through the official SDK against the fake Asana: what reaches Asana
// (checked against the official spec on every request), what the node answers, and how each
// kind of failure maps onto the engine's error classes — the token never in an error.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CredentialRejectedError, NodeError, NonRetriableNodeError, parseNodeConfig, RetryAfterNodeError, type AnyNodeDefinition } from '../../contract/index.ts';
import { createIntegrationTestContext, testCredential } from '../framework/testing/test-context.ts';
import { SEARCH_PAGE_SIZE } from './actions/find-tasks.node.ts';
import { addCommentNode, addToProjectNode, completeTaskNode, createTaskNode, findTasksNode, updateTaskNode } from './index.ts';
import { addFakeToken, startFakeAsana, type FakeAsana, type FakeToken } from './testing/fake-asana.ts';
import { allSpecProblems } from './testing/spec-check.ts';

let fake: FakeAsana;
let pat: FakeToken;
let readOnly: FakeToken;

beforeAll(async () => {
  fake = await startFakeAsana();
  pat = addFakeToken(fake);
  readOnly = addFakeToken(fake, { scopes: ['tasks:read', 'users:read', 'projects:read', 'workspaces:read', 'custom_fields:read'] });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.tasks.length = 0;
  fake.stories.length = 0;
});
afterEach(() => {
  expect(allSpecProblems(fake.requests)).toEqual([]);
});

const ws = () => fake.workspaces[0]!.gid;
const launch = () => fake.projects[0]!;
const todo = () => fake.sections[0]!;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function run(node: AnyNodeDefinition, config: Record<string, unknown>, token: FakeToken | string = pat, refresh?: () => Promise<string | undefined>): Promise<any> {
  const credential = testCredential({ provider: 'asana', secret: typeof token === 'string' ? token : token.token, ...(refresh ? { refresh } : {}) });
  const ctx = createIntegrationTestContext(parseNodeConfig(node, config), { credential, baseUrls: { asana: fake.url } });
  return ((await node.run(ctx as never)) as { output: unknown }).output;
}

async function failure(node: AnyNodeDefinition, config: Record<string, unknown>, token: FakeToken | string = pat): Promise<NodeError> {
  const err = await run(node, config, token).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(NodeError);
  const secret = typeof token === 'string' ? token : token.token;
  expect(JSON.stringify({ m: (err as Error).message, d: (err as NodeError).details, c: String((err as Error).cause ?? '') })).not.toContain(secret);
  return err as NodeError;
}

async function seedTask(name = 'Seed'): Promise<string> {
  const out = (await run(createTaskNode, { projectId: launch().gid, name })) as { gid: string };
  fake.requests.length = 0;
  return out.gid;
}

const sent = (method: string, path: string) => fake.requests.filter((r) => r.method === method && r.path === path).map((r) => JSON.parse(r.body || '{}') as { data: Record<string, unknown> });

describe('asana.create_task', () => {
  it('creates the task with rich-text notes, assignee, due date, section and custom fields by name, and answers { gid, url }', async () => {
    const out = await run(createTaskNode, {
      projectId: launch().gid,
      sectionId: todo().gid,
      name: 'Ship it',
      notes: 'Call **Ada** about <the> launch\n- one\n- two',
      assignee: 'me',
      due: '2026-03-01',
      customFields: { Priority: 'High', estimate: 3 },
    });
    const task = fake.tasks[0]!;
    expect(out).toEqual({ gid: task.gid, url: `https://app.asana.com/0/${launch().gid}/${task.gid}`, name: 'Ship it' });
    const [body] = sent('POST', '/tasks');
    expect(body!.data).toMatchObject({ name: 'Ship it', projects: [launch().gid], assignee: 'me', due_on: '2026-03-01' });
    expect(task.html_notes).toBe('<body>Call <strong>Ada</strong> about &lt;the&gt; launch<ul><li>one</li><li>two</li></ul></body>');
    const [priority, estimate] = fake.customFields;
    expect(task.custom_fields).toEqual({ [priority!.gid]: priority!.enum_options![0]!.gid, [estimate!.gid]: 3 });
    expect(task.sections).toEqual([todo().gid]);
    expect(task.assignee).toBe(fake.users[0]!.gid);
  });

  it('takes the pinned minimal config: without workspace or project, the account\'s only workspace', async () => {
    const out = await run(createTaskNode, { name: 'Inbox item', notes: 'plain' });
    expect(fake.tasks[0]!.workspace).toBe(ws());
    expect(out.gid).toBe(fake.tasks[0]!.gid);
    expect(sent('POST', '/tasks')[0]!.data.workspace).toBe(ws());
  });

  it('a date and time goes as due_at', async () => {
    await run(createTaskNode, { workspaceId: ws(), name: 'Timed', due: '2026-03-01T17:00:00+02:00' });
    expect(fake.tasks[0]!.due_at).toBe('2026-03-01T15:00:00.000Z');
  });

  it('an unknown custom field or option fails before anything is written, naming what exists', async () => {
    const err = await failure(createTaskNode, { projectId: launch().gid, name: 'x', customFields: { Colour: 'red' } });
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    expect(err.message).toContain('no custom field "Colour"');
    expect(err.message).toContain('Priority, Estimate');
    const opt = await failure(createTaskNode, { projectId: launch().gid, name: 'x', customFields: { Priority: 'Retired' } });
    expect(opt.message).toContain('no option "Retired" (options: High, Low)');
    expect(fake.tasks).toHaveLength(0);
    expect(sent('POST', '/tasks')).toHaveLength(0);
  });

  it('follows next_page across the project\'s custom field settings', async () => {
    const extra = Array.from({ length: 120 }, (_, i) => ({ gid: fake.newGid(), name: `F${i}`, resource_subtype: 'text' as const }));
    fake.customFields.push(...extra);
    const project = { gid: fake.newGid(), name: 'Big', workspace: ws(), archived: false, customFields: extra.map((f) => f.gid) };
    fake.projects.push(project);
    try {
      await run(createTaskNode, { projectId: project.gid, name: 'x', customFields: { F119: 'last page' } });
      expect(fake.tasks[0]!.custom_fields[extra[119]!.gid]).toBe('last page');
      const pages = fake.requests.filter((r) => r.path.endsWith('/custom_field_settings'));
      expect(pages).toHaveLength(2);
      expect(pages[1]!.query.offset).toBeTruthy();
    } finally {
      fake.projects.pop();
      fake.customFields.splice(2);
    }
  });

  it('a refused token is a CredentialRejectedError saying how to fix it', async () => {
    const err = await failure(createTaskNode, { projectId: launch().gid, name: 'x' }, '2/123/not-a-token');
    expect(err).toBeInstanceOf(CredentialRejectedError);
    expect(err.message).toContain('Asana rejected credential');
    expect(err.message).toContain('personal access token');
  });

  it('an OAuth token is refreshed once on 401, then the call succeeds', async () => {
    let refreshed = 0;
    const out = await run(createTaskNode, { projectId: launch().gid, name: 'after refresh' }, '2/1/expired', async () => {
      refreshed += 1;
      return pat.token;
    });
    expect(refreshed).toBe(1);
    expect(out.gid).toBe(fake.tasks[0]!.gid);
  });

  it('a missing scope names it', async () => {
    const err = await failure(createTaskNode, { projectId: launch().gid, name: 'x' }, readOnly);
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    expect(err.message).toContain('needs the "tasks:write" permission');
    expect(err.details).toMatchObject({ kind: 'scope', scope: 'tasks:write', status: 403 });
  });

  it('429 is a RetryAfterNodeError with Asana\'s Retry-After; the retry succeeds', async () => {
    fake.rateLimit(1, 7);
    const err = await failure(createTaskNode, { projectId: launch().gid, name: 'x' });
    expect(err).toBeInstanceOf(RetryAfterNodeError);
    expect((err as RetryAfterNodeError).retryAfterMs).toBe(7000);
    expect(fake.tasks).toHaveLength(0);
    await run(createTaskNode, { projectId: launch().gid, name: 'x' });
    expect(fake.tasks).toHaveLength(1);
  });

  it('5xx is a retryable NodeError', async () => {
    fake.failServer(1);
    const err = await failure(createTaskNode, { projectId: launch().gid, name: 'x' });
    expect(err.constructor).toBe(NodeError);
    expect(err.message).toContain('HTTP 500');
  });

  it('Asana\'s validation message is passed on', async () => {
    const err = await failure(createTaskNode, { workspaceId: ws(), name: 'x', assignee: '999' });
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    expect(err.message).toBe('Asana refused the request: assignee: Not a recognized ID: 999');
  });

  it('bad config is refused naming the field, before any request', () => {
    expect(() => parseNodeConfig(createTaskNode, { name: 'x', projectId: '../../x' })).toThrow(/projectId/);
    expect(() => parseNodeConfig(createTaskNode, { name: 'x', sectionId: '1' })).toThrow(/sectionId/);
    expect(() => parseNodeConfig(createTaskNode, { name: 'x', due: 'tomorrow' })).toThrow(/due/);
  });
});

describe('asana.update_task and asana.complete_task', () => {
  it('changes only the fields given, custom fields by name from the task itself', async () => {
    const gid = await seedTask();
    const out = await run(updateTaskNode, { taskId: gid, name: 'Renamed', due: null, customFields: { Priority: 'low' } });
    expect(out).toMatchObject({ gid, name: 'Renamed', dueOn: null });
    expect(sent('PUT', `/tasks/${gid}`)[0]!.data).toEqual({ name: 'Renamed', due_on: null, due_at: null, custom_fields: { [fake.customFields[0]!.gid]: fake.customFields[0]!.enum_options![1]!.gid } });
  });

  it('completes and reopens', async () => {
    const gid = await seedTask();
    expect((await run(completeTaskNode, { taskId: gid })).completed).toBe(true);
    expect(fake.tasks[0]!.completed).toBe(true);
    expect((await run(completeTaskNode, { taskId: gid, completed: false })).completed).toBe(false);
  });

  it('an unknown task is not_found naming it; nothing to change is refused', async () => {
    const err = await failure(completeTaskNode, { taskId: '42' });
    expect(err.message).toContain('task 42 was not found');
    await expect(run(updateTaskNode, { taskId: '42' })).rejects.toThrow(/say what to change/);
  });

  it('auth, scope, rate limit, validation', async () => {
    const gid = await seedTask();
    expect(await failure(completeTaskNode, { taskId: gid }, 'nope-nope-nope')).toBeInstanceOf(CredentialRejectedError);
    expect((await failure(completeTaskNode, { taskId: gid }, readOnly)).details).toMatchObject({ scope: 'tasks:write' });
    fake.rateLimit(1);
    expect(await failure(updateTaskNode, { taskId: gid, name: 'y' })).toBeInstanceOf(RetryAfterNodeError);
    expect((await run(updateTaskNode, { taskId: gid, name: 'y' })).name).toBe('y');
    expect((await failure(updateTaskNode, { taskId: gid, assignee: '7' })).message).toContain('assignee: Not a recognized ID');
  });
});

describe('asana.add_comment and asana.add_to_project', () => {
  it('comments in rich text', async () => {
    const gid = await seedTask();
    const out = await run(addCommentNode, { taskId: gid, text: 'See [the doc](https://example.com/d) *now*' });
    expect(out).toEqual({ gid: fake.stories[0]!.gid, taskId: gid });
    expect(fake.stories[0]!.html_text).toBe('<body>See <a href="https://example.com/d">the doc</a> <em>now</em></body>');
  });

  it('a comment without stories:write names the scope; 429 then success; unknown task', async () => {
    const gid = await seedTask();
    expect((await failure(addCommentNode, { taskId: gid, text: 'x' }, readOnly)).message).toContain('"stories:write"');
    fake.rateLimit(1);
    expect(await failure(addCommentNode, { taskId: gid, text: 'x' })).toBeInstanceOf(RetryAfterNodeError);
    await run(addCommentNode, { taskId: gid, text: 'x' });
    expect(fake.stories).toHaveLength(1);
    expect((await failure(addCommentNode, { taskId: '5', text: 'x' })).details).toMatchObject({ kind: 'not_found' });
    expect(await failure(addCommentNode, { taskId: gid, text: 'x' }, 'bad-token-here')).toBeInstanceOf(CredentialRejectedError);
  });

  it('adds to a project and section; a section of another project is Asana\'s validation error', async () => {
    const gid = await seedTask();
    const ops = fake.projects[1]!;
    expect(await run(addToProjectNode, { taskId: gid, projectId: ops.gid })).toEqual({ taskId: gid, projectId: ops.gid, sectionId: null });
    expect(fake.tasks[0]!.projects).toContain(ops.gid);
    const err = await failure(addToProjectNode, { taskId: gid, projectId: ops.gid, sectionId: todo().gid });
    expect(err.message).toContain('section: Not a recognized ID');
    expect((await failure(addToProjectNode, { taskId: gid, projectId: ops.gid }, readOnly)).details).toMatchObject({ scope: 'tasks:write' });
    expect(await failure(addToProjectNode, { taskId: gid, projectId: ops.gid }, 'bad-token-here')).toBeInstanceOf(CredentialRejectedError);
    fake.rateLimit(1);
    expect(await failure(addToProjectNode, { taskId: gid, projectId: ops.gid, sectionId: fake.sections[0]!.gid })).toBeInstanceOf(RetryAfterNodeError);
    fake.tasks[0]!.projects = [ops.gid];
    expect(await run(addToProjectNode, { taskId: gid, projectId: launch().gid, sectionId: todo().gid })).toEqual({ taskId: gid, projectId: launch().gid, sectionId: todo().gid });
    expect(fake.tasks[0]!).toMatchObject({ projects: [ops.gid, launch().gid], sections: [todo().gid] });
  });
});

describe('asana.find_tasks', () => {
  it('pages through the search by created_at until the limit, newest first', async () => {
    for (let i = 0; i < SEARCH_PAGE_SIZE + 30; i += 1) {
      fake.tasks.push({ gid: fake.newGid(), name: `Invoice ${i}`, workspace: ws(), projects: [launch().gid], sections: [], html_notes: '<body></body>', assignee: null, due_on: null, due_at: null, completed: i % 2 === 0, custom_fields: {}, created_at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() });
    }
    const out = await run(findTasksNode, { workspaceId: ws(), text: 'invoice', limit: 1000 });
    expect(out.count).toBe(SEARCH_PAGE_SIZE + 30);
    expect(out.truncated).toBe(false);
    expect(new Set(out.tasks.map((t: { gid: string }) => t.gid)).size).toBe(out.count);
    expect(out.tasks[0].name).toBe(`Invoice ${SEARCH_PAGE_SIZE + 29}`);
    const searches = fake.requests.filter((r) => r.path.endsWith('/tasks/search'));
    expect(searches).toHaveLength(2);
    expect(searches[1]!.query['created_at.before']).toBe(new Date(Date.UTC(2026, 0, 1, 0, 30)).toISOString());

    const open = await run(findTasksNode, { workspaceId: ws(), completed: false, limit: 10 });
    expect(open).toMatchObject({ count: 10, truncated: true });
    expect(open.tasks.every((t: { completed: boolean }) => t.completed === false)).toBe(true);
  });

  it('bad auth, rate limit then success, unknown workspace', async () => {
    expect(await failure(findTasksNode, { workspaceId: ws() }, 'bad-token-here')).toBeInstanceOf(CredentialRejectedError);
    fake.rateLimit(1);
    expect(await failure(findTasksNode, { workspaceId: ws() })).toBeInstanceOf(RetryAfterNodeError);
    expect((await run(findTasksNode, { workspaceId: ws() })).count).toBe(0);
    expect((await failure(findTasksNode, { workspaceId: '77' })).message).toContain('workspace 77 was not found');
    const noScope = addFakeToken(fake, { scopes: ['users:read'] });
    expect((await failure(findTasksNode, { workspaceId: ws() }, noScope)).details).toMatchObject({ scope: 'tasks:read' });
  });
});
