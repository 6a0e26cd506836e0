// The only way an expression reads a value: own, enumerable data properties of plain objects
// and arrays, plus `length` and indexes of strings and arrays. Nothing here can reach a
// prototype, a getter or a function.
import type { MemberNode } from './ast.ts';
import { ExpressionError } from './expression-error.ts';
import { FORBIDDEN_KEYS, isPlainObject, typeName } from './data.ts';

const MAX_SOURCE_IN_MESSAGE = 60;

/** The source text of a node, shortened, for messages (the user's template, never data). */
export function sourceOf(source: string, node: { start: number; end: number }): string {
  const text = source.slice(node.start, node.end);
  return text.length > MAX_SOURCE_IN_MESSAGE ? `${text.slice(0, MAX_SOURCE_IN_MESSAGE - 1)}…` : text;
}

function keyLabel(node: MemberNode, source: string): string {
  if (node.key !== null) return `"${node.key}"`;
  return node.property === null ? '?' : `[${sourceOf(source, node.property)}]`;
}

function indexOf(name: string): number {
  const c = name.charCodeAt(0);
  if (c < 48 || c > 57) return -1;
  return /^(?:0|[1-9]\d{0,15})$/.test(name) ? Number(name) : -1;
}

/** `target[key]` under the data-only rules; `node` is used only to word errors. */
export function readMember(target: unknown, key: unknown, node: MemberNode, source: string): unknown {
  let name: string;
  if (typeof key === 'string') name = key;
  else if (typeof key === 'number') name = String(key);
  else {
    throw new ExpressionError(`property key ${keyLabel(node, source)} must be a string or number, got ${typeName(key)}`);
  }
  // Checked again at run time for computed keys (`x['con' + 'structor']`).
  if (FORBIDDEN_KEYS.has(name)) throw new ExpressionError(`access to "${name}" is not allowed`);
  if (target === null || target === undefined) {
    throw new ExpressionError(
      `cannot read property ${keyLabel(node, source)} of ${String(target)} (${sourceOf(source, node.object)})`,
    );
  }
  if (typeof target === 'string' || Array.isArray(target)) {
    if (name === 'length') return target.length;
    const i = indexOf(name);
    return i >= 0 && i < target.length ? checkData(target[i], node, source) : undefined;
  }
  if (isPlainObject(target)) {
    const desc = Object.getOwnPropertyDescriptor(target, name);
    if (desc === undefined || !desc.enumerable) return undefined;
    if (!('value' in desc)) {
      throw new ExpressionError(`property ${keyLabel(node, source)} of ${sourceOf(source, node.object)} is not plain data`);
    }
    return checkData(desc.value, node, source);
  }
  if (typeof target === 'number' || typeof target === 'boolean') return undefined;
  throw new ExpressionError(
    `cannot read property ${keyLabel(node, source)} of a ${typeName(target)} value (${sourceOf(source, node.object)})`,
  );
}

function checkData(value: unknown, node: MemberNode, source: string): unknown {
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
    throw new ExpressionError(`property ${keyLabel(node, source)} of ${sourceOf(source, node.object)} is not plain data`);
  }
  return value;
}
