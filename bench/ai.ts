// AI benchmark, no database or network: (a) the router's own cost per call (estimate, select,
// budget, usage event) with providers that answer at once; (b) credential encryption per
// operation; (c) what routing would save on a trace of real AI calls from public n8n workflows.
import { hkdfSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { aiRouter } from '@keyflow/engine';
import { fernetDecrypt, fernetEncrypt, Keyring } from '@keyflow/engine/vault';
import { assumedUsage, costTrace, requestOf, savingsPct, taskOf, type Arm } from './support/ai-savings.ts';
import { allProviderCredentials, benchRouter } from './support/ai-stubs.ts';
import { timeOp, type Timing } from './support/ai-timing.ts';
import type { TraceCall } from './support/ai-trace-extract.ts';
import { formatTable } from './support/format-table.ts';

const ITERATIONS = 10_000;
const WARMUP = 2_000;
const TARGET_P99_US = 50;
/** Output tokens assumed for a call that sets no maxTokens. */
const DEFAULT_OUTPUT_TOKENS = 1_000;
const TRACE_FILE = new URL('./data/ai-trace.json', import.meta.url);

const out = (line = '') => process.stdout.write(`${line}\n`);
const us = (n: number) => n.toFixed(n < 10 ? 2 : 1);
const dollars = (micros: number) => `$${(micros / 1e6).toFixed(4)}`;
const verdict = (t: Timing) => (t.p99Us < TARGET_P99_US ? 'PASS' : 'MISS');
const timingRow = (name: string, t: Timing, target: boolean): string[] => [name, us(t.p50Us), us(t.p99Us), us(t.meanUs), target ? verdict(t) : ''];

function loadTrace(): TraceCall[] {
  const data: unknown = JSON.parse(readFileSync(TRACE_FILE, 'utf8'));
  if (!Array.isArray(data) || !data.every((c) => typeof c === 'object' && c !== null && 'provider' in c && 'needs' in c && 'userTokens' in c)) {
    throw new Error(`${TRACE_FILE.pathname} is not a trace of AI calls`);
  }
  return data as TraceCall[];
}

async function routingOverhead(trace: TraceCall[]): Promise<void> {
  const { router, usage } = benchRouter(assumedUsage);
  const credentials = allProviderCredentials();
  const requests = trace.map((c) => ({ request: requestOf(c, DEFAULT_OUTPUT_TOKENS), needs: c.needs }));
  const pick = (i: number) => requests[i % requests.length] ?? { request: requestOf(trace[0] as TraceCall, DEFAULT_OUTPUT_TOKENS), needs: {} };
  const opts = { iterations: ITERATIONS, warmup: WARMUP };
  const qualityTasks = trace.map(taskOf);
  const cheapest = await timeOp((i) => router.route({ ownerId: 'bench-owner', credentials, ...pick(i) }), opts);
  const quality = await timeOp((i) => router.route({ ownerId: 'bench-owner', credentials, ...pick(i), quality: { task: qualityTasks[i % qualityTasks.length] ?? 'general', referenceModel: 'openai/gpt-4o-mini', margin: 'equal' } }), opts);
  const premium = await timeOp((i) => router.route({ ownerId: 'bench-owner', credentials, ...pick(i), needs: { ...pick(i).needs, tier: 'premium' } }), opts);
  // A fixed short prompt separates the selection itself from the estimator, which reads every character.
  const short = { request: { system: 'You sort support emails.', messages: [{ role: 'user' as const, content: 'x'.repeat(400) }], maxTokens: 500 }, needs: { json: true } };
  const fixed = await timeOp(() => router.route({ ownerId: 'bench-owner', credentials, ...short }), opts);
  const estimate = await timeOp((i) => aiRouter.estimatePromptTokens(pick(i).request), opts);
  const promptChars = trace.map((c) => (c.systemTokens + c.userTokens) * 4).sort((a, b) => a - b);
  out(`(a) Routing decision per call, excluding the network: route() with instant in-memory providers, budget and usage sink`);
  out(`    ${ITERATIONS} calls after ${WARMUP} warm-up, cycling through the ${trace.length} traced prompts (median ${promptChars[promptChars.length >> 1]} chars), keys for all five providers`);
  out(formatTable(['operation', 'p50 µs', 'p99 µs', 'mean µs', `p99 < ${TARGET_P99_US} µs`], [
    timingRow('route(), cheapest capable', cheapest, true),
    timingRow('route(), quality rule vs gpt-4o-mini', quality, true),
    timingRow('route(), tier premium', premium, true),
    timingRow('route(), fixed 424-char prompt, JSON', fixed, true),
    timingRow('  of which: prompt token estimate', estimate, false),
  ]));
  out(`    usage events written: ${usage.count}; p99 includes GC pauses and whatever else shares the CPU`);
  out();
}

async function encryption(): Promise<void> {
  const oldKey = randomBytes(32);
  const keyring = new Keyring([randomBytes(32), oldKey]);
  const secret = `sk-proj-${randomBytes(36).toString('base64url')}`;
  const owners = Array.from({ length: 64 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  const sealed = owners.map((o) => keyring.encrypt(o, secret).ciphertext);
  const sealedOld = owners.map((o) => new Keyring([oldKey]).encrypt(o, secret).ciphertext);
  // What a per-owner key cache would hand out: the derivation done once.
  const derived = randomBytes(32);
  const token = fernetEncrypt(derived, secret);
  const salt = Buffer.from('bench-salt');
  const opts = { iterations: ITERATIONS, warmup: WARMUP };
  const owner = (i: number) => owners[i % owners.length] ?? '';
  const rows = [
    timingRow('Keyring.encrypt (HKDF + Fernet)', await timeOp((i) => keyring.encrypt(owner(i), secret), opts), true),
    timingRow('Keyring.decrypt, primary key', await timeOp((i) => keyring.decrypt(owner(i), sealed[i % sealed.length] ?? ''), opts), true),
    timingRow('Keyring.decrypt, second key (rotation window)', await timeOp((i) => keyring.decrypt(owner(i), sealedOld[i % sealedOld.length] ?? ''), opts), true),
    timingRow('fernetEncrypt, key already derived', await timeOp(() => fernetEncrypt(derived, secret), opts), true),
    timingRow('fernetDecrypt, key already derived', await timeOp(() => fernetDecrypt(derived, token), opts), true),
    timingRow('  HKDF-SHA256 derivation alone', await timeOp((i) => hkdfSync('sha256', oldKey, salt, owner(i), 32), opts), false),
  ];
  out(`(b) Credential encryption per operation (${secret.length}-char key, ${owners.length} owners). The keyring caches each owner's derived key (LRU),`);
  out(`    so after the first call per owner only Fernet itself runs; the HKDF row shows what a cache miss adds.`);
  out(formatTable(['operation', 'p50 µs', 'p99 µs', 'mean µs', `p99 < ${TARGET_P99_US} µs`], rows));
  out();
}

function armRow(name: string, a: Arm, base: Arm | undefined): string[] {
  return [name, dollars(a.totalMicros), String(a.medianMicros), base ? `${savingsPct(base, a).toFixed(1)} %` : '—', a.models.slice(0, 3).map(([m, n]) => `${m} ×${n}`).join(', ')];
}

async function savings(trace: TraceCall[]): Promise<void> {
  const r = await costTrace(trace, { defaultOutputTokens: DEFAULT_OUTPUT_TOKENS });
  const excluded = r.unknown.reduce((n, [, c]) => n + c, 0);
  out(`(c) Savings on ${r.calls} AI calls from ${new Set(trace.map((c) => c.file)).size} public n8n workflows (bench/data/ai-trace.json), prices of ${aiRouter.priceDate}`);
  out(`    ESTIMATE, not measured usage: prompt = template text as written (data filled into {{ }} at run time is unknown), one image per`);
  out(`    vision call, output = the node's maxTokens or ${DEFAULT_OUTPUT_TOKENS} tokens, one model call per node (agents' tool loops not counted).`);
  out(`    Owner holds keys for all five providers. "same tier": cheapest model of at least the author's model's tier meeting the call's`);
  out(`    needs (JSON ${trace.filter((c) => c.needs.json).length}, tools ${trace.filter((c) => c.needs.tools).length}, vision ${trace.filter((c) => c.needs.vision).length} calls); "cheapest capable": the needs alone.`);
  out(`    Tasks (from the node kind, else images → vision, JSON → extraction, else general): ${r.tasks.map(([t, n]) => `${t} ×${n}`).join(', ')}.`);
  out(`    Methods:`);
  out(`      quality rule   — Keyflow's rule (issue 12): cheapest of the owner's models meeting the needs that scores at least as well as the`);
  out(`                       author's model on every shared measure of the task's categories (same source and release; noise: 95% CI or a`);
  out(`                       fixed margin), never an unscored, retired or code-only model (code models only for coding). Same quality or better.`);
  out(`      within 2%      — the same, allowing 2% below the author's model (owner setting "within 2%").`);
  out(`      same tier      — price-only rule before issue 12: cheapest model of at least the author's model's price tier. Quality NOT checked.`);
  out(`      cheapest capable — the needs alone (owner setting "any capable"). Quality NOT checked.`);
  out(formatTable(['', 'total', 'median µ$/call', 'saved', 'most used models'], [
    armRow('as configured (author\'s model)', r.configured, undefined),
    armRow('Keyflow, quality rule (as good)', r.quality, r.configured),
    armRow('Keyflow, quality rule, within 2%', r.quality2pct, r.configured),
    armRow('price only: same tier', r.sameTier, r.configured),
    armRow('price only: cheapest capable', r.cheapest, r.configured),
  ]));
  out(`    quality rule: ${r.qualityKept.equal} call(s) stayed on the author's model (no cheaper model shown as good: unscored reference, or`);
  out(`    none scored as well), ${r.qualityKept.within_2pct} within 2%; ${r.qualityUnroutable} call(s) named a retired model with no scored substitute (priced as configured).`);
  out(`    priced calls: ${r.priced} of ${r.calls}; excluded, model not in the price table: ${excluded} (${r.unknown.map(([m, n]) => `${m} ×${n}`).join(', ')})`);
  out(`    of the priced calls, ${r.defaultedModels} left the model at n8n's default (taken as gpt-4o-mini for chat nodes, gpt-4o for image analysis);`);
  out(`    ${r.unroutable} routing(s) found no capable model and kept the author's model.`);
}

export async function runAiBench(): Promise<void> {
  const trace = loadTrace();
  out(`bench ai — Node ${process.versions.node}, ${new Date().toISOString()}`);
  out();
  await routingOverhead(trace);
  await encryption();
  await savings(trace);
}
