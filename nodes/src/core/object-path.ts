// Dotted paths for core.transform ('customer.address.city'). Segments that reach an
// object's prototype are refused outright: config is user input and must never be able to
// pollute Object.prototype.

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_SEGMENTS = 32;

/** Why a dotted path is unusable, or undefined when it is fine. */
export function pathProblem(path: string): string | undefined {
  const segments = path.split('.');
  if (segments.length > MAX_SEGMENTS) return `a path has at most ${MAX_SEGMENTS} segments`;
  for (const s of segments) {
    if (s.length === 0) return 'a path has no empty segments';
    if (FORBIDDEN.has(s)) return `'${s}' is not allowed in a path`;
  }
  return undefined;
}

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

function childOf(container: Container, key: string): unknown {
  return Object.hasOwn(container, key) ? (container as Record<string, unknown>)[key] : undefined;
}

function assign(container: Container, key: string, value: unknown): void {
  // defineProperty, not `=`: an own data property even for keys a setter would intercept.
  Object.defineProperty(container, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Sets `path` in `target`, creating plain objects on the way; replaces non-objects. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const segments = path.split('.');
  let node: Container = target;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i]!;
    let next = childOf(node, key);
    if (!isContainer(next)) {
      next = {};
      assign(node, key, next);
    }
    node = next as Container;
  }
  assign(node, segments[segments.length - 1]!, value);
}

/** Reads `path` (own properties only); `found` tells a stored undefined from a missing key. */
export function getPath(source: unknown, path: string): { found: boolean; value: unknown } {
  let node: unknown = source;
  for (const key of path.split('.')) {
    if (!isContainer(node) || !Object.hasOwn(node, key)) return { found: false, value: undefined };
    node = (node as Record<string, unknown>)[key];
  }
  return { found: true, value: node };
}

/** Deletes `path` if present; returns whether it was. */
export function deletePath(target: unknown, path: string): boolean {
  const segments = path.split('.');
  const parent = segments.length === 1 ? { found: true, value: target } : getPath(target, segments.slice(0, -1).join('.'));
  const key = segments[segments.length - 1]!;
  if (!parent.found || !isContainer(parent.value) || !Object.hasOwn(parent.value, key)) return false;
  if (Array.isArray(parent.value) && /^\d+$/.test(key)) {
    parent.value.splice(Number(key), 1);
    return true;
  }
  return delete (parent.value as Record<string, unknown>)[key];
}
