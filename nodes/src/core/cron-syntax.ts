// Syntax check for cron expressions (the scheduler evaluates them; this only decides what
// we accept): 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first,
// each a comma list of *, n, a-b, with an optional /step; month and weekday names; or one
// of the @macros.

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Field {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Value of names[0]. */
  nameBase?: number;
}

const SECOND: Field = { name: 'second', min: 0, max: 59 };
const FIVE: Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 },
  // 7 is Sunday too, as in most crons.
  { name: 'day of week', min: 0, max: 7, names: DAYS, nameBase: 0 },
];

function value(token: string, field: Field): number | undefined {
  if (/^\d{1,2}$/.test(token)) {
    const n = Number(token);
    return n >= field.min && n <= field.max ? n : undefined;
  }
  const i = field.names?.indexOf(token.toUpperCase()) ?? -1;
  return i >= 0 ? i + (field.nameBase ?? 0) : undefined;
}

function partProblem(part: string, field: Field): string | undefined {
  const [range, step, extra] = part.split('/');
  if (extra !== undefined || range === undefined || range === '') return `'${part}' is not valid in the ${field.name} field`;
  if (step !== undefined && !(/^\d{1,2}$/.test(step) && Number(step) >= 1 && Number(step) <= field.max)) {
    return `step '${step}' is not valid in the ${field.name} field`;
  }
  if (range === '*') return undefined;
  const bounds = range.split('-');
  if (bounds.length > 2) return `'${range}' is not valid in the ${field.name} field`;
  const values = bounds.map((b) => value(b, field));
  if (values.some((v) => v === undefined)) return `'${range}' is out of range for the ${field.name} field (${field.min}-${field.max})`;
  if (values.length === 2 && values[0]! > values[1]!) return `range '${range}' runs backwards in the ${field.name} field`;
  return undefined;
}

/** Why `expression` is not an acceptable cron expression, or undefined if it is. */
export function cronProblem(expression: string): string | undefined {
  const trimmed = expression.trim();
  if (trimmed.startsWith('@')) return MACROS.has(trimmed.toLowerCase()) ? undefined : `unknown cron macro '${trimmed}'`;
  const parts = trimmed.split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) return `a cron expression has 5 or 6 fields, not ${trimmed === '' ? 0 : parts.length}`;
  const fields = parts.length === 6 ? [SECOND, ...FIVE] : FIVE;
  for (let i = 0; i < parts.length; i++) {
    for (const item of parts[i]!.split(',')) {
      const problem = partProblem(item, fields[i]!);
      if (problem) return problem;
    }
  }
  return undefined;
}
