// One bounded walk over the untrusted document before zod sees it: depth, value count,
// string length, and prototype keys. JSON.parse makes `"__proto__"` an own key; copying it
// with ordinary assignment (as record parsers do) would set a prototype, so it is refused.
import { FORBIDDEN_KEYS, IMPORT_LIMITS } from './limits.ts';

export interface InspectIssue {
  path: (string | number)[];
  message: string;
}

/** The first problem found, or undefined. Iterative, so a deep document cannot overflow the stack. */
export function inspectJson(value: unknown): InspectIssue | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  let count = 0;
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (++count > IMPORT_LIMITS.maxValues) return { path: [], message: `the export holds more than ${IMPORT_LIMITS.maxValues} values` };
    if (typeof v === 'string') {
      if (v.length > IMPORT_LIMITS.maxStringLength) return { path, message: `a text longer than ${IMPORT_LIMITS.maxStringLength} characters` };
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (path.length >= IMPORT_LIMITS.maxDepth) return { path, message: `nested deeper than ${IMPORT_LIMITS.maxDepth} levels` };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...path, i] });
      continue;
    }
    for (const key of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(key)) return { path: [...path, key], message: `the key '${key}' is not allowed` };
      stack.push({ value: (v as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return undefined;
}
