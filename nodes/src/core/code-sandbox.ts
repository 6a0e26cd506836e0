// Runs a user's JavaScript in QuickJS compiled to WebAssembly. The boundary is the WASM heap:
// the code gets a fresh runtime (its own heap, its own globals) per execution, its data as one
// JSON string it parses itself, and gives back one JSON string. The host passes in exactly one
// function (the console sink, which takes strings); there is no process, require, fetch, file
// system, timer or module loader inside, so `import()` finds nothing.
//
// Limits: time through the interrupt handler (QuickJS calls it every few thousand operations,
// including inside regex and JSON work), memory through the runtime's allocator limit, stack
// through QuickJS's own stack check. Execution is synchronous, so under Node it runs on a
// worker thread (code-pool.ts) and never holds the event loop.
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';
import { NodeError, NonRetriableNodeError } from '../contract/index.ts';
import type { CodeItem } from './code-items.ts';
import type { CodeMode } from './code-modes.ts';
import { discardQuickJsModule, quickJsModule } from './quickjs-module.ts';


/**
 * QuickJS's own stack check, in bytes of the WebAssembly stack. WASM frames also use the host's
 * native stack, and at 512 KB deep recursion overflowed Node's before QuickJS noticed; 256 KB
 * stops it inside QuickJS with room to spare, and still allows about a thousand frames.
 */
export const CODE_STACK_BYTES = 256 * 1024;
/** console output kept per execution; beyond it lines are counted, not kept. */
export const MAX_LOG_LINES = 100;
export const MAX_LOG_LINE_CHARS = 1_000;
/** Error messages quote the user's text; kept short for the run record. */
const MAX_ERROR_CHARS = 500;

export interface SandboxData {
  items: CodeItem[];
  trigger: unknown;
  nodes: Record<string, { output: unknown }>;
}

export interface SandboxOptions {
  code: string;
  mode: CodeMode;
  data: SandboxData;
  timeoutMs: number;
  memoryMb: number;
  /** Polled by the interrupt handler: true stops the code (the run was cancelled). */
  isCancelled?: () => boolean;
  onLog(level: 'info' | 'warn' | 'error', line: string): void;
}

/** runOnceForAllItems: what the code returned; runOnceForEachItem: one value per item. */
export type SandboxResult = { mode: 'runOnceForAllItems'; value: unknown } | { mode: 'runOnceForEachItem'; values: unknown[] };

export type CodeProblem = 'syntax' | 'thrown' | 'timeout' | 'memory' | 'stack' | 'result';

const FILE = 'code.js';
// The user's first line follows the header on the same line, so line numbers stay the user's;
// columns on line 1 are shifted back by the header's length.
const HEADER = '(async function ($input, $json, $itemIndex, items) {';

// Runs first, in the sandbox. It keeps what it needs in a closure (so the code cannot reach the
// host's sink or swap JSON.stringify under the driver) and returns the driver function.
const PRELUDE = String.raw`(function (emit, json) {
  const stringify = JSON.stringify;
  const data = JSON.parse(json);
  const text = (v) => {
    if (typeof v === 'string') return v;
    try { const s = stringify(v); return s === undefined ? String(v) : s; } catch (e) { return String(v); }
  };
  const logger = (level) => (...args) => { emit(level, args.map(text).join(' ')); };
  globalThis.console = { log: logger('info'), info: logger('info'), debug: logger('info'), warn: logger('warn'), error: logger('error') };
  globalThis.$trigger = data.trigger;
  globalThis.$node = data.nodes;
  const items = data.items;
  const input = (item) => ({ all: () => items, first: () => items[0], last: () => items[items.length - 1], item });
  return async (fn, mode) => {
    if (mode === 'runOnceForAllItems') {
      const value = await fn(input(items[0]), items[0] === undefined ? undefined : items[0].json, 0, items);
      return value === undefined ? stringify({ missing: 0 }) : stringify({ value });
    }
    const values = [];
    for (let i = 0; i < items.length; i++) {
      const value = await fn(input(items[i]), items[i].json, i, items);
      if (value === undefined) return stringify({ missing: i });
      values.push(value);
    }
    return stringify({ values });
  };
})`;

function fail(problem: CodeProblem, message: string, extra: Record<string, unknown> = {}): NonRetriableNodeError {
  return new NonRetriableNodeError(message, { details: { problem, ...extra } });
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

interface ErrorFacts {
  name: string;
  message: string;
  line?: number;
  column?: number;
}

function stringProp(vm: QuickJSContext, handle: QuickJSHandle, key: string): string | undefined {
  const prop = vm.getProp(handle, key);
  try {
    return vm.typeof(prop) === 'string' ? vm.getString(prop) : undefined;
  } finally {
    prop.dispose();
  }
}

/** Name, message and the user's line/column of a thrown value, read without running its code. */
function errorFacts(vm: QuickJSContext, handle: QuickJSHandle): ErrorFacts {
  try {
    const type = vm.typeof(handle);
    if (type === 'string') return { name: 'a string', message: vm.getString(handle) };
    if (type !== 'object') return { name: `a ${type}`, message: String(vm.dump(handle)) };
    const name = stringProp(vm, handle, 'name') ?? 'Error';
    const message = stringProp(vm, handle, 'message') ?? '';
    const where = /code\.js:(\d+):(\d+)/.exec(stringProp(vm, handle, 'stack') ?? '');
    if (!where) return { name, message };
    const line = Number(where[1]);
    const column = line === 1 ? Math.max(1, Number(where[2]) - HEADER.length) : Number(where[2]);
    return { name, message, line, column };
  } catch {
    // A heap left in no state to answer (out of memory mid-throw).
    return { name: 'Error', message: '' };
  }
}

interface RunState {
  timedOut: boolean;
  cancelled: boolean;
}

function problemOf(facts: ErrorFacts, state: RunState, opts: SandboxOptions, compiling: boolean): NodeError {
  if (state.cancelled) return new NodeError('the code was cancelled');
  const at = facts.line !== undefined ? { line: facts.line, column: facts.column } : {};
  const atText = facts.line !== undefined ? ` at line ${facts.line}, column ${facts.column}` : '';
  if (state.timedOut || (facts.name === 'InternalError' && facts.message === 'interrupted')) {
    return fail('timeout', `the code ran longer than its ${opts.timeoutMs} ms limit (an endless loop?)`);
  }
  if (facts.name === 'InternalError' && /out of memory|string too long|invalid array length/.test(facts.message)) {
    return fail('memory', `the code ran out of memory: it may use ${opts.memoryMb} MB, its input included`);
  }
  if (facts.name === 'InternalError' && facts.message === 'stack overflow') {
    return fail('stack', `the code exceeded the stack limit (recursion too deep)${atText}`, at);
  }
  const message = cut(facts.message, MAX_ERROR_CHARS);
  if (compiling && facts.name === 'SyntaxError') return fail('syntax', `the code has a syntax error${atText}: ${message}`, at);
  return fail('thrown', `the code threw ${facts.name}${message ? `: ${message}` : ''}${atText}`, at);
}

function parseResult(text: string, mode: CodeMode, itemCount: number): SandboxResult {
  const parsed = JSON.parse(text) as { value?: unknown; values?: unknown[]; missing?: number };
  if (parsed.missing !== undefined) {
    const which = mode === 'runOnceForEachItem' && itemCount > 1 ? ` for item ${parsed.missing}` : '';
    throw fail('result', `the code returned nothing${which}: end it with "return …"`);
  }
  if (mode === 'runOnceForAllItems') {
    // JSON.stringify leaves out what JSON cannot hold (a function, a symbol): say so.
    if (!Object.hasOwn(parsed, 'value')) throw fail('result', 'the code returned a value JSON cannot hold (a function?)');
    return { mode, value: parsed.value };
  }
  return { mode, values: parsed.values ?? [] };
}

/** Runs `opts.code` once (all items) or once per item, in a runtime of its own that is then freed. */
export async function runSandboxed(opts: SandboxOptions): Promise<SandboxResult> {
  let json: string;
  try {
    json = JSON.stringify(opts.data);
  } catch (err) {
    throw new NonRetriableNodeError('the input of the code is not JSON', { cause: err });
  }
  const module = await quickJsModule();
  const state: RunState = { timedOut: false, cancelled: false };
  let logged = 0;
  let dropped = 0;
  const runtime = module.newRuntime();
  // Set when the WASM instance itself failed: then nothing in it may be touched again.
  let broken = false;
  try {
    runtime.setMemoryLimit(opts.memoryMb * 1024 * 1024);
    runtime.setMaxStackSize(CODE_STACK_BYTES);
    const deadline = Date.now() + opts.timeoutMs;
    runtime.setInterruptHandler(() => {
      if (opts.isCancelled?.()) state.cancelled = true;
      else if (Date.now() > deadline) state.timedOut = true;
      return state.cancelled || state.timedOut;
    });
    const vm = runtime.newContext();
    const handles: QuickJSHandle[] = [];
    const keep = (h: QuickJSHandle): QuickJSHandle => (handles.push(h), h);
    try {
      const emit = keep(
        vm.newFunction('emit', (levelHandle, lineHandle) => {
          if (logged >= MAX_LOG_LINES) {
            dropped += 1;
            return;
          }
          // The prelude passes strings; anything else means the code replaced a built-in it uses.
          if (vm.typeof(levelHandle) !== 'string' || vm.typeof(lineHandle) !== 'string') return;
          const level = vm.getString(levelHandle);
          logged += 1;
          opts.onLog(level === 'warn' || level === 'error' ? level : 'info', cut(vm.getString(lineHandle), MAX_LOG_LINE_CHARS));
        }),
      );
      const fatal = (error: QuickJSHandle, compiling: boolean): NodeError => {
        keep(error);
        return problemOf(errorFacts(vm, error), state, opts, compiling);
      };
      const prelude = vm.evalCode(PRELUDE, 'keyflow-prelude.js', { type: 'global' });
      if (prelude.error) throw fatal(prelude.error, false);
      const driver = vm.callFunction(keep(prelude.value), vm.undefined, emit, keep(vm.newString(json)));
      if (driver.error) throw fatal(driver.error, false);
      keep(driver.value);
      const compiled = vm.evalCode(`${HEADER}${opts.code}\n})`, FILE, { type: 'global' });
      if (compiled.error) throw fatal(compiled.error, true);
      const started = vm.callFunction(driver.value, vm.undefined, keep(compiled.value), keep(vm.newString(opts.mode)));
      if (started.error) throw fatal(started.error, false);
      const promise = keep(started.value);
      // Nothing inside can wait on the host, so running the job queue dry settles the promise
      // unless the code awaits something that never resolves.
      const jobs = runtime.executePendingJobs();
      if (jobs.error) throw fatal(jobs.error, false);
      const settled = vm.getPromiseState(promise);
      if (settled.type === 'pending') throw fail('result', 'the code is still waiting on a promise that never settles (there are no timers or network calls inside)');
      if (settled.type === 'rejected') throw fatal(settled.error, false);
      const out = keep(settled.value);
      if (vm.typeof(out) !== 'string') throw fail('result', 'the code replaced JSON.stringify; its result cannot be read');
      try {
        return parseResult(vm.getString(out), opts.mode, opts.data.items.length);
      } catch (err) {
        if (err instanceof NodeError) throw err;
        throw fail('result', 'the result of the code is not JSON');
      }
    } catch (err) {
      if (err instanceof NodeError) throw err;
      broken = true;
      discardQuickJsModule();
      if (err instanceof RangeError) throw fail('stack', 'the code exceeded the stack limit (recursion too deep)');
      throw new NonRetriableNodeError('the code sandbox failed', { cause: err });
    } finally {
      if (!broken) {
        for (const h of handles) if (h.alive) h.dispose();
        vm.dispose();
      }
    }
  } finally {
    if (!broken) runtime.dispose();
    if (dropped > 0) opts.onLog('warn', `${dropped} more console lines were dropped (at most ${MAX_LOG_LINES} are kept)`);
  }
}
