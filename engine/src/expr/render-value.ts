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

// `path` is one array, pushed and popped on the way down (copied only into an error): a config
// is rendered on every step, and a fresh path per value was most of what rendering allocated.
function render(
  value: unknown,
  path: (string | number)[],
  scope: Readonly<Record<string, unknown>>,
  opts: EvaluateOptions | undefined,
): unknown {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return value;
    try {
      return evaluateTemplate(compileCached(value), scope, opts);
    } catch (error) {
      throw error instanceof ExpressionError ? withPath(error, path.slice()) : error;
    }
  }
  if (path.length > LIMITS.maxValueDepth) throw new ExpressionError('value is nested too deeply', { path: path.slice() });
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      out[i] = render(value[i], path, scope, opts);
      path.pop();
    }
    return out;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      path.push(key);
      const rendered = render(value[key], path, scope, opts);
      path.pop();
      // Plain assignment makes an own property for every key but `__proto__` (a setter on Object.prototype).
      if (key === '__proto__') setOwn(out, key, rendered);
      else out[key] = rendered;
    }
    return out;
  }
  return value;
}
