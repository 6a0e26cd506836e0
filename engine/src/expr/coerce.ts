// Argument and operand conversions. Errors name the function and the type, never the value.
import { ExpressionError } from './expression-error.ts';
import { typeName } from './data.ts';

/** A number, or a string that reads as one ("42", " 1.5e3 "); otherwise undefined. */
export function toNumeric(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

export function numberArg(value: unknown, fn: string): number {
  const n = toNumeric(value);
  if (n === undefined) throw new ExpressionError(`${fn}() expects a number, got ${typeName(value)}`);
  return n;
}

/** Strings, numbers and booleans as text; null/undefined as ''; anything else is refused. */
export function textArg(value: unknown, fn: string): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ExpressionError(`${fn}() expects a string, got ${typeName(value)}`);
}

/** An array; null/undefined read as empty. */
export function arrayArg(value: unknown, fn: string): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (value === null || value === undefined) return [];
  throw new ExpressionError(`${fn}() expects an array, got ${typeName(value)}`);
}

export function integerArg(value: unknown, fn: string): number {
  const n = numberArg(value, fn);
  if (!Number.isInteger(n)) throw new ExpressionError(`${fn}() expects an integer`);
  return n;
}
