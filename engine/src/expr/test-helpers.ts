// Shared by the *.test.ts files beside it.
import { compileTemplate } from './compile-template.ts';
import type { EvaluateOptions } from './evaluate-template.ts';
import { evaluateTemplate } from './evaluate-template.ts';

export const FIXED_NOW = new Date('2024-05-06T07:08:09.010Z');

export function makeScope(): Record<string, unknown> {
  return {
    $trigger: {
      body: { name: 'Ada', age: 36, tags: ['a', 'b'], nested: { deep: { value: 7 } }, empty: '', zero: 0, nil: null },
      headers: { 'content-type': 'application/json' },
      query: { page: '3' },
    },
    $node: { shape: { output: { greeting: 'Hello' } }, 'my-node': { output: [1, 2, 3] } },
    $run: { id: 'run-1', workflowId: 'wf-1', startedAt: '2024-05-06T07:00:00.000Z' },
    $vars: { list: [3, 1, 2], csv: 'x,y,z' },
  };
}

/** Evaluates the expression `expr` as the single template `{{ expr }}`. */
export function run(expr: string, scope: Record<string, unknown> = makeScope(), opts?: EvaluateOptions): unknown {
  return evaluateTemplate(compileTemplate(`{{ ${expr} }}`), scope, { now: () => FIXED_NOW, ...opts });
}

/** Evaluates a whole template string. */
export function render(template: string, scope: Record<string, unknown> = makeScope(), opts?: EvaluateOptions): unknown {
  return evaluateTemplate(compileTemplate(template), scope, { now: () => FIXED_NOW, ...opts });
}

/** The error `fn` throws (fails the test if it does not throw). */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error('threw a non-Error', { cause: error });
  }
  throw new Error('expected an error, but nothing was thrown');
}
