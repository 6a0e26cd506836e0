// A small JSON Schema checker for the trimmed spec files in ./specs: the keywords those
// files use, nothing more. `oneOf` is read as `anyOf` because the OpenAI spec's variants
// overlap (a text part also matches looser variants); formats are not checked.

export interface SpecFile {
  schema: Schema;
  defs: Record<string, Schema>;
}

type Schema = { [key: string]: unknown };

function typeOk(type: string, value: unknown): boolean {
  switch (type) {
    case 'null': return value === null;
    case 'array': return Array.isArray(value);
    case 'object': return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'integer': return Number.isInteger(value);
    case 'number': return typeof value === 'number';
    case 'string': return typeof value === 'string';
    case 'boolean': return typeof value === 'boolean';
    default: return true;
  }
}

function check(spec: SpecFile, schema: Schema, value: unknown, path: string, errors: string[]): void {
  if (typeof schema.$ref === 'string') {
    const def = spec.defs[schema.$ref.replace('#/defs/', '')];
    if (!def) return void errors.push(`${path}: unknown $ref ${schema.$ref}`);
    check(spec, def, value, path, errors);
  }
  if (value === null && schema.nullable === true) return;
  const types = Array.isArray(schema.type) ? schema.type : typeof schema.type === 'string' ? [schema.type] : [];
  if (types.length > 0 && !types.some((t) => typeof t === 'string' && typeOk(t, value))) {
    return void errors.push(`${path}: expected ${types.join('|')}, got ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`);
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if ('const' in schema && schema.const !== value) errors.push(`${path}: must be ${JSON.stringify(schema.const)}`);
  for (const sub of Array.isArray(schema.allOf) ? (schema.allOf as Schema[]) : []) check(spec, sub, value, path, errors);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (!Array.isArray(options)) continue;
    const results = (options as Schema[]).map((o) => {
      const e: string[] = [];
      check(spec, o, value, path, e);
      return e;
    });
    if (!results.some((e) => e.length === 0)) {
      const closest = results.reduce((a, b) => (b.length < a.length ? b : a));
      errors.push(`${path}: matches none of ${key} (closest: ${closest.join('; ')})`);
    }
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${path}: below minimum ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${path}: above maximum ${schema.maximum}`);
  }
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) errors.push(`${path}: shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) errors.push(`${path}: longer than ${schema.maxLength}`);
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) errors.push(`${path}: does not match ${schema.pattern}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) errors.push(`${path}: fewer than ${schema.minItems} items`);
    if (typeof schema.items === 'object' && schema.items !== null) value.forEach((item, i) => check(spec, schema.items as Schema, item, `${path}[${i}]`, errors));
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
      if (!(name in record)) errors.push(`${path}.${name}: required`);
    }
    for (const [name, v] of Object.entries(record)) {
      const prop = props[name];
      if (prop) check(spec, prop, v, `${path}.${name}`, errors);
      else if (schema.additionalProperties === false) errors.push(`${path}.${name}: not in the spec`);
      else if (typeof schema.additionalProperties === 'object' && schema.additionalProperties !== null) check(spec, schema.additionalProperties as Schema, v, `${path}.${name}`, errors);
    }
  }
}

/** Every way `value` breaks the spec's request schema, as `$.path: reason`; empty when it conforms. */
export function validateJsonSchema(spec: SpecFile, value: unknown): string[] {
  const errors: string[] = [];
  check(spec, spec.schema, value, '$', errors);
  return errors;
}
