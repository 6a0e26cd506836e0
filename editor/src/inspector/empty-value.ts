// The value a new list item starts with: required fields filled with their default or an
// empty value of their type, so the person sees every field the item needs.
import { fieldKind, isObject, propertiesOf, requiredOf } from './field-kind.ts';
import type { JsonSchema } from './types.ts';

export function emptyValue(schema: JsonSchema, key = ''): unknown {
  if (schema['default'] !== undefined) return structuredClone(schema['default']);
  const kind = fieldKind(schema, key);
  switch (kind.kind) {
    case 'object': {
      const required = requiredOf(schema);
      const out: Record<string, unknown> = {};
      for (const [k, s] of propertiesOf(schema)) {
        if (!required.has(k)) continue;
        const v = emptyValue(s, k);
        if (v !== undefined) out[k] = v;
      }
      return out;
    }
    case 'select':
      return kind.options[0]?.value;
    case 'switch':
      return false;
    case 'list':
      return [];
    case 'record':
      return {};
    case 'number':
      return undefined;
    case 'json':
      return isObject(schema) && schema['type'] === 'object' ? {} : undefined;
    default:
      return '';
  }
}
