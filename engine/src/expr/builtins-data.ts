import type { Builtin } from './builtin-types.ts';
import { ExpressionError } from './expression-error.ts';
import { cloneData, formatValue, isPlainObject, sizeOf, typeName } from './data.ts';
import { integerArg, toNumeric } from './coerce.ts';

function ownValues(obj: Record<string, unknown>): unknown[] {
  return Object.keys(obj).map((key) => {
    const desc = Object.getOwnPropertyDescriptor(obj, key);
    if (desc === undefined || !('value' in desc)) {
      throw new ExpressionError('values() found an accessor property, which is not plain data');
    }
    return desc.value;
  });
}

function isEmpty(x: unknown): boolean {
  if (x === null || x === undefined || x === '') return true;
  if (Array.isArray(x)) return x.length === 0;
  if (isPlainObject(x)) return Object.keys(x).length === 0;
  return false;
}

/** Inspecting, converting and (de)serialising data. */
export const DATA_BUILTINS: readonly [string, Builtin][] = [
  [
    'length',
    {
      min: 1,
      max: 1,
      fn: ([x]) => {
        if (typeof x === 'string' || Array.isArray(x)) return x.length;
        if (x === null || x === undefined) return 0;
        if (isPlainObject(x)) return Object.keys(x).length;
        throw new ExpressionError(`length() expects a string, array or object, got ${typeName(x)}`);
      },
    },
  ],
  [
    'keys',
    {
      min: 1,
      max: 1,
      fn: ([x], env) => {
        if (x === null || x === undefined) return [];
        if (!isPlainObject(x) && !Array.isArray(x)) throw new ExpressionError(`keys() expects an object, got ${typeName(x)}`);
        const out = Object.keys(x);
        env.charge(out.length);
        return out;
      },
    },
  ],
  [
    'values',
    {
      min: 1,
      max: 1,
      fn: ([x], env) => {
        if (x === null || x === undefined) return [];
        if (Array.isArray(x)) return x.slice();
        if (!isPlainObject(x)) throw new ExpressionError(`values() expects an object, got ${typeName(x)}`);
        const out = ownValues(x);
        env.charge(out.length);
        return out;
      },
    },
  ],
  ['first', { min: 1, max: 1, fn: ([x]) => (Array.isArray(x) || typeof x === 'string' ? x[0] : undefined) }],
  ['last', { min: 1, max: 1, fn: ([x]) => (Array.isArray(x) || typeof x === 'string' ? x[x.length - 1] : undefined) }],
  ['default', { min: 2, max: 2, fn: ([x, d]) => (x === null || x === undefined || x === '' ? d : x) }],
  ['isEmpty', { min: 1, max: 1, fn: ([x]) => isEmpty(x) }],
  ['string', { min: 1, max: 1, fn: ([x], env) => formatValue(x, env.maxStringBytes) }],
  [
    'number',
    {
      min: 1,
      max: 1,
      fn: ([x]) => (typeof x === 'boolean' ? Number(x) : (toNumeric(x) ?? null)),
    },
  ],
  [
    'json',
    {
      min: 1,
      max: 2,
      fn: ([x, indent], env) => {
        const space = indent === undefined ? undefined : Math.min(10, Math.max(0, integerArg(indent, 'json')));
        // Measured first (indentation included): a huge text is refused before it is built.
        if (sizeOf(x, env.maxStringBytes, new Map(), space ?? 0) > env.maxStringBytes) {
          throw new ExpressionError(`string result is larger than the ${env.maxStringBytes}-byte limit`);
        }
        return JSON.stringify(cloneData(x), null, space) ?? 'null';
      },
    },
  ],
  [
    'parseJson',
    {
      min: 1,
      max: 1,
      fn: ([s], env) => {
        if (typeof s !== 'string') throw new ExpressionError(`parseJson() expects a string, got ${typeName(s)}`);
        env.chargeBytes(s.length);
        try {
          return JSON.parse(s) as unknown;
        } catch {
          // The engine's message quotes the input, which may be secret: say only that it failed.
          throw new ExpressionError('parseJson() got invalid JSON');
        }
      },
    },
  ],
  [
    'typeOf',
    { min: 1, max: 1, fn: ([x]) => (x === undefined ? 'undefined' : typeName(x)) },
  ],
];
