import type { CompiledTemplate } from './compile-template.ts';
import { isCompiledTemplate } from './compile-template.ts';
import { cloneData, checkStringSize, formatValue, isPlainObject } from './data.ts';
import { createContext, evaluateExpression } from './evaluate-expression.ts';
import { ExpressionError } from './expression-error.ts';
import { LIMITS } from './limits.ts';

export type EvaluateOptions = {
  /** Clock behind `now()` and `$now` (default: the system clock). */
  now?: () => Date;
  /** Cap on every string an evaluation produces, in UTF-8 bytes (default 1 MiB). */
  maxStringBytes?: number;
  /** Budget of syntax-tree visits plus built-in work (default 100 000). */
  maxSteps?: number;
};

const systemClock = (): Date => new Date();

/**
 * Evaluates a compiled template against `scope` (its own keys are the identifiers).
 * A single `{{ }}` keeps the value's type; otherwise results are stringified into the text.
 * The result is always a fresh copy: mutating it cannot reach `scope`.
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
  );
  let out = '';
  for (const part of template.parts) {
    if ('text' in part) {
      out += part.text;
      continue;
    }
    const value = evaluateExpression(part.expr, ctx);
    if (template.kind === 'single') return located(part.expr.start, () => cloneData(value));
    out = located(part.expr.start, () => checkStringSize(out + formatValue(value), ctx.maxStringBytes));
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
