// What counts as data, how big it is, and how data leaves an evaluation: copied, so a caller
// that mutates a result can never reach the scope it came from.
import { ExpressionError } from './expression-error.ts';
import { LIMITS } from './limits.ts';

/** Names that lead to prototypes and accessors: never readable, whatever the object. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/** Objects made by `{}`, `JSON.parse` or `Object.create(null)`; not class instances. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

/** A type name for messages (never the value itself). */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (isPlainObject(value)) return 'object';
  if (typeof value === 'object') return Object.prototype.toString.call(value).slice(8, -1);
  return typeof value;
}

/** Defines an own property even for keys like `__proto__`, which `obj[key] = v` would not. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A fresh copy made only of JSON-like data: Dates become ISO strings; functions, symbols,
 * class instances and accessors are refused; cycles hit the depth cap. An object reached
 * twice is copied once and the copy shared (`copies`), so `[$x, $x, …]` costs one copy of `$x`.
 */
export function cloneData(value: unknown, depth = 0, copies: Map<object, unknown> = new Map()): unknown {
  if (value === null || value === undefined) return value;
  const t = typeof value;
  if (t === 'string' || t === 'number' || t === 'boolean') return value;
  if (depth > LIMITS.maxValueDepth) throw new ExpressionError('value is nested too deeply (or is circular)');
  const seen = copies.get(value as object);
  if (seen !== undefined) return seen;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneData(value[i], depth + 1, copies);
    copies.set(value, out);
    return out;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const desc = Object.getOwnPropertyDescriptor(value, key);
      if (desc === undefined || !('value' in desc)) {
        throw new ExpressionError('value holds an accessor property, which is not plain data');
      }
      setOwn(out, key, cloneData(desc.value, depth + 1, copies));
    }
    copies.set(value, out);
    return out;
  }
  throw new ExpressionError(`a ${typeName(value)} value is not plain data`);
}

/**
 * About how many bytes `value` takes as JSON: what storing, sending or stringifying it will
 * cost, however many times the same object is referenced. Stops counting once past `limit`
 * (the result is then some number above it), so the walk costs at most about `limit` work;
 * `sizes` remembers objects already measured, so a value shared a thousand times is walked once.
 */
export function sizeOf(value: unknown, limit: number, sizes: Map<object, number> = new Map(), indent = 0, depth = 0): number {
  if (value === null || value === undefined) return 4;
  switch (typeof value) {
    case 'string':
      return value.length + 2;
    case 'number':
      return 8;
    case 'boolean':
      return 5;
    case 'object':
      break;
    default:
      return 0;
  }
  // With indentation a value's size depends on its depth: nothing is remembered then.
  const known = indent === 0 ? sizes.get(value) : undefined;
  if (known !== undefined) return known;
  if (depth > LIMITS.maxValueDepth) throw new ExpressionError('value is nested too deeply (or is circular)');
  // Each member of an indented value starts a line: a newline and the indentation of its depth.
  const line = indent === 0 ? 0 : 1 + (depth + 1) * indent;
  let total = 2 + (indent === 0 ? 0 : 1 + depth * indent);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && total <= limit; i++) total += sizeOf(value[i], limit - total, sizes, indent, depth + 1) + 1 + line;
  } else if (value instanceof Date) {
    total = 26;
  } else {
    for (const key of Object.keys(value)) {
      if (total > limit) break;
      // Never through a getter: an accessor is refused when the value is copied, not run here.
      const desc = Object.getOwnPropertyDescriptor(value, key);
      total += key.length + 4 + line + (desc && 'value' in desc ? sizeOf(desc.value, limit - total, sizes, indent, depth + 1) : 0);
    }
  }
  // Only exact sizes are remembered: a count cut short would undercount the next reference.
  if (total <= limit && indent === 0) sizes.set(value, total);
  return total;
}

/**
 * How a value reads inside text: null/undefined as '', objects and arrays as JSON. A value
 * whose JSON would be over `maxBytes` is refused before the string is built.
 */
export function formatValue(value: unknown, maxBytes: number = LIMITS.maxStringBytes): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (sizeOf(value, maxBytes) > maxBytes) throw stringTooLarge(maxBytes);
  return JSON.stringify(cloneData(value)) ?? '';
}

function stringTooLarge(maxBytes: number): ExpressionError {
  return new ExpressionError(`string result is larger than the ${maxBytes}-byte limit`);
}

/** Throws when `text` is longer than `maxBytes` in UTF-8, counting only when it matters. */
export function checkStringSize(text: string, maxBytes: number): string {
  if (text.length * 3 <= maxBytes) return text;
  if (text.length > maxBytes || utf8Length(text) > maxBytes) {
    throw stringTooLarge(maxBytes);
  }
  return text;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
