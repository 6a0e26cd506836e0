// SECURITY.md "Expressions": the escape corpus tried through the running app, as a user would:
// workflows saved and run over the API (real Postgres) whose core.code nodes try to reach the
// host (process, require, fetch, constructor chains, import(), prototype tricks), and whose
// expressions try the same in a transform field, written in the node or steered by the payload.
// The unit-sized corpora are nodes/src/core/code.node.test.ts and engine/src/expr/escape-corpus.test.ts;
// these prove the route from the API to the sandboxes adds no way out, and that nothing reaches
// the run record or the host.
// Seen failing: the code tests when the sandbox was given a host `process` (a
// `vm.setProp(vm.global, 'process', …)` added in nodes/src/core/code-sandbox.ts); the expression
// tests when readMember's run-time FORBIDDEN_KEYS check was removed (engine/src/expr/property-access.ts).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support.ts';

let t: TestApp;
let token: string;
const CANARY = `sk-canary-${randomUUID()}`;
const pos = { x: 0, y: 0 };

beforeAll(async () => {
  // A secret in the server process's environment: no code may read it.
  process.env.KF_SECURITY_CANARY = CANARY;
  t = await createTestApp('postgres');
  token = (await t.signup()).token;
});
afterAll(async () => {
  delete process.env.KF_SECURITY_CANARY;
  await t.close();
});

type Run = { id: string; status: string; output: unknown; error: unknown; steps: { nodeId: string; status: string; output: unknown; error: unknown }[] };

async function runCodes(codes: Record<string, string>, payload: unknown = {}): Promise<Run> {
  const ids = Object.keys(codes);
  const graph = {
    nodes: [{ id: 'start', type: 'core.manual', version: 1, config: {}, position: pos }, ...ids.map((id) => ({ id, type: 'core.code', version: 1, config: { code: codes[id] }, position: pos }))],
    edges: ids.map((id) => ({ id: `e-${id}`, source: 'start', target: id })),
  };
  const created = await t.request('POST', '/api/workflows', { token, body: { name: `escapes ${randomUUID().slice(0, 8)}`, graph } });
  expect(created.status, await created.clone().text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  return runWorkflow(id, payload);
}

async function runWorkflow(id: string, payload: unknown): Promise<Run> {
  const started = await t.request('POST', `/api/workflows/${id}/run`, { token, body: { payload } });
  expect(started.status).toBe(202);
  const { runId } = (await started.json()) as { runId: string };
  for (let i = 0; i < 600; i++) {
    const res = await t.request('GET', `/api/runs/${runId}`, { token });
    const text = await res.text();
    const run = JSON.parse(text) as Run;
    if (['succeeded', 'failed', 'cancelled'].includes(run.status)) {
      // Whatever the code did, the host's secret is not in what the API answers.
      expect(text).not.toContain(CANARY);
      return run;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`run ${runId} did not finish`);
}

const outputOf = (run: Run, id: string) => run.steps.find((s) => s.nodeId === id)?.output;
const errorOf = (run: Run, id: string) => run.steps.find((s) => s.nodeId === id)?.error as { message?: string; details?: { problem?: string } } | undefined;

describe('core.code escapes through the API', () => {
  const reachHost: Record<string, string> = {
    globals: 'return [typeof process, typeof require, typeof module, typeof fetch, typeof XMLHttpRequest, typeof setTimeout, typeof Buffer, typeof WebAssembly].join(",")',
    ctorChain: 'return (function () {}).constructor.constructor("return typeof process")()',
    objectCtor: 'return ({}).constructor.constructor("return typeof globalThis.process + typeof globalThis.require")()',
    asyncCtor: 'return await (async () => {}).constructor("return typeof process")()',
    classExtends: 'class F extends Function {}; return new F("return typeof require")()',
    indirectEval: 'return (0, eval)("typeof globalThis.process")',
    sloppyThis: 'return (function () { return typeof this.process })()',
    withGlobal: 'with (globalThis) { return typeof process }',
    prepareStack: 'Error.prepareStackTrace = (e, s) => s.map((f) => typeof f.getThis); try { null.x } catch (e) { return typeof e.stack === "string" ? "undefined" : "structured" }',
    envByName: 'try { return String(process.env.KF_SECURITY_CANARY) } catch (e) { return "undefined" }',
    consoleCtor: 'return console.log.constructor("return typeof process")()',
  };

  it('finds no process, require, fetch or timer by any route (constructor chains, eval, with, Error.prepareStackTrace)', async () => {
    const run = await runCodes(reachHost);
    expect(run.status).toBe('succeeded');
    const seen = Object.fromEntries(Object.keys(reachHost).map((id) => [id, outputOf(run, id)]));
    expect(seen).toEqual({
      globals: 'undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined',
      ctorChain: 'undefined',
      objectCtor: 'undefinedundefined',
      asyncCtor: 'undefined',
      classExtends: 'undefined',
      indirectEval: 'undefined',
      sloppyThis: 'undefined',
      withGlobal: 'undefined',
      prepareStack: 'undefined',
      envByName: 'undefined',
      consoleCtor: 'undefined',
    });
  });

  it('import() of a Node module fails the step, and a static import is a syntax error', async () => {
    const run = await runCodes({
      dynamic: 'const fs = await import("node:fs"); return fs.readFileSync("/etc/passwd", "utf8")',
      childProcess: 'const cp = await import("child_process"); return cp.execSync("id").toString()',
      staticImport: 'import fs from "fs"; return 1',
    });
    expect(run.status).toBe('failed');
    expect(errorOf(run, 'dynamic')?.details?.problem).toBe('thrown');
    expect(errorOf(run, 'childProcess')?.details?.problem).toBe('thrown');
    expect(errorOf(run, 'staticImport')?.details?.problem).toBe('syntax');
    expect(JSON.stringify(run)).not.toMatch(/root:x:0:0|uid=\d+/);
  });

  it('prototype pollution and globals stay in their run: the server and the next run see nothing', async () => {
    const first = await runCodes({
      pollute: 'Object.prototype.polluted = "yes"; Array.prototype.join = () => "hijacked"; globalThis.leftover = 1; JSON.parse = null; return { ok: [1, 2].join("-") === "hijacked" }',
      protoKey: 'return JSON.parse(\'{"__proto__": {"isAdmin": true}, "constructor": {"prototype": {"isAdmin": true}}}\')',
    });
    expect(first.status).toBe('succeeded');
    expect(outputOf(first, 'pollute')).toEqual({ ok: true });
    // The host's prototypes are untouched by the code and by the result it returned.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect([1, 2].join('-')).toBe('1-2');
    const next = await runCodes({ look: 'return [typeof leftover, typeof ({}).polluted, [1, 2].join("-"), typeof JSON.parse].join(",")' });
    expect(outputOf(next, 'look')).toBe('undefined,undefined,1-2,function');
    // The API still answers normally afterwards.
    expect((await t.request('GET', '/api/workflows', { token })).status).toBe(200);
  });

  it('an endless loop and a huge string fail their step without holding the server', async () => {
    const spin = runCodes({ spin: 'for (;;) {}', huge: 'let s = "x"; for (;;) s += s; return s.length' });
    // The API keeps answering while the run's code is busy.
    const health = await t.request('GET', '/api/workflows', { token });
    expect(health.status).toBe(200);
    const run = await spin;
    expect(run.status).toBe('failed');
    expect(errorOf(run, 'spin')?.details?.problem).toBe('timeout');
    expect(['memory', 'timeout']).toContain(errorOf(run, 'huge')?.details?.problem);
  });
});

describe('expression escapes through the API', () => {
  // From engine/src/expr/escape-corpus.test.ts: each is refused on save (422 naming the node's
  // field) or fails its step with an expression error; none reaches the host.
  const corpus = [
    "{{ this.constructor.constructor('return process')() }}",
    "{{ $trigger.constructor.constructor('return process')() }}",
    "{{ $trigger['con'+'structor'] }}",
    '{{ $trigger.__proto__ }}',
    "{{ $trigger['__pro' + 'to__'].polluted }}",
    '{{ { "__proto__": { "polluted": 1 } } }}',
    '{{ globalThis.process }}',
    '{{ process.env.KF_SECURITY_CANARY }}',
    "{{ require('fs') }}",
    "{{ import('fs') }}",
    '{{ Error.prepareStackTrace = (e, s) => s }}',
    "{{ new Function('return process')() }}",
    '{{ class extends Function {} }}',
    '{{ [...$trigger.body] }}',
    '{{ with ($trigger) { body } }}',
    '{{ while (true) {} }}',
    '{{ "x".repeat(1e9) }}',
  ];
  const transform = (value: string) => ({
    nodes: [
      { id: 'start', type: 'core.manual', version: 1, config: {}, position: pos },
      { id: 'shape', type: 'core.transform', version: 1, config: { fields: [{ name: 'v', value }] }, position: pos },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'shape' }],
  });

  it.each(corpus)('%s is refused on save or fails its step, and reaches nothing', async (template) => {
    const created = await t.request('POST', '/api/workflows', { token, body: { name: 'expression escape', graph: transform(template) } });
    if (created.status === 422) {
      expect(JSON.stringify(await created.json())).toContain('"config"');
      return;
    }
    expect(created.status).toBe(201);
    const run = await runWorkflow(((await created.json()) as { id: string }).id, { body: {} });
    expect(run.status).toBe('failed');
    expect(errorOf(run, 'shape')?.message).toMatch(/not supported|not allowed|unknown|too long|limit/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keys steered by the payload ("__proto__", "constructor") are refused at run time', async () => {
    const created = await t.request('POST', '/api/workflows', { token, body: { name: 'steered', graph: transform('{{ $trigger.obj[$trigger.key] }}') } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const run = await runWorkflow(id, { obj: { a: 1 }, key });
      expect(run.status, key).toBe('failed');
      expect(errorOf(run, 'shape')?.message, key).toMatch(new RegExp(`access to "${key}" is not allowed`));
    }
    const ok = await runWorkflow(id, { obj: { a: 1 }, key: 'a' });
    expect(ok.status).toBe('succeeded');
    expect(outputOf(ok, 'shape')).toEqual({ v: 1 });
  });

  it('expression text inside the payload stays data', async () => {
    const created = await t.request('POST', '/api/workflows', { token, body: { name: 'data', graph: transform('{{ $trigger.text }}') } });
    const { id } = (await created.json()) as { id: string };
    const text = "{{ this.constructor.constructor('return process')() }}";
    const run = await runWorkflow(id, { text });
    expect(run.status).toBe('succeeded');
    expect(outputOf(run, 'shape')).toEqual({ v: text });
  });
});
