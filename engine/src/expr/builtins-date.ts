import type { Builtin, BuiltinEnv } from './builtin-types.ts';
import { ExpressionError } from './expression-error.ts';
import { typeName } from './data.ts';

/** The injected clock as a Date, refusing a clock that returns garbage. */
export function clockNow(env: Pick<BuiltinEnv, 'now'>): Date {
  const d = env.now();
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new ExpressionError('the clock returned an invalid date');
  return d;
}

function toDate(x: unknown, env: BuiltinEnv, fn: string): Date {
  if (x === undefined) return clockNow(env);
  let d: Date;
  if (typeof x === 'number' || typeof x === 'string') d = new Date(x);
  else if (x instanceof Date) d = new Date(x.getTime());
  else throw new ExpressionError(`${fn}() expects an ISO date string or milliseconds, got ${typeName(x)}`);
  if (Number.isNaN(d.getTime())) throw new ExpressionError(`${fn}() got an invalid date`);
  return d;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

// Minimal and UTC only: enough for file names and headers without a date library.
function formatUtc(d: Date, format: string): string {
  return format.replace(/YYYY|MM|DD|HH|mm|ss|SSS/g, (token) => {
    switch (token) {
      case 'YYYY':
        return pad(d.getUTCFullYear(), 4);
      case 'MM':
        return pad(d.getUTCMonth() + 1, 2);
      case 'DD':
        return pad(d.getUTCDate(), 2);
      case 'HH':
        return pad(d.getUTCHours(), 2);
      case 'mm':
        return pad(d.getUTCMinutes(), 2);
      case 'ss':
        return pad(d.getUTCSeconds(), 2);
      default:
        return pad(d.getUTCMilliseconds(), 3);
    }
  });
}

/** Dates travel as ISO strings; the clock is the one given to the evaluation. */
export const DATE_BUILTINS: readonly [string, Builtin][] = [
  ['now', { min: 0, max: 0, fn: (_args, env) => clockNow(env).toISOString() }],
  ['date', { min: 0, max: 1, fn: ([x], env) => toDate(x, env, 'date').toISOString() }],
  [
    'formatDate',
    {
      min: 1,
      max: 2,
      fn: ([x, format], env) => {
        const d = toDate(x, env, 'formatDate');
        if (format === undefined) return d.toISOString();
        if (typeof format !== 'string') throw new ExpressionError('formatDate() expects a format string');
        if (format.length > 200) throw new ExpressionError('formatDate() format is longer than 200 characters');
        return formatUtc(d, format);
      },
    },
  ],
];
