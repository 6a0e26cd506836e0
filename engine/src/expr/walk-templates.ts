import type { ExpressionPath } from './expression-error.ts';
import { ExpressionError } from './expression-error.ts';
import { isPlainObject } from './data.ts';
import { LIMITS } from './limits.ts';

/** Calls `visit` for every string holding `{{` inside a config value (keys are not visited). */
export function walkTemplates(value: unknown, visit: (source: string, path: ExpressionPath) => void): void {
  walk(value, [], visit);
}

function walk(value: unknown, path: ExpressionPath, visit: (source: string, path: ExpressionPath) => void): void {
  if (typeof value === 'string') {
    if (value.includes('{{')) visit(value, path);
    return;
  }
  if (path.length > LIMITS.maxValueDepth) throw new ExpressionError('value is nested too deeply', { path });
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, [...path, i], visit));
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) walk(value[key], [...path, key], visit);
  }
}
