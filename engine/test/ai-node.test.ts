// The AI facade (createAiFactory) on PGlite with stub providers: routing with the owner's keys
// and settings, usage rows per attempt, cost, baseline, invalid keys, budget, error mapping;
// then ai.complete through the executor, with the cost on the step and the run.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeError, NonRetriableNodeError, type AiCompleteRequest, type SafeFetch } from '@keyflow/nodes/contract';
import { createAiFactory } from '../src/ai/facade/create-ai-factory.ts';
import { CircuitBreaker } from '../src/ai/router/breaker.ts';
import { costMicros } from '../src/ai/router/cost.ts';
import { stubProvider, testCatalog, testQuality, usageOf, type Step, type StubProvider } from '../src/ai/router/test-stubs.ts';
import { ProviderError, providerIds, type ProviderErrorKind, type ProviderId } from '../src/ai/types.ts';
import { Engine } from '../src/engine/engine.ts';
import { InProcessEventBus } from '../src/events/event-bus.ts';
import { InProcessQueue } from '../src/queue/in-process-queue.ts';
import * as credentials from '../src/store/credentials.repo.ts';
import * as runs from '../src/store/runs.repo.ts';
import { saveSettings, type SettingsPatch } from '../src/store/settings.repo.ts';
import * as workflows from '../src/store/workflows.repo.ts';
import { generateKey } from '../src/vault/generate-key.ts';
import { Keyring } from '../src/vault/keyring.ts';
import { Secret } from '../src/vault/secret.ts';
import { createPgliteDatabase, type TestDatabase } from './support/postgres.ts';

let t: TestDatabase;
const keyring = Keyring.fromEnv(generateKey());
const catalog = testCatalog();
const quality = testQuality();

beforeAll(async () => {
  t = await createPgliteDatabase();
});
afterAll(async () => {
  await t.drop();
});

const fail = (provider: ProviderId, kind: ProviderErrorKind, status: number): Step => ({ error: new ProviderError(provider, kind, `${provider} said ${status}`, { status }) });

interface Setup {
  ownerId: string;
  keys: Partial<Record<ProviderId, { id: string; secret: string }>>;
  providers: Record<ProviderId, StubProvider>;
  costs: number[];
  run: { id: string; workflowId: string; ownerId: string };
  /** The run_steps id the factory was given for this step. */
  stepId: string;
  complete(req?: Partial<AiCompleteRequest>): ReturnType<ReturnType<ReturnType<typeof createAiFactory>>['complete']>;
  usageRows(): Promise<{ provider: string; model: string; outcome: string; cost_micros: number; baseline_cost_micros: number; tokens_in: number; tokens_out: number; run_id: string | null; step_id: string | null; workflow_id: string | null; credential_id: string | null }[]>;
}

/** A fresh owner with keys for `withKeys`, stub providers playing `scripts`, and a facade for one step. */
async function setup(opts: { withKeys?: ProviderId[]; scripts?: Partial<Record<ProviderId, Step[]>>; settings?: SettingsPatch } = {}): Promise<Setup> {
  const ownerId = randomUUID();
  await t.db.insertInto('users').values({ id: ownerId, email: `${ownerId}@test.local`, password_hash: 'x' }).execute();
  if (opts.settings) await saveSettings(t.db, ownerId, opts.settings);
  const keys: Setup['keys'] = {};
  for (const provider of opts.withKeys ?? ['openai', 'anthropic', 'deepseek']) {
    const secret = `sk-test-${provider}-${randomUUID()}`;
    const cred = await credentials.createCredential(t.db, ownerId, { provider, label: provider, secret: new Secret(secret) }, keyring);
    keys[provider] = { id: cred.id, secret };
  }
  const providers = Object.fromEntries(providerIds.map((p) => [p, stubProvider(p, opts.scripts?.[p])])) as Record<ProviderId, StubProvider>;
  const factory = createAiFactory({ db: t.db, keyring, providers, catalog, quality, breaker: new CircuitBreaker() });
  const costs: number[] = [];
  const run = { id: randomUUID(), workflowId: randomUUID(), ownerId };
  const stepId = randomUUID();
  const ai = factory(run, { id: stepId, nodeId: 'ask', scope: '' }, (m) => costs.push(m));
  return {
    ownerId, keys, providers, costs, run, stepId,
    complete: (req = {}) => ai.complete({ prompt: 'Say hello', maxTokens: 100, tier: 'economy', ...req }),
    usageRows: () =>
      t.db.selectFrom('usage_events').select(['provider', 'model', 'outcome', 'cost_micros', 'baseline_cost_micros', 'tokens_in', 'tokens_out', 'run_id', 'step_id', 'workflow_id', 'credential_id']).where('owner_id', '=', ownerId).orderBy('created_at').orderBy('cost_micros').execute(),
  };
}

const called = (s: Setup) => providerIds.filter((p) => s.providers[p].calls.length > 0);
const statusOf = async (s: Setup, provider: ProviderId) => (await credentials.getCredential(t.db, s.ownerId, s.keys[provider]!.id)).status;

describe('createAiFactory', () => {
  it('calls the cheapest fitting model with the decrypted key and records one usage row', async () => {
    const s = await setup({ scripts: { openai: [{ text: 'Hello!', usage: usageOf(1_000, 200) }] } });
    const result = await s.complete();
    const cost = costMicros(catalog.find('openai/o-small')!, usageOf(1_000, 200));
    expect(result).toMatchObject({ text: 'Hello!', provider: 'openai', model: 'o-small', usage: { inputTokens: 1_000, outputTokens: 200, cachedTokens: 0, costMicros: cost } });
    expect(result.decision?.chosen).toEqual({ provider: 'openai', model: 'o-small' });
    expect(result.decision?.candidates[0]).toMatchObject({ provider: 'openai', model: 'o-small' });
    expect(called(s)).toEqual(['openai']);
    const sent = s.providers.openai.calls[0]!;
    expect(sent.credential.apiKey.reveal()).toBe(s.keys.openai!.secret);
    expect(sent.req).toMatchObject({ model: 'o-small', maxTokens: 100, messages: [{ role: 'user', content: 'Say hello' }] });
    expect(await s.usageRows()).toEqual([
      { provider: 'openai', model: 'o-small', outcome: 'ok', cost_micros: cost, baseline_cost_micros: cost, tokens_in: 1_000, tokens_out: 200, run_id: s.run.id, step_id: s.stepId, workflow_id: s.run.workflowId, credential_id: s.keys.openai!.id },
    ]);
    expect(s.costs).toEqual([cost]);
    expect((await credentials.getCredential(t.db, s.ownerId, s.keys.openai!.id)).lastUsedAt).toBeInstanceOf(Date);
  });

  it("uses the owner's default tier and provider order when the node gives none", async () => {
    const balanced = await setup();
    expect((await balanced.complete({ tier: undefined })).model).toBe('o-mid');
    const economy = await setup({ settings: { defaultTier: 'economy' } });
    expect((await economy.complete({ tier: undefined })).model).toBe('o-small');
  });

  it('prices every call on the baseline model when the owner states one', async () => {
    const s = await setup({ settings: { baselineModel: 'openai/o-big' }, scripts: { openai: [{ usage: usageOf(2_000, 500) }] } });
    await s.complete();
    const [row] = await s.usageRows();
    expect(row!.cost_micros).toBe(costMicros(catalog.find('openai/o-small')!, usageOf(2_000, 500)));
    expect(row!.baseline_cost_micros).toBe(costMicros(catalog.find('openai/o-big')!, usageOf(2_000, 500)));
  });

  it('under the quality rule, measures savings against the reference model and explains the choice', async () => {
    const s = await setup({ settings: { baselineModel: 'openai/o-small' }, scripts: { openai: [{ usage: usageOf(2_000, 500) }], anthropic: [{ usage: usageOf(2_000, 500) }] } });
    const r = await s.complete({ tier: undefined, referenceModel: 'anthropic/a-big', task: 'classification' });
    // o-mid (1350) is below a-big (1400 − 10); o-big and g-pro tie a-big; o-big is the cheapest with a key.
    expect(r.model).toBe('o-big');
    expect(r.decision?.quality).toMatchObject({ task: 'classification', reference: { ref: 'anthropic/a-big', origin: 'reference model' } });
    expect(r.decision?.quality?.rejected.map((x) => x.model)).toEqual(expect.arrayContaining(['o-small', 'o-mid']));
    const [row] = await t.db.selectFrom('usage_events').select(['reference_model', 'reference_cost_micros', 'baseline_cost_micros']).where('owner_id', '=', s.ownerId).execute();
    expect(row).toEqual({ reference_model: 'anthropic/a-big', reference_cost_micros: costMicros(catalog.find('anthropic/a-big')!, usageOf(2_000, 500)), baseline_cost_micros: costMicros(catalog.find('openai/o-small')!, usageOf(2_000, 500)) });
  });

  it('infers extraction from a JSON schema, and applies the owner policy: margin, exclusions, residency', async () => {
    const infer = await setup({ scripts: { openai: [{ text: '{"a":1}' }] } });
    expect((await infer.complete({ jsonSchema: { type: 'object' } })).decision?.quality?.task).toBe('extraction');
    const excluded = await setup({ settings: { routing: { margin: 'equal', prefer: [], exclude: ['openai'], dataResidency: null } } });
    expect((await excluded.complete()).provider).not.toBe('openai');
    const any = await setup({ settings: { routing: { margin: 'any', prefer: [], exclude: [], dataResidency: null } } });
    expect((await any.complete({ tier: 'balanced' })).decision?.quality?.margin).toBe('any');
    const resident = await setup({ settings: { routing: { margin: 'equal', prefer: [], exclude: [], dataResidency: { providers: ['anthropic'], azureEndpoints: [] } } } });
    expect((await resident.complete()).provider).toBe('anthropic');
    expect(called(resident)).toEqual(['anthropic']);
    const nowhere = await setup({ settings: { routing: { margin: 'equal', prefer: [], exclude: [], dataResidency: { providers: ['azure_openai'], azureEndpoints: ['https://eu-res.openai.azure.com'] } } } });
    await expect(nowhere.complete()).rejects.toThrow('no AI key meets the data-residency filter');
  });

  it('fails over on a 503 and writes a usage row per attempt', async () => {
    const s = await setup({ scripts: { openai: [fail('openai', 'server', 503)] } });
    const result = await s.complete();
    expect(result.provider).not.toBe('openai');
    expect(result.decision?.why).toMatch(/after openai\/o-small server/);
    const rows = await s.usageRows();
    expect(rows.map((r) => [r.provider, r.outcome])).toEqual([
      ['openai', 'server'],
      [result.provider, 'ok'],
    ]);
    expect(rows[0]!.cost_micros).toBe(0);
    expect(s.costs).toEqual([result.usage.costMicros]);
  });

  it('marks a key the provider rejects as invalid and stops offering it', async () => {
    const s = await setup({ scripts: { openai: [fail('openai', 'auth', 401)] } });
    const first = await s.complete();
    expect(first.provider).not.toBe('openai');
    expect(await statusOf(s, 'openai')).toBe('invalid');
    await s.complete();
    expect(s.providers.openai.calls).toHaveLength(1);
  });

  it('refuses a call over the budget before any provider is reached', async () => {
    const s = await setup({ settings: { monthlyBudgetMicros: 1 } });
    const failure = await s.complete().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(NonRetriableNodeError);
    expect((failure as Error).message).toMatch(/budget exceeded/);
    expect(called(s)).toEqual([]);
    expect(await s.usageRows()).toEqual([]);
    expect(s.costs).toEqual([]);
  });

  it('uses only the chosen keys when credentialIds is given', async () => {
    const s = await setup();
    const result = await s.complete({ credentialIds: [s.keys.deepseek!.id] });
    expect(result.provider).toBe('deepseek');
    expect(called(s)).toEqual(['deepseek']);
    const other = await setup();
    await expect(s.complete({ credentialIds: [other.keys.openai!.id] })).rejects.toThrow(NonRetriableNodeError);
  });

  it('asks for JSON with the schema and parses the answer, fenced or not', async () => {
    const s = await setup({ scripts: { openai: [{ text: '```json\n{"ok":true}\n```' }, { text: '{"n":2}' }, { text: 'Sure! here it is' }] } });
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } } };
    expect((await s.complete({ jsonSchema: schema })).json).toEqual({ ok: true });
    expect(s.providers.openai.calls[0]!.req.json).toEqual({ schema, name: 'answer' });
    expect((await s.complete({ jsonSchema: schema })).json).toEqual({ n: 2 });
    const failure = await s.complete({ jsonSchema: schema }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(NonRetriableNodeError);
    expect((failure as Error).message).toBe('openai/o-small did not answer with valid JSON');
    expect(s.costs).toHaveLength(3);
  });

  const leadSchema = { type: 'object', required: ['name', 'budget'], additionalProperties: false, properties: { name: { type: 'string' }, budget: { type: 'number' } } };

  it('asks again once, with the validator\'s issues, when the answer misses the jsonSchema, and counts both calls', async () => {
    const s = await setup({ scripts: { openai: [{ text: '{"budget":"10k"}', usage: usageOf(1_000, 100) }, { text: '{"name":"Ada","budget":10000}', usage: usageOf(1_300, 80) }] } });
    const result = await s.complete({ jsonSchema: leadSchema });
    expect(result.json).toEqual({ name: 'Ada', budget: 10_000 });
    const calls = s.providers.openai.calls;
    expect(calls).toHaveLength(2);
    const retry = calls[1]!.req.messages;
    expect(retry.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(retry[1]!.content).toBe('{"budget":"10k"}');
    expect(retry[2]!.content).toContain('/name: is required');
    expect(retry[2]!.content).toContain('/budget: Instance type "string" is invalid. Expected "number".');
    expect(calls[1]!.req.json).toEqual({ schema: leadSchema, name: 'answer' });
    // Both calls are usage rows on the step, and both costs are the step's.
    const rows = await s.usageRows();
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.step_id)).toEqual([s.stepId, s.stepId]);
    expect(s.costs).toHaveLength(2);
    expect(result.usage.inputTokens).toBe(2_300);
    expect(result.usage.outputTokens).toBe(180);
    expect(result.usage.costMicros).toBe(s.costs[0]! + s.costs[1]!);
  });

  it('fails, naming the failing paths, when the second answer misses the jsonSchema too', async () => {
    const s = await setup({ scripts: { openai: [{ text: '{"budget":"10k"}' }, { text: '{"name":7,"budget":1,"extra":true}' }] } });
    const failure = await s.complete({ jsonSchema: leadSchema }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(NonRetriableNodeError);
    const error = failure as NonRetriableNodeError;
    expect(error.message).toBe('openai/o-small answered twice without matching the jsonSchema: /name: Instance type "number" is invalid. Expected "string".; /extra: is not allowed');
    expect(error.details).toEqual({ issues: [{ path: '/name', message: 'Instance type "number" is invalid. Expected "string".' }, { path: '/extra', message: 'is not allowed' }] });
    expect(s.providers.openai.calls).toHaveLength(2);
    expect(s.costs).toHaveLength(2);
    expect(await s.usageRows()).toHaveLength(2);
  });

  it('refuses a jsonSchema it cannot use before calling any model', async () => {
    const s = await setup();
    const failure = await s.complete({ jsonSchema: { $schema: 'https://example.com/my-draft', type: 'object' } }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(NonRetriableNodeError);
    expect((failure as Error).message).toMatch(/^jsonSchema: unsupported \$schema/);
    expect(called(s)).toEqual([]);
  });

  it.each([
    ['every provider down', { openai: [fail('openai', 'server', 503)], anthropic: [fail('anthropic', 'server', 529)], deepseek: [fail('deepseek', 'timeout', 0)] }, {}, true, /every AI provider failed/],
    ['every key rejected', { openai: [fail('openai', 'auth', 401)], anthropic: [fail('anthropic', 'auth', 401)], deepseek: [fail('deepseek', 'auth', 403)] }, {}, false, /every AI provider failed/],
    ['a request the provider refuses', { openai: [fail('openai', 'bad_request', 400)] }, {}, false, /^openai: openai said 400$/],
    ['a pinned model missing from the price table', {}, { model: 'openai/gpt-9' }, false, /no AI model available/],
  ] as const)('maps %s to the right node error', async (_name, scripts, req, retryable, message) => {
    const s = await setup({ scripts: scripts as Partial<Record<ProviderId, Step[]>> });
    const failure = await s.complete(req).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(NodeError);
    expect((failure as NodeError).retryable).toBe(retryable);
    expect((failure as Error).message).toMatch(message);
  });
});

describe('ai.complete in a run', () => {
  const noFetch: SafeFetch = async () => {
    throw new Error('no fetch in this test');
  };

  async function runWorkflow(s: Setup, factory: ReturnType<typeof createAiFactory>, config: Record<string, unknown>) {
    const bus = new InProcessEventBus();
    const engine = new Engine({ db: t.db, queue: new InProcessQueue(), bus, log: pino({ level: 'silent' }), fetch: noFetch, credentials: async () => undefined, ai: factory });
    await engine.init();
    engine.startWorker(2);
    try {
      const graph = {
        nodes: [
          { id: 'start', type: 'core.manual', version: 1, config: {}, position: { x: 0, y: 0 } },
          { id: 'ask', type: 'ai.complete', version: 1, config, position: { x: 240, y: 0 } },
        ],
        edges: [{ id: 'e1', source: 'start', target: 'ask' }],
      };
      const wf = await workflows.createWorkflow(t.db, s.ownerId, { name: 'ask', graph });
      const runId = randomUUID();
      const finished = new Promise<void>((resolve) => void bus.subscribeRun(runId, (e) => e.type === 'run.finished' && resolve()));
      await runs.insertRun(t.db, { id: runId, ownerId: s.ownerId, workflowId: wf.id, workflowVersion: 1, trigger: 'manual', triggerPayload: { name: 'Ada' } });
      await engine.queue.enqueue({ runId, ownerId: s.ownerId });
      await finished;
      return await runs.getRunWithSteps(t.db, s.ownerId, runId);
    } finally {
      await engine.close({ graceMs: 1_000 });
    }
  }

  const factoryFor = (s: Setup) => createAiFactory({ db: t.db, keyring, providers: s.providers, catalog, quality });

  it('puts the answer in the step output and the cost on the step and the run', async () => {
    const s = await setup({ scripts: { openai: [{ text: 'Hello Ada', usage: usageOf(3_000, 700) }] } });
    const run = await runWorkflow(s, factoryFor(s), { prompt: 'Greet {{ $trigger.name }}', tier: 'economy' });
    expect(run.status).toBe('succeeded');
    expect(s.providers.openai.calls[0]!.req.messages).toEqual([{ role: 'user', content: 'Greet Ada' }]);
    const step = run.steps.find((x) => x.nodeId === 'ask')!;
    const cost = costMicros(catalog.find('openai/o-small')!, usageOf(3_000, 700));
    expect(step.output).toMatchObject({ text: 'Hello Ada', provider: 'openai', model: 'o-small', costMicros: cost });
    expect(step.costMicros).toBe(cost);
    expect(run.costMicros).toBe(cost);
    const rows = await s.usageRows();
    expect(rows.map((r) => [r.run_id, r.workflow_id, r.cost_micros])).toEqual([[run.id, run.workflowId, cost]]);
  });

  it('retries the step once when every provider failed, then succeeds', async () => {
    const s = await setup({ withKeys: ['openai'], scripts: { openai: [fail('openai', 'server', 502), { text: 'second time lucky' }] } });
    // Pinned, so the router has no other model to fail over to within the first attempt.
    const run = await runWorkflow(s, factoryFor(s), { prompt: 'hi', model: 'openai/o-small' });
    expect(run.status).toBe('succeeded');
    const steps = run.steps.filter((x) => x.nodeId === 'ask');
    expect(steps.map((x) => [x.attempt, x.status])).toEqual([
      [1, 'failed'],
      [2, 'succeeded'],
    ]);
    expect((await s.usageRows()).map((r) => r.outcome)).toEqual(['server', 'ok']);
  });

  it('fails the run at once, without retry, when the budget refuses the call', async () => {
    const s = await setup({ settings: { monthlyBudgetMicros: 1 } });
    const run = await runWorkflow(s, factoryFor(s), { prompt: 'hi', tier: 'economy' });
    expect(run.status).toBe('failed');
    const steps = run.steps.filter((x) => x.nodeId === 'ask');
    expect(steps).toHaveLength(1);
    expect(steps[0]!.error).toMatchObject({ name: 'NonRetriableNodeError', retryable: false });
    expect(JSON.stringify(steps[0]!.error)).toMatch(/budget exceeded/);
    expect(called(s)).toEqual([]);
    expect(run.costMicros).toBe(0);
  });
});
