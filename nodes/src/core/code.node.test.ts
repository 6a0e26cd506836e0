// core.code: both modes, the errors a user sees, the limits, and the expression escape corpus
// (engine/src/expr/escape-corpus.test.ts) redone for a language that can do everything: here
// every attempt runs, and must find nothing of the host.
import { afterAll, describe, expect, it } from 'vitest';
import { createTestContext, NonRetriableNodeError, parseNodeConfig, type NodeContext } from '../contract/index.ts';
import { codeNode } from './code.node.ts';
import { MAX_CODE_WORKERS } from './code-pool.ts';
import { MAX_LOG_LINES } from './code-sandbox.ts';

type Ctx = Partial<NodeContext<unknown>>;

function context(config: Record<string, unknown>, overrides: Ctx = {}) {
  return createTestContext(parseNodeConfig(codeNode, config), overrides as Partial<NodeContext<never>>);
}

async function runCode(code: string, overrides: Ctx = {}, config: Record<string, unknown> = {}): Promise<unknown> {
  const { output } = await codeNode.run(context({ code, ...config }, overrides));
  return output;
}

async function failure(code: string, overrides: Ctx = {}, config: Record<string, unknown> = {}): Promise<NonRetriableNodeError> {
  try {
    await runCode(code, overrides, config);
  } catch (err) {
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    return err as NonRetriableNodeError;
  }
  throw new Error('expected the code to fail');
}

describe('core.code: runOnceForAllItems', () => {
  it('sees the input as items and returns items unwrapped', async () => {
    const code = 'return items.map((item) => ({ json: { n: item.json.n * 2 } }))';
    expect(await runCode(code, { input: [{ n: 1 }, { n: 2 }] })).toEqual([{ n: 2 }, { n: 4 }]);
  });

  it('offers $input.all(), first() and last(), and $json as the first item', async () => {
    const code = 'return { count: $input.all().length, first: $input.first().json.n, last: $input.last().json.n, json: $json.n }';
    expect(await runCode(code, { input: [{ n: 1 }, { n: 2 }, { n: 3 }] })).toEqual({ count: 3, first: 1, last: 3, json: 1 });
  });

  it('treats a single input value as one item, and returns plain values as they are', async () => {
    expect(await runCode('return items[0].json.name.toUpperCase()', { input: { name: 'ada' } })).toBe('ADA');
    expect(await runCode('return items.length', {})).toBe(0);
  });

  it('reads $trigger and $node outputs like expressions do', async () => {
    const code = 'return { who: $trigger.body.name, total: $node["fetch"].output.total }';
    const out = await runCode(code, { trigger: { body: { name: 'Ada' } }, nodes: { fetch: { output: { total: 42 } } } });
    expect(out).toEqual({ who: 'Ada', total: 42 });
  });

  it('may be async and await its own promises', async () => {
    expect(await runCode('const v = await Promise.resolve(20); return v + 1')).toBe(21);
  });

  it('does not change the input it was given', async () => {
    const input = [{ n: 1 }];
    await runCode('items[0].json.n = 99; return items', { input });
    expect(input).toEqual([{ n: 1 }]);
  });
});

describe('core.code: runOnceForEachItem', () => {
  const each = { mode: 'runOnceForEachItem' };

  it('runs once per item with $json, $input.item and $itemIndex', async () => {
    const code = 'return { doubled: $json.n * 2, same: $input.item.json.n === $json.n, index: $itemIndex }';
    expect(await runCode(code, { input: [{ n: 1 }, { n: 5 }] }, each)).toEqual([
      { doubled: 2, same: true, index: 0 },
      { doubled: 10, same: true, index: 1 },
    ]);
  });

  it('unwraps { json } items and keeps a single input single', async () => {
    expect(await runCode('return { json: { hi: $json.name } }', { input: { name: 'Ada' } }, each)).toEqual({ hi: 'Ada' });
  });

  it('names the item that returned nothing', async () => {
    const error = await failure('if ($json.n > 1) return $json', { input: [{ n: 2 }, { n: 1 }] }, each);
    expect(error.message).toBe('the code returned nothing for item 1: end it with "return …"');
  });
});

describe('core.code: errors name the problem', () => {
  it('a syntax error, with line and column', async () => {
    const error = await failure('const a = 1;\nconst b = ;\nreturn a');
    expect(error.message).toMatch(/^the code has a syntax error at line 2, column \d+: /);
    expect(error.details).toMatchObject({ problem: 'syntax', line: 2 });
  });

  it('a syntax error on the first line gets the user\'s column, not the wrapper\'s', async () => {
    const error = await failure('return )');
    expect(error.details).toMatchObject({ problem: 'syntax', line: 1, column: 8 });
  });

  it('a thrown error, with its message and line', async () => {
    const error = await failure('const x = 1;\n\nthrow new TypeError("no customer id");');
    expect(error.message).toMatch(/^the code threw TypeError: no customer id at line 3, column \d+$/);
    expect(error.details).toMatchObject({ problem: 'thrown', line: 3 });
  });

  it('a thrown non-Error value', async () => {
    expect((await failure('throw "plain"')).message).toBe('the code threw a string: plain');
  });

  it('a rejected promise', async () => {
    expect((await failure('await Promise.reject(new RangeError("late"))')).message).toMatch(/^the code threw RangeError: late/);
  });

  it('nothing returned', async () => {
    expect((await failure('const a = 1')).message).toBe('the code returned nothing: end it with "return …"');
  });

  it('a value JSON cannot hold', async () => {
    expect((await failure('return () => 1')).message).toMatch(/JSON cannot hold/);
    expect((await failure('const a = {}; a.self = a; return a')).message).toMatch(/^the code threw TypeError: circular/);
  });

  it('a promise that never settles', async () => {
    expect((await failure('await new Promise(() => {}); return 1')).message).toMatch(/never settles/);
  });

  it.each([
    ['an empty code', { code: '' }, ['code']],
    ['a timeout above 10 s', { code: 'return 1', timeoutMs: 10_001 }, ['timeoutMs']],
    ['a memory above 128 MB', { code: 'return 1', memoryMb: 129 }, ['memoryMb']],
    ['an unknown mode', { code: 'return 1', mode: 'runOnce' }, ['mode']],
    ['an unknown option', { code: 'return 1', language: 'python' }, []],
  ])('a config with %s', (_name, config, path) => {
    const result = codeNode.config.safeParse(config);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(path);
  });
});

describe('core.code: limits', () => {
  it('stops an endless loop at its time limit', async () => {
    const started = Date.now();
    const error = await failure('while (true) {}', {}, { timeoutMs: 200 });
    expect(error.message).toBe('the code ran longer than its 200 ms limit (an endless loop?)');
    expect(error.details).toMatchObject({ problem: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('stops an endless loop inside a promise job too', async () => {
    const error = await failure('await null; for (;;) {}', {}, { timeoutMs: 200 });
    expect(error.details).toMatchObject({ problem: 'timeout' });
  });

  it('stops when the run is cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    // Synchronous code holds the thread: an abort lands only through the interrupt handler.
    const ctx = context({ code: 'const end = Date.now() + 200; while (Date.now() < end) {} return 1', timeoutMs: 5_000 }, { signal: controller.signal });
    await expect(codeNode.run(ctx)).rejects.toThrow('the code was cancelled');
  });

  it('stops a running execution when the run is cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const ctx = context({ code: 'for (;;) {}', timeoutMs: 8_000 }, { signal: controller.signal });
    await expect(codeNode.run(ctx)).rejects.toThrow('the code was cancelled');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('runs on a worker thread: an endless loop does not hold the event loop', async () => {
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 10);
    try {
      await failure('for (;;) {}', {}, { timeoutMs: 400 });
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThanOrEqual(10);
  });

  it(`runs more executions than workers (${MAX_CODE_WORKERS}) at once, each with its own data`, async () => {
    const runs = Array.from({ length: MAX_CODE_WORKERS * 3 }, (_, i) => runCode('globalThis.mine = $json.i; return mine * 10', { input: { i } }));
    expect(await Promise.all(runs)).toEqual(Array.from({ length: MAX_CODE_WORKERS * 3 }, (_, i) => i * 10));
  });

  it.each([
    ['objects', 'const a = []; for (;;) a.push({ a: 1, b: [1, 2, 3] })'],
    ['a buffer', 'return new ArrayBuffer(64 * 1024 * 1024).byteLength'],
    ['a doubling string', 'let s = "x"; for (;;) s += s'],
  ])('stops a memory bomb made of %s', async (_name, code) => {
    const error = await failure(code, {}, { memoryMb: 8, timeoutMs: 5_000 });
    expect(error.message).toBe('the code ran out of memory: it may use 8 MB, its input included');
    expect(error.details).toMatchObject({ problem: 'memory' });
  });

  it('stops deep recursion at the stack limit', async () => {
    const error = await failure('function down(n) { return down(n + 1) + 1 }\nreturn down(0)');
    expect(error.message).toMatch(/^the code exceeded the stack limit \(recursion too deep\) at line 1/);
    expect(error.details).toMatchObject({ problem: 'stack' });
  });

  it('allows ordinary recursion', async () => {
    expect(await runCode('const f = (n) => (n === 0 ? 0 : 1 + f(n - 1)); return f(1000)')).toBe(1000);
  });

  it('captures console output into the step log, bounded', async () => {
    const ctx = context({ code: 'console.log("hello", { a: 1 }, [2]); console.warn("careful"); for (let i = 0; i < 500; i++) console.log("x".repeat(5000)); return 1' });
    await codeNode.run(ctx);
    expect(ctx.logs[0]).toEqual({ level: 'info', message: 'console', fields: { line: 'hello {"a":1} [2]' } });
    expect(ctx.logs[1]).toEqual({ level: 'warn', message: 'console', fields: { line: 'careful' } });
    expect(ctx.logs).toHaveLength(MAX_LOG_LINES + 1);
    expect((ctx.logs[2]!.fields!.line as string).length).toBeLessThanOrEqual(1_001);
    expect(ctx.logs.at(-1)).toEqual({ level: 'warn', message: 'console', fields: { line: `402 more console lines were dropped (at most ${MAX_LOG_LINES} are kept)` } });
  });
});

// Standard ECMAScript globals QuickJS defines, plus ours. Anything else would be a host object.
const EXPECTED_GLOBALS = [
  'AggregateError', 'Array', 'ArrayBuffer', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'Boolean', 'DataView', 'Date', 'Error', 'EvalError',
  'FinalizationRegistry', 'Float16Array', 'Float32Array', 'Float64Array', 'Function', 'Infinity', 'Int16Array', 'Int32Array', 'Int8Array',
  'InternalError', 'Iterator', 'JSON', 'Map', 'Math', 'NaN', 'Number', 'Object', 'Promise', 'Proxy', 'RangeError', 'ReferenceError', 'Reflect',
  'RegExp', 'Set', 'SharedArrayBuffer', 'String', 'Symbol', 'SyntaxError', 'TypeError', 'URIError', 'Uint16Array', 'Uint32Array', 'Uint8Array',
  'Uint8ClampedArray', 'WeakMap', 'WeakRef', 'WeakSet', 'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'eval',
  'globalThis', 'isFinite', 'isNaN', 'parseFloat', 'parseInt', 'undefined', 'unescape',
  'console', '$trigger', '$node',
].sort();

describe('core.code: escape corpus', () => {
  it('globalThis holds only the language and our three names', async () => {
    expect(await runCode('return Object.getOwnPropertyNames(globalThis).sort()')).toEqual(EXPECTED_GLOBALS);
  });

  it.each([
    ['constructor chains', 'return (function () {}).constructor.constructor("return typeof process")()'],
    ['Function', 'return Function("return typeof process + typeof require + typeof module")()'],
    ['eval', 'return eval("typeof process + typeof require")'],
    ['indirect eval', 'return (0, eval)("typeof globalThis.process")'],
    ['this in sloppy mode', 'return (function () { return typeof this.process })()'],
    ['a string\'s constructor', 'return "".constructor.constructor("return typeof fetch + typeof setTimeout")()'],
    ['async function constructor', 'return await (async () => {}).constructor("return typeof process")()'],
    ['class extends Function', 'class F extends Function {}; return new F("return typeof require")()'],
    ['Error.prepareStackTrace', 'Error.prepareStackTrace = (e, s) => s; try { null.x } catch (e) { return typeof e.stack === "string" ? "undefined" : "structured" }'],
    ['Reflect', 'return typeof Reflect.get(globalThis, "process")'],
    ['with', 'with (globalThis) { return typeof process }'],
    ['console internals', 'return console.log.constructor("return typeof process")()'],
  ])('%s find no host', async (_name, code) => {
    const out = await runCode(code);
    expect(out).toMatch(/^(undefined)+$/);
  });

  it.each(['process', 'require', 'module', 'fetch', 'setTimeout', 'setInterval', 'queueMicrotask', 'WebAssembly', 'std', 'os', 'Buffer', 'XMLHttpRequest', 'emit'])(
    '%s is not defined',
    async (name) => {
      expect(await runCode(`return typeof ${name}`)).toBe('undefined');
    },
  );

  it('import() loads no module', async () => {
    const error = await failure('const fs = await import("fs"); return typeof fs.readFileSync');
    expect(error.details).toMatchObject({ problem: 'thrown' });
    expect(error.message).toMatch(/fs/);
  });

  it('a static import is a syntax error', async () => {
    expect((await failure('import fs from "fs"; return 1')).details).toMatchObject({ problem: 'syntax' });
  });

  it('prototype pollution stays inside', async () => {
    const code = 'Object.prototype.polluted = 1; Array.prototype.map = null; JSON.parse = null; return JSON.stringify({}) === "{}" ? { ok: true } : 0';
    expect(await runCode(code)).toEqual({ ok: true });
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
    expect(typeof Array.prototype.map).toBe('function');
  });

  it('a __proto__ key in the result is an own key on the host, not a prototype', async () => {
    const out = (await runCode('return JSON.parse(\'{"__proto__": {"polluted": true}}\')')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('state from one run is invisible to the next', async () => {
    await runCode('globalThis.leak = 42; Object.prototype.seen = true; console.secret = 1; return 1');
    expect(await runCode('return [typeof leak, typeof ({}).seen, typeof console.secret]')).toEqual(['undefined', 'undefined', 'undefined']);
  });

  it('replacing JSON.stringify does not change how the result is read', async () => {
    expect(await runCode('JSON.stringify = () => "garbage"; return { n: 1 }')).toEqual({ n: 1 });
  });
});

afterAll(() => {
  expect(Object.keys(Object.prototype)).toEqual([]);
});
