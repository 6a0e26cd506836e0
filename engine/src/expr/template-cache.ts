import type { CompiledTemplate } from './compile-template.ts';
import { compileTemplate } from './compile-template.ts';

const MAX_ENTRIES = 1000;
// Holds only frozen compiled templates, which carry no evaluation state; bounded, oldest
// evicted first (a Map iterates in insertion order).
const cache = new Map<string, CompiledTemplate>();

/** compileTemplate, memoised for the config strings that are rendered on every run. */
export function compileCached(source: string): CompiledTemplate {
  const hit = cache.get(source);
  if (hit !== undefined) return hit;
  const template = compileTemplate(source);
  if (cache.size >= MAX_ENTRIES) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(source, template);
  return template;
}
