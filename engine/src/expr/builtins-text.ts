import type { Builtin } from './builtin-types.ts';
import { ExpressionError } from './expression-error.ts';
import { checkStringSize, formatValue, isPlainObject, typeName } from './data.ts';
import { arrayArg, numberArg, textArg } from './coerce.ts';

const text1 = (name: string, f: (s: string) => string): [string, Builtin] => [
  name,
  { min: 1, max: 1, fn: ([s]) => f(textArg(s, name)) },
];

/** Text and sequence functions. `replace` is plain text and replaces every occurrence. */
export const TEXT_BUILTINS: readonly [string, Builtin][] = [
  text1('lower', (s) => s.toLowerCase()),
  text1('upper', (s) => s.toUpperCase()),
  text1('trim', (s) => s.trim()),
  [
    'split',
    {
      min: 2,
      max: 2,
      fn: ([s, sep], env) => {
        const str = textArg(s, 'split');
        const by = textArg(sep, 'split');
        if (by === '') env.charge(str.length);
        const parts = str.split(by);
        env.charge(parts.length);
        return parts;
      },
    },
  ],
  [
    'join',
    {
      min: 1,
      max: 2,
      fn: ([arr, sep], env) => {
        const items = arrayArg(arr, 'join');
        const by = sep === undefined ? ',' : textArg(sep, 'join');
        env.charge(items.length);
        let out = '';
        for (let i = 0; i < items.length; i++) {
          out += (i === 0 ? '' : by) + formatValue(items[i], env.maxStringBytes);
          if (out.length > env.maxStringBytes) checkStringSize(out, env.maxStringBytes);
        }
        return out;
      },
    },
  ],
  [
    'replace',
    {
      min: 3,
      max: 3,
      fn: ([s, find, repl], env) => {
        const str = textArg(s, 'replace');
        const what = textArg(find, 'replace');
        const by = textArg(repl, 'replace');
        if (what === '') return str;
        const pieces = str.split(what);
        env.charge(pieces.length);
        // Check the size before building it: a long replacement times many hits can be huge.
        if (str.length + (pieces.length - 1) * (by.length - what.length) > env.maxStringBytes) {
          throw new ExpressionError(`string result is larger than the ${env.maxStringBytes}-byte limit`);
        }
        return pieces.join(by);
      },
    },
  ],
  ['startsWith', { min: 2, max: 2, fn: ([s, p]) => textArg(s, 'startsWith').startsWith(textArg(p, 'startsWith')) }],
  ['endsWith', { min: 2, max: 2, fn: ([s, p]) => textArg(s, 'endsWith').endsWith(textArg(p, 'endsWith')) }],
  [
    'contains',
    {
      min: 2,
      max: 2,
      fn: ([haystack, needle], env) => {
        if (haystack === null || haystack === undefined) return false;
        if (typeof haystack === 'string') return haystack.includes(textArg(needle, 'contains'));
        if (Array.isArray(haystack)) {
          env.charge(haystack.length);
          return haystack.some((x) => x === needle || (Number.isNaN(x) && Number.isNaN(needle)));
        }
        if (isPlainObject(haystack)) {
          const key = textArg(needle, 'contains');
          return Object.hasOwn(haystack, key) && Object.prototype.propertyIsEnumerable.call(haystack, key);
        }
        throw new ExpressionError(`contains() expects a string, array or object, got ${typeName(haystack)}`);
      },
    },
  ],
  [
    'slice',
    {
      min: 2,
      max: 3,
      fn: ([x, a, b], env) => {
        const from = Math.trunc(numberArg(a, 'slice'));
        const to = b === undefined ? undefined : Math.trunc(numberArg(b, 'slice'));
        if (typeof x === 'string') return x.slice(from, to);
        if (Array.isArray(x)) {
          const out = x.slice(from, to);
          env.charge(out.length);
          return out;
        }
        if (x === null || x === undefined) return x;
        throw new ExpressionError(`slice() expects a string or array, got ${typeName(x)}`);
      },
    },
  ],
];
