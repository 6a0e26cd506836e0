// A starting config for a node the generator places: the definition's first example, then the
// required fields the example leaves open, filled from the JSON Schema with a reference to
// the previous step. Never a credential: `credentialId` is always left for the user.
import { describeNode, type AnyNodeDefinition } from '@keyflow/nodes/contract';

type Schema = { type?: string | string[]; enum?: unknown[]; const?: unknown; default?: unknown; minimum?: number; properties?: Record<string, Schema>; required?: string[]; description?: string; anyOf?: Schema[]; oneOf?: Schema[]; items?: Schema; minItems?: number };

const TEXT_FIELDS = /^(text|message|content|body|prompt|description|comment|title|name|summary|subject|note|notes|query)$/i;

function placeholder(schema: Schema, key: string, ref: string): unknown {
  if (schema.default !== undefined) return undefined;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  const alt = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : (schema.type ?? alt?.type);
  // A field whose description gives an example ("A1 range, e.g. Sheet1!A1:D") starts from it.
  const eg = /\be\.g\.,? ([^\s,;()]+)/.exec(schema.description ?? '')?.[1];
  if (type === 'string' && eg && !TEXT_FIELDS.test(key)) return eg;
  if (type === 'string' || type === undefined) return TEXT_FIELDS.test(key) || type === undefined ? `{{ ${ref} }}` : pickPlaceholder(ref, key);
  if (type === 'number' || type === 'integer') return schema.minimum ?? 1;
  if (type === 'boolean') return false;
  if (type === 'array') {
    // A list that may not be empty (a sheet's rows) gets the data as its one entry: a row of one cell for a list of lists.
    const list = schema.type === undefined ? alt : schema;
    if (!list?.minItems) return [];
    const value = /\.text$/.test(ref) ? ref : `json(${ref})`;
    return typeOf(list.items) === 'array' ? `{{ [[${value}]] }}` : `{{ [${ref}] }}`;
  }
  if (type === 'object') return {};
  return undefined;
}

function typeOf(schema: Schema | undefined): string | undefined {
  return Array.isArray(schema?.type) ? schema.type[0] : schema?.type;
}

/** A definition's description (its JSON Schemas), made once per definition: planning asks for it per node placed. */
const described = new WeakMap<AnyNodeDefinition, ReturnType<typeof describeNode>>();
export function describedNode(def: AnyNodeDefinition): ReturnType<typeof describeNode> {
  let d = described.get(def);
  if (!d) described.set(def, (d = describeNode(def)));
  return d;
}

/** The data's field of that name if it has one, else a marked placeholder for the user to replace. */
function pickPlaceholder(ref: string, key: string): string {
  return `{{ ${ref}.${key} ?? "pick the ${key.replace(/Ids?$/, '')}" }}`;
}

/** Ids of the user's things (boards, lists, databases) are theirs to pick: a marked placeholder. */
const ID_FIELD = /(Id|Ids)$/;

/** A config's ids taken from its trigger's data (the chat a message came from): valid only after that trigger. */
export function idsFromTrigger(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([key, value]) => ID_FIELD.test(key) && typeof value === 'string' && value.includes('$trigger')));
}

/** Required fields the starting config could only hold a placeholder for, for the explanation. */
export function fieldsToPick(def: AnyNodeDefinition, config: Record<string, unknown>): string[] {
  const schema = describedNode(def).configSchema as Schema;
  return (schema.required ?? []).filter((k) => typeof config[k] === 'string' && (config[k] as string).includes('?? "pick the '));
}

export function startingConfig(def: AnyNodeDefinition, ref: string, overrides: Record<string, unknown> = {}, example: Record<string, unknown> = def.examples?.[0]?.config ?? {}): Record<string, unknown> {
  const config: Record<string, unknown> = { ...structuredClone(example), ...overrides };
  delete config.credentialId;
  // An id the example takes from its own trigger's data (the chat a message came from) holds only
  // after that trigger: elsewhere it is the user's to pick.
  for (const key of Object.keys(idsFromTrigger(config))) if (overrides[key] === undefined) delete config[key];
  const schema = describedNode(def).configSchema as Schema;
  for (const key of schema.required ?? []) {
    if (config[key] !== undefined || key === 'credentialId') continue;
    const value = ID_FIELD.test(key) && !schema.properties?.[key]?.enum ? pickPlaceholder(ref, key) : placeholder(schema.properties?.[key] ?? {}, key, ref);
    if (value !== undefined) config[key] = value;
  }
  // A message with only a subject required (an email) still carries the data as its body.
  const BODY = ['text', 'body', 'content', 'message'];
  const body = BODY.find((k) => schema.properties?.[k] && typeOf(schema.properties[k]) === 'string');
  if (body && config[body] === undefined && !(schema.required ?? []).some((k) => BODY.includes(k))) config[body] = `{{ ${ref} }}`;
  // An empty list the node refuses (recipients: "give at least one address") is the user's to pick.
  const check = def.config.safeParse(config);
  if (!check.success) {
    for (const issue of check.error.issues) {
      const key = issue.path[0];
      if (issue.path.length === 1 && typeof key === 'string' && Array.isArray(config[key]) && (config[key] as unknown[]).length === 0) config[key] = pickPlaceholder(ref, key);
    }
  }
  // A text field the example filled with its own sample input points at this graph's data instead.
  for (const [key, value] of Object.entries(config)) {
    if (TEXT_FIELDS.test(key) && typeof value === 'string' && value.includes('$trigger.body') && ref !== '$trigger.body') config[key] = value.replaceAll('$trigger.body', ref);
  }
  // A text field that is the previous step's whole output (an object, unless it is an AI answer's text) gets it as JSON text.
  if (!/\.text$/.test(ref)) {
    for (const [key, value] of Object.entries(config)) if (TEXT_FIELDS.test(key) && value === `{{ ${ref} }}` && typeOf(schema.properties?.[key]) === 'string') config[key] = `{{ json(${ref}) }}`;
  }
  return config;
}
