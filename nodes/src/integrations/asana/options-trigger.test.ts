// Asana's option lists (offset pages as cursors), identity, the trigger's activation against the
// fake (handshake included) and what a delivery becomes.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CredentialRejectedError, NonRetriableNodeError } from '../../contract/index.ts';
import { testCredential, testServiceCall } from '../framework/testing/test-context.ts';
import { asanaIntegration, receiveAsanaEvent } from './index.ts';
import { addFakeToken, startFakeAsana, type FakeAsana, type FakeToken } from './testing/fake-asana.ts';
import { allSpecProblems } from './testing/spec-check.ts';

let fake: FakeAsana;
let pat: FakeToken;
beforeAll(async () => {
  fake = await startFakeAsana();
  pat = addFakeToken(fake);
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

const call = (token = pat.token) => testServiceCall(testCredential({ provider: 'asana', secret: token }), fake.url);
const options = asanaIntegration.options['*']!;
const ws = () => fake.workspaces[0]!.gid;

describe('asana options and identity', () => {
  it('lists workspaces, projects, sections, users and custom fields', async () => {
    expect((await options.workspaces!.list(call(), { params: {} })).items).toEqual([{ value: ws(), label: 'Acme' }]);
    expect((await options.projects!.list(call(), { params: { workspaceId: ws() } })).items.map((i) => i.label)).toEqual(['Launch', 'Ops']);
    expect((await options.sections!.list(call(), { params: { projectId: fake.projects[0]!.gid } })).items.map((i) => i.label)).toEqual(['To do', 'Doing']);
    expect((await options.users!.list(call(), { params: { workspaceId: ws() }, search: 'bob' })).items).toEqual([{ value: fake.users[1]!.gid, label: 'Bob Builder <bob@example.com>' }]);
    const fields = await options.customFields!.list(call(), { params: { projectId: fake.projects[0]!.gid } });
    expect(fields.items[0]).toEqual({ value: 'Priority', label: 'Priority', meta: { gid: fake.customFields[0]!.gid, type: 'enum', options: 'High, Low' } });
    expect(allSpecProblems(fake.requests)).toEqual([]);
  });

  it('pages with next_page.offset as the cursor', async () => {
    const many = Array.from({ length: 130 }, (_, i) => ({ gid: fake.newGid(), name: `P${String(i).padStart(3, '0')}`, workspace: ws(), archived: false, customFields: [] }));
    fake.projects.push(...many);
    try {
      const first = await options.projects!.list(call(), { params: { workspaceId: ws() } });
      expect(first.items).toHaveLength(100);
      expect(first.nextCursor).toBeTruthy();
      const second = await options.projects!.list(call(), { params: { workspaceId: ws() }, cursor: first.nextCursor! });
      expect(second.items).toHaveLength(32);
      expect(second.nextCursor).toBeUndefined();
      expect(allSpecProblems(fake.requests)).toEqual([]);
    } finally {
      fake.projects.splice(2);
    }
  });

  it('a list that depends on a choice says so; ids are checked before any request', async () => {
    await expect(options.sections!.list(call(), { params: {} })).rejects.toThrow(/choose a project first \(projectId\)/);
    await expect(options.sections!.list(call(), { params: { projectId: '../x' } })).rejects.toBeInstanceOf(NonRetriableNodeError);
    expect(fake.requests).toHaveLength(0);
  });

  it('identity is users/me; a bad token is rejected', async () => {
    expect(await asanaIntegration.identity(call())).toEqual({ name: 'Acme / Ada Lovelace', accountId: fake.users[0]!.gid });
    await expect(asanaIntegration.identity(call('bad-token'))).rejects.toBeInstanceOf(CredentialRejectedError);
  });
});

describe('asana.event activation', () => {
  it('creates the webhook after echoing the handshake, and deletes it; a target that does not echo gets no webhook', async () => {
    const activation = asanaIntegration.activations!['asana.event']!;
    const seen: string[] = [];
    fake.deliverTo = async (_url, init) => {
      seen.push(init.headers['x-hook-secret']!);
      return { status: 200, headers: new Headers({ 'x-hook-secret': init.headers['x-hook-secret']! }), body: '' };
    };
    const project = fake.projects[0]!.gid;
    const { externalId } = await activation.activate(call(), { config: { projectId: project }, callbackUrl: 'https://keyflow.example/hooks/abc' });
    expect(fake.webhooks).toEqual([expect.objectContaining({ gid: externalId, resource: project, target: 'https://keyflow.example/hooks/abc', secret: seen[0] })]);
    await activation.deactivate(call(), { config: { projectId: project }, externalId });
    expect(fake.webhooks).toHaveLength(0);
    // Already gone: still fine.
    await activation.deactivate(call(), { config: { projectId: project }, externalId });

    fake.deliverTo = async () => ({ status: 200, headers: new Headers(), body: '' });
    await expect(activation.activate(call(), { config: { projectId: project }, callbackUrl: 'https://keyflow.example/hooks/abc' })).rejects.toThrow(/did not respond with the handshake secret/);
    expect(fake.webhooks).toHaveLength(0);
    expect(allSpecProblems(fake.requests)).toEqual([]);
  });
});

describe('asana.event deliveries', () => {
  const req = (body: unknown) => ({ method: 'POST', headers: {}, body, rawBody: Buffer.from(JSON.stringify(body)), url: 'https://k/hooks/x', now: new Date() });
  const event = (over: Record<string, unknown> = {}) => ({ action: 'added', created_at: '2026-01-01T00:00:00.000Z', user: { gid: '1', resource_type: 'user' }, resource: { gid: '2', resource_type: 'task' }, parent: { gid: '3', resource_type: 'project' }, ...over });

  it('a heartbeat is ignored; events are filtered; the same events name the same delivery', () => {
    expect(receiveAsanaEvent(req({ events: [] }), { projectId: '3' })).toEqual({ kind: 'ignore', reason: 'heartbeat (no events)' });
    const a = receiveAsanaEvent(req({ events: [event(), event({ action: 'changed', resource: { gid: '9', resource_type: 'story' } })] }), { projectId: '3', resourceTypes: ['task'] });
    expect(a).toMatchObject({ kind: 'run', body: { events: [event()] } });
    const again = receiveAsanaEvent(req({ events: [event(), event({ action: 'changed', resource: { gid: '9', resource_type: 'story' } })] }), { projectId: '3', resourceTypes: ['task'] });
    expect(again).toEqual(a);
    const other = receiveAsanaEvent(req({ events: [event({ created_at: '2026-01-01T00:00:01.000Z' })] }), { projectId: '3' });
    expect(other.kind === 'run' && a.kind === 'run' && other.deliveryId !== a.deliveryId).toBe(true);
    expect(receiveAsanaEvent(req({ events: [event()] }), { projectId: '3', actions: ['deleted'] }).kind).toBe('ignore');
    expect(receiveAsanaEvent(req({ nope: 1 }), { projectId: '3' })).toMatchObject({ kind: 'answer', status: 400 });
  });
});
