import type { CompiledTemplate } from './compile-template.ts';
import { isCompiledTemplate } from './compile-template.ts';
import type { BuildBudget } from './builtin-types.ts';
import { cloneData, checkStringSize, formatValue, isPlainObject, sizeOf } from './data.ts';
import { chargeBytes, createContext, evaluateExpression } from './evaluate-expression.ts';
import { ExpressionError } from './expression-error.ts';
import { LIMITS } from './limits.ts';

export type EvaluateOptions = {
  /** Clock behind `now()` and `$now` (default: the system clock). */
  now?: () => Date;
  /** Cap on every string an evaluation produces, in UTF-8 bytes (default 1 MiB). */
  maxStringBytes?: number;
  /** Budget of syntax-tree visits plus built-in work (default 100 000). */
  maxSteps?: number;
  /** Bytes of data one evaluation may build or hand out (default 8 MiB); ignored with `budget`. */
  maxBuildBytes?: number;
  /** A built-data budget shared with other evaluations (renderValue shares one per config). */
  budget?: BuildBudget;
};

const systemClock = (): Date => new Date();

/**
 * Evaluates a compiled template against `scope` (its own keys are the identifiers).
 * A single `{{ }}` keeps the value's type; otherwise results are stringified into the text.
 * The result is always a fresh copy: mutating it cannot reach `scope`. The result is charged
 * for its size as JSON (what storing or sending it costs), however much of it is shared.
 * @throws ExpressionError naming the problem and its position.
 */
export function evaluateTemplate(
  template: CompiledTemplate,
  scope: Readonly<Record<string, unknown>>,
  opts?: EvaluateOptions,
): unknown {
  if (!isCompiledTemplate(template)) throw new TypeError('evaluateTemplate expects the result of compileTemplate');
  if (!isPlainObject(scope)) throw new TypeError('evaluateTemplate expects a plain object as scope');
  if (template.kind === 'text') return template.source;
  const ctx = createContext(
    scope,
    template.source,
    opts?.now ?? systemClock,
    opts?.maxStringBytes ?? LIMITS.maxStringBytes,
    opts?.maxSteps ?? LIMITS.maxSteps,
    opts?.budget ?? { max: opts?.maxBuildBytes ?? LIMITS.maxBuildBytes, used: 0 },
  );
  let out = '';
  for (const part of template.parts) {
    if ('text' in part) {
      out += part.text;
      continue;
    }
    const value = evaluateExpression(part.expr, ctx);
    if (template.kind === 'single') {
      return located(part.expr.start, () => {
        // Measured before it is copied: `[$x, $x, …]` is refused before anything is built.
        const left = ctx.budget.max - ctx.budget.used;
        chargeBytes(ctx.budget, sizeOf(value, left));
        return cloneData(value);
      });
    }
    const text = located(part.expr.start, () => formatValue(value, ctx.maxStringBytes));
    out = located(part.expr.start, () => checkStringSize(out + text, ctx.maxStringBytes));
    located(part.expr.start, () => chargeBytes(ctx.budget, text.length));
  }
  return checkStringSize(out, ctx.maxStringBytes);
}

// Copying and formatting can fail too (non-data values, size): point at the expression.
function located<T>(position: number, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ExpressionError && error.position === undefined) {
      throw new ExpressionError(error.reason, { position });
    }
    throw error;
  }
}
