// A tree-walking evaluator. All state lives in the per-evaluation context; nothing survives
// between evaluations. Errors thrown by helpers carry no position: `ctx.pos` is set just
// before each helper runs and the catch in `evaluateExpression` attaches it.
import type { CallNode, Expr, MemberNode } from './ast.ts';
import type { BuildBudget, BuiltinEnv } from './builtin-types.ts';
import { BUILTINS } from './builtins.ts';
import { clockNow } from './builtins-date.ts';
import { checkStringSize, setOwn } from './data.ts';
import { ExpressionError } from './expression-error.ts';
import { applyBinary, numericOperand } from './operators.ts';
import { readMember, sourceOf } from './property-access.ts';

export type EvalContext = BuiltinEnv & {
  readonly scope: Readonly<Record<string, unknown>>;
  /** The template string the tree's offsets point into (for messages). */
  readonly source: string;
  readonly maxSteps: number;
  readonly budget: BuildBudget;
  steps: number;
  pos: number;
};

export function createContext(
  scope: Readonly<Record<string, unknown>>,
  source: string,
  now: () => Date,
  maxStringBytes: number,
  maxSteps: number,
  budget: BuildBudget,
): EvalContext {
  const ctx: EvalContext = {
    scope,
    source,
    now,
    maxStringBytes,
    maxSteps,
    budget,
    steps: 0,
    pos: 0,
    charge: (units: number) => {
      ctx.steps += units;
      if (ctx.steps > ctx.maxSteps) throw budgetError(ctx);
    },
    chargeBytes: (bytes: number) => chargeBytes(budget, bytes),
  };
  return ctx;
}

function budgetError(ctx: EvalContext): ExpressionError {
  return new ExpressionError(`evaluation exceeded its budget of ${ctx.maxSteps} steps`);
}

/** Spends `bytes` of a built-data budget; throws an ExpressionError naming the limit when it runs out. */
export function chargeBytes(budget: BuildBudget, bytes: number): void {
  budget.used += bytes;
  if (budget.used > budget.max) throw new ExpressionError(`evaluation exceeded its budget of ${budget.max} bytes of built data`);
}

/** Evaluates one expression; every failure becomes an ExpressionError with a position. */
export function evaluateExpression(expr: Expr, ctx: EvalContext): unknown {
  try {
    return ev(expr, ctx);
  } catch (error) {
    if (error instanceof ExpressionError) {
      return error.position === undefined ? rethrow(error.reason, ctx.pos) : rethrow(error.reason, error.position);
    }
    // Engine errors (stack overflow, out-of-memory string) may quote data: keep only the kind.
    const kind = error instanceof Error ? error.name : typeof error;
    return rethrow(`evaluation failed (${kind})`, ctx.pos);
  }
}

function rethrow(reason: string, position: number): never {
  throw new ExpressionError(reason, { position });
}

const SHORT_CIRCUIT: unique symbol = Symbol('short-circuit');

function ev(node: Expr, ctx: EvalContext): unknown {
  if (++ctx.steps > ctx.maxSteps) {
    ctx.pos = node.start;
    throw budgetError(ctx);
  }
  switch (node.type) {
    case 'Literal':
      return node.value;
    case 'Identifier':
      return lookup(node.name, node.start, ctx);
    case 'Array':
      return node.elements.map((e) => ev(e, ctx));
    case 'Object': {
      const out: Record<string, unknown> = {};
      for (const entry of node.entries) setOwn(out, entry.key, ev(entry.value, ctx));
      return out;
    }
    case 'Member':
    case 'Call': {
      const value = chain(node, ctx);
      return value === SHORT_CIRCUIT ? undefined : value;
    }
    case 'Unary': {
      const v = ev(node.arg, ctx);
      if (node.op === '!') return !v;
      ctx.pos = node.start;
      return -numericOperand('-', v);
    }
    case 'Binary': {
      const a = ev(node.left, ctx);
      const b = ev(node.right, ctx);
      ctx.pos = node.start;
      const result = applyBinary(node.op, a, b, ctx.maxStringBytes);
      if (typeof result === 'string') ctx.chargeBytes(result.length);
      return result;
    }
    case 'Logical': {
      const a = ev(node.left, ctx);
      if (node.op === '&&') return a ? ev(node.right, ctx) : a;
      if (node.op === '||') return a ? a : ev(node.right, ctx);
      return a === null || a === undefined ? ev(node.right, ctx) : a;
    }
    case 'Conditional':
      return ev(node.test, ctx) ? ev(node.consequent, ctx) : ev(node.alternate, ctx);
  }
}

function lookup(name: string, start: number, ctx: EvalContext): unknown {
  if (Object.hasOwn(ctx.scope, name)) return ctx.scope[name];
  ctx.pos = start;
  if (name === '$now') return clockNow(ctx).toISOString();
  throw new ExpressionError(`unknown identifier "${name}"`);
}

// Member access and calls form a chain; `a?.b.c` stops the whole chain when `a` is nullish,
// so the marker travels up until the chain's outermost link turns it into undefined.
function link(node: Expr, ctx: EvalContext): unknown {
  if (node.type !== 'Member' && node.type !== 'Call') return ev(node, ctx);
  if (++ctx.steps > ctx.maxSteps) {
    ctx.pos = node.start;
    throw budgetError(ctx);
  }
  return chain(node, ctx);
}

function chain(node: MemberNode | CallNode, ctx: EvalContext): unknown {
  if (node.type === 'Member') {
    const target = link(node.object, ctx);
    if (target === SHORT_CIRCUIT || (node.optional && (target === null || target === undefined))) return SHORT_CIRCUIT;
    const key = node.key ?? (node.property === null ? undefined : ev(node.property, ctx));
    ctx.pos = node.start;
    return readMember(target, key, node, ctx.source);
  }
  const args: unknown[] = [];
  for (let i = 0; i < node.args.length; i++) {
    const arg = node.args[i]!;
    if (i === 0 && node.method) {
      const receiver = link(arg, ctx);
      if (receiver === SHORT_CIRCUIT) return SHORT_CIRCUIT;
      if (receiver === null || receiver === undefined) {
        if (node.optional) return SHORT_CIRCUIT;
        ctx.pos = node.start;
        throw new ExpressionError(`cannot call a method on ${String(receiver)} (${sourceOf(ctx.source, arg)})`);
      }
      args.push(receiver);
    } else args.push(ev(arg, ctx));
  }
  const builtin = BUILTINS.get(node.name);
  ctx.pos = node.start;
  if (builtin === undefined) throw new ExpressionError(`unknown function "${node.name}"`);
  const result = builtin.fn(args, ctx);
  if (typeof result !== 'string') return result;
  // Every string a built-in makes is new memory: it counts against the evaluation's budget.
  ctx.chargeBytes(result.length);
  return checkStringSize(result, ctx.maxStringBytes);
}
