import type { ExpressionPath } from './expression-error.ts';
import { ExpressionError, withPath } from './expression-error.ts';
import type { EvaluateOptions } from './evaluate-template.ts';
import { evaluateTemplate } from './evaluate-template.ts';
import { isPlainObject, setOwn } from './data.ts';
import { LIMITS } from './limits.ts';
import { compileCached } from './template-cache.ts';

/**
 * A copy of a config value with every string that holds `{{` rendered against `scope`
 * (keys are never rendered). Failures are ExpressionErrors whose `path` locates the string.
 * Every template of the value spends one built-data budget (`opts.budget`, or a fresh one of
 * `opts.maxBuildBytes`), so the limit holds for the config as a whole, not per field.
 * @example renderValue({ fields: [{ value: 'Hi {{ $trigger.body.name }}' }] }, scope)
 */
export function renderValue(
  value: unknown,
  scope: Readonly<Record<string, unknown>>,
  opts?: EvaluateOptions,
): unknown {
  const budget = opts?.budget ?? { max: opts?.maxBuildBytes ?? LIMITS.maxBuildBytes, used: 0 };
  return render(value, [], scope, { ...opts, budget });
}

function render(
  value: unknown,
  path: ExpressionPath,
  scope: Readonly<Record<string, unknown>>,
  opts: EvaluateOptions | undefined,
): unknown {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return value;
    try {
      return evaluateTemplate(compileCached(value), scope, opts);
    } catch (error) {
      throw error instanceof ExpressionError ? withPath(error, path) : error;
    }
  }
  if (path.length > LIMITS.maxValueDepth) throw new ExpressionError('value is nested too deeply', { path });
  if (Array.isArray(value)) return value.map((item, i) => render(item, [...path, i], scope, opts));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) setOwn(out, key, render(value[key], [...path, key], scope, opts));
    return out;
  }
  return value;
}
