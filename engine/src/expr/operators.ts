// Operator semantics: JavaScript's where they are predictable, stricter where JavaScript
// would coerce objects (which could call code) or silently produce "[object Object]".
import type { BinaryOp } from './ast.ts';
import { ExpressionError } from './expression-error.ts';
import { checkStringSize, formatValue, typeName } from './data.ts';
import { toNumeric } from './coerce.ts';

const isPrimitive = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** `==`: strict, except null equals undefined and numbers equal numeric strings/booleans. */
function looseEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) {
    return (a === null || a === undefined) && (b === null || b === undefined);
  }
  if (typeof a === typeof b || !isPrimitive(a) || !isPrimitive(b)) return false;
  return Number(a) === Number(b);
}

function compare(op: '<' | '<=' | '>' | '>=', a: unknown, b: unknown): boolean {
  let x: string | number;
  let y: string | number;
  if (typeof a === 'string' && typeof b === 'string') {
    x = a;
    y = b;
  } else if (a === null || a === undefined || b === null || b === undefined) {
    return false; // a missing value compares like NaN: every comparison is false
  } else if (isPrimitive(a) && isPrimitive(b)) {
    x = Number(a);
    y = Number(b);
  } else {
    throw new ExpressionError(`cannot compare ${typeName(a)} with ${typeName(b)} using "${op}"`);
  }
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    default:
      return x >= y;
  }
}

export function numericOperand(op: string, v: unknown): number {
  const n = toNumeric(v);
  if (n === undefined) throw new ExpressionError(`operator "${op}" needs numbers, got ${typeName(v)}`);
  return n;
}

export function applyBinary(op: BinaryOp, a: unknown, b: unknown, maxStringBytes: number): unknown {
  switch (op) {
    case '+':
      if (typeof a === 'number' && typeof b === 'number') return a + b;
      if (typeof a === 'string' || typeof b === 'string') {
        return checkStringSize(formatValue(a, maxStringBytes) + formatValue(b, maxStringBytes), maxStringBytes);
      }
      throw new ExpressionError(`operator "+" needs numbers or a string, got ${typeName(a)} and ${typeName(b)}`);
    case '-':
      return numericOperand(op, a) - numericOperand(op, b);
    case '*':
      return numericOperand(op, a) * numericOperand(op, b);
    case '/':
      return numericOperand(op, a) / numericOperand(op, b);
    case '%':
      return numericOperand(op, a) % numericOperand(op, b);
    case '===':
      return a === b;
    case '!==':
      return a !== b;
    case '==':
      return looseEquals(a, b);
    case '!=':
      return !looseEquals(a, b);
    default:
      return compare(op, a, b);
  }
}
