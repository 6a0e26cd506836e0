// `npm run bench -- ai-quality`: answers of real models on a small fixed task set
// (bench/data/ai-quality-tasks.json), checked automatically, with pass rate and cost per model
// and for the router's choice under the quality rule. Calls real providers with the operator's
// keys, so it never runs in CI (fakes cannot judge quality); without keys it prints what it would run.
//
// Keys (environment): OPENAI_API_KEY, ANTHROPIC_API_KEY, DEEPSEEK_API_KEY, GEMINI_API_KEY,
// AZURE_OPENAI_API_KEY with AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_VERSION.
// KEYFLOW_EVAL_MODELS=openai/gpt-4o-mini,gemini/gemini-2.5-flash,… replaces the default model list.
import { readFileSync } from 'node:fs';
import { aiRouter, createProviders, providerIds, type ProviderCredential, type ProviderId } from '@keyflow/engine';
import { Secret } from '@keyflow/engine/vault';
import { checkAnswer, parseTaskFile, type EvalTask } from './support/ai-quality-checks.ts';
import { formatTable } from './support/format-table.ts';

const TASKS_FILE = new URL('./data/ai-quality-tasks.json', import.meta.url);
const DEFAULT_MODELS = ['openai/gpt-4o-mini', 'openai/gpt-4.1-nano', 'openai/gpt-5-nano', 'anthropic/claude-haiku-4-5', 'deepseek/deepseek-v3.2', 'gemini/gemini-2.5-flash', 'gemini/gemini-2.5-flash-lite'];
const ROUTER = 'router (quality rule, as good as each task’s reference)';

const out = (line = '') => process.stdout.write(`${line}\n`);
const dollars = (micros: number) => `$${(micros / 1e6).toFixed(4)}`;

function credentialsFromEnv(env: NodeJS.ProcessEnv): Partial<Record<ProviderId, ProviderCredential>> {
  const creds: Partial<Record<ProviderId, ProviderCredential>> = {};
  const plain: [ProviderId, string][] = [['openai', 'OPENAI_API_KEY'], ['anthropic', 'ANTHROPIC_API_KEY'], ['deepseek', 'DEEPSEEK_API_KEY'], ['gemini', 'GEMINI_API_KEY']];
  for (const [p, name] of plain) if (env[name]) creds[p] = { apiKey: new Secret(env[name]) };
  if (env.AZURE_OPENAI_API_KEY && env.AZURE_OPENAI_ENDPOINT && env.AZURE_OPENAI_API_VERSION) creds.azure_openai = { apiKey: new Secret(env.AZURE_OPENAI_API_KEY), baseUrl: env.AZURE_OPENAI_ENDPOINT, apiVersion: env.AZURE_OPENAI_API_VERSION };
  return creds;
}

/** The model the router would pick for `task` among `providers` (same ranking and rule as a real call). */
export function routerChoice(catalog: aiRouter.Catalog, task: EvalTask, providers: ReadonlySet<ProviderId>): string {
  const needs = { json: task.schema !== undefined };
  const promptTokens = aiRouter.estimatePromptTokens({ system: task.system, messages: [{ role: 'user', content: task.prompt }] });
  const ranked = aiRouter.rankCandidates({ catalog, needs, providers, promptTokens, maxTokens: task.maxTokens });
  const q = aiRouter.applyQuality(ranked, { task: task.task, referenceModel: task.reference, margin: 'equal' }, needs, { catalog, quality: aiRouter.loadQuality(), today: new Date().toISOString().slice(0, 10), promptTokens, maxTokens: task.maxTokens });
  return (q.models[0] as aiRouter.CatalogModel).ref;
}

interface Tally {
  passed: number;
  run: number;
  errors: number;
  costMicros: number;
  failures: string[];
}

export async function runAiQualityBench(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const tasks = parseTaskFile(JSON.parse(readFileSync(TASKS_FILE, 'utf8')));
  const catalog = aiRouter.loadCatalog();
  const creds = credentialsFromEnv(env);
  const held = new Set(Object.keys(creds) as ProviderId[]);
  const wanted = (env.KEYFLOW_EVAL_MODELS ? env.KEYFLOW_EVAL_MODELS.split(',').map((s) => s.trim()).filter(Boolean) : DEFAULT_MODELS);
  for (const ref of wanted) if (!catalog.find(ref)) throw new Error(`KEYFLOW_EVAL_MODELS: ${ref} is not in the price table`);

  out(`bench ai-quality — ${tasks.length} tasks (${[...new Set(tasks.map((t) => t.task))].join(', ')}), prices of ${aiRouter.priceDate}`);
  if (held.size === 0) {
    out('No provider keys in the environment: nothing is called. With keys this would run:');
    out(formatTable(['model', 'tasks'], wanted.map((m) => [m, String(tasks.length)])));
    const all = new Set<ProviderId>(providerIds);
    out(`and the router's choice per task with keys for all five providers (quality rule, margin "at least as good as"):`);
    out(formatTable(['task', 'kind', 'reference', 'router would call'], tasks.map((t) => [t.id, t.task, t.reference, routerChoice(catalog, t, all)])));
    out('Set OPENAI_API_KEY, ANTHROPIC_API_KEY, DEEPSEEK_API_KEY, GEMINI_API_KEY and/or AZURE_OPENAI_API_KEY (+ _ENDPOINT, _API_VERSION) to run it.');
    return;
  }

  const providers = createProviders();
  const models = wanted.filter((ref) => held.has(ref.split('/')[0] as ProviderId));
  const tallies = new Map<string, Tally>();
  const tally = (name: string) => {
    let t = tallies.get(name);
    if (!t) tallies.set(name, (t = { passed: 0, run: 0, errors: 0, costMicros: 0, failures: [] }));
    return t;
  };
  const answers = new Map<string, { pass: boolean; cost: number; problems: string[] } | 'error'>();
  async function ask(ref: string, task: EvalTask) {
    const key = `${ref}\u0000${task.id}`;
    const seen = answers.get(key);
    if (seen) return seen;
    const m = catalog.find(ref) as aiRouter.CatalogModel;
    const cred = creds[m.provider] as ProviderCredential;
    try {
      const r = await providers[m.provider].complete({ model: m.model, system: task.system, messages: [{ role: 'user', content: task.prompt }], maxTokens: task.maxTokens, temperature: 0, ...(task.schema ? { json: { schema: task.schema, name: 'answer' } } : {}) }, cred);
      const verdict = checkAnswer(task, r.text);
      const a = { pass: verdict.pass, cost: aiRouter.costMicros(m, r.usage), problems: verdict.problems };
      answers.set(key, a);
      return a;
    } catch (err) {
      // Names only: a provider's error body may quote the request.
      process.stderr.write(`${ref} on ${task.id}: ${err instanceof Error ? err.name : 'error'}\n`);
      answers.set(key, 'error');
      return 'error' as const;
    }
  }
  const record = (name: string, task: EvalTask, a: Awaited<ReturnType<typeof ask>>) => {
    const t = tally(name);
    t.run++;
    if (a === 'error') {
      t.errors++;
      return;
    }
    t.costMicros += a.cost;
    if (a.pass) t.passed++;
    else t.failures.push(`${task.id}: ${a.problems[0] ?? ''}`);
  };
  for (const task of tasks) {
    for (const ref of models) record(ref, task, await ask(ref, task));
    const chosen = routerChoice(catalog, task, held);
    record(ROUTER, task, await ask(chosen, task));
    out(`  ${task.id}: router chose ${chosen}`);
  }
  out(formatTable(['model', 'passed', 'pass rate', 'errors', 'cost of the set', 'first failures'], [...tallies].map(([name, t]) => [name, `${t.passed}/${t.run}`, `${((100 * t.passed) / Math.max(1, t.run - t.errors)).toFixed(0)} %`, String(t.errors), dollars(t.costMicros), t.failures.slice(0, 2).join('; ')])));
  out(`Held keys: ${[...held].join(', ')}. Temperature 0; one answer per task and model; checks in bench/support/ai-quality-checks.ts.`);
}
