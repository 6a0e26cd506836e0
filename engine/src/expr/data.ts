// What counts as data, and how data leaves an evaluation: copied, so a caller that mutates a
// result can never reach the scope it came from.
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
 * class instances and accessors are refused; cycles hit the depth cap.
 */
export function cloneData(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value;
  const t = typeof value;
  if (t === 'string' || t === 'number' || t === 'boolean') return value;
  if (depth > LIMITS.maxValueDepth) throw new ExpressionError('value is nested too deeply (or is circular)');
  if (Array.isArray(value)) {
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneData(value[i], depth + 1);
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
      setOwn(out, key, cloneData(desc.value, depth + 1));
    }
    return out;
  }
  throw new ExpressionError(`a ${typeName(value)} value is not plain data`);
}

/** How a value reads inside text: null/undefined as '', objects and arrays as JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(cloneData(value)) ?? '';
}

/** Throws when `text` is longer than `maxBytes` in UTF-8, counting only when it matters. */
export function checkStringSize(text: string, maxBytes: number): string {
  if (text.length * 3 <= maxBytes) return text;
  if (text.length > maxBytes || utf8Length(text) > maxBytes) {
    throw new ExpressionError(`string result is larger than the ${maxBytes}-byte limit`);
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
