// The allow-list of callable functions. Lookups go through Maps, never plain objects, so a
// name like "constructor" can never resolve to something inherited.
import type { Builtin } from './builtin-types.ts';
import { DATA_BUILTINS } from './builtins-data.ts';
import { DATE_BUILTINS } from './builtins-date.ts';
import { MATH_BUILTINS } from './builtins-math.ts';
import { TEXT_BUILTINS } from './builtins-text.ts';

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map([
  ...TEXT_BUILTINS,
  ...DATA_BUILTINS,
  ...MATH_BUILTINS,
  ...DATE_BUILTINS,
]);

/** `x.method(a)` is `fn(x, a)`: JavaScript names people type, mapped onto the allow-list. */
export const METHOD_ALIASES: ReadonlyMap<string, string> = new Map([
  ['toUpperCase', 'upper'],
  ['toLowerCase', 'lower'],
  ['trim', 'trim'],
  ['split', 'split'],
  ['join', 'join'],
  ['includes', 'contains'],
  ['startsWith', 'startsWith'],
  ['endsWith', 'endsWith'],
  ['slice', 'slice'],
  ['replaceAll', 'replace'],
]);
