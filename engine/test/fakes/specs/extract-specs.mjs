// Trims the official request schemas to the fields Keyflow sends. Run by hand when a spec
// changes; the specs themselves are not in this repo (see SOURCE.md):
//   node extract-specs.mjs <openai openapi.json> <anthropic spec as JSON>
import { readFileSync, writeFileSync } from 'node:fs';

const dropKeys = new Set(['description', 'example', 'examples', 'title', 'deprecated', 'default', 'discriminator']);

/** Drops documentation keywords; inside a `properties` map the keys are field names and stay. */
function clean(node, isPropertyMap = false) {
  if (Array.isArray(node)) return node.map((n) => clean(n));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (!isPropertyMap && (dropKeys.has(k) || k.startsWith('x-'))) continue;
    out[k] = k === '$ref' && !isPropertyMap ? v.replace('#/components/schemas/', '#/defs/') : clean(v, !isPropertyMap && k === 'properties');
  }
  return out;
}

/** Merges allOf members (resolving refs) into one object schema. */
function flatten(schemas, schema) {
  const merged = { type: 'object', properties: {}, required: [] };
  const parts = schema.allOf ?? [schema];
  for (const part of parts) {
    const resolved = part.$ref ? schemas[part.$ref.split('/').pop()] : part;
    const flat = resolved.allOf ? flatten(schemas, resolved) : resolved;
    Object.assign(merged.properties, flat.properties ?? {});
    merged.required.push(...(flat.required ?? []));
  }
  return merged;
}

function extract(schemas, rootName, keep, source) {
  const flat = flatten(schemas, schemas[rootName]);
  const properties = Object.fromEntries(keep.map((k) => {
    if (!flat.properties[k]) throw new Error(`${rootName} has no property ${k}`);
    return [k, clean(flat.properties[k])];
  }));
  const root = { type: 'object', required: flat.required.filter((r) => keep.includes(r)), properties, additionalProperties: false };
  const defs = {};
  const stack = [];
  JSON.stringify(root, (k, v) => (k === '$ref' && stack.push(v.split('/').pop()), v));
  while (stack.length) {
    const name = stack.pop();
    if (defs[name]) continue;
    defs[name] = clean(schemas[name]);
    JSON.stringify(defs[name], (k, v) => (k === '$ref' && stack.push(v.split('/').pop()), v));
  }
  return { source, root: rootName, schema: root, defs };
}

const [openaiPath, anthropicPath] = process.argv.slice(2);
const openai = JSON.parse(readFileSync(openaiPath, 'utf8'));
writeFileSync(new URL('./openai-chat-completions.request.json', import.meta.url), JSON.stringify(extract(openai.components.schemas, 'CreateChatCompletionRequest',
  ['model', 'messages', 'temperature', 'max_completion_tokens', 'max_tokens', 'response_format', 'stream', 'stream_options'],
  `openai/openai-openapi openapi.json (info.version ${openai.info.version})`), null, 1) + '\n');
const anthropic = JSON.parse(readFileSync(anthropicPath, 'utf8'));
writeFileSync(new URL('./anthropic-messages.request.json', import.meta.url), JSON.stringify(extract(anthropic.components.schemas, 'CreateMessageParams',
  ['model', 'messages', 'max_tokens', 'system', 'temperature', 'stream', 'tools', 'tool_choice'],
  `anthropic hosted_spec.yaml (info.version ${anthropic.info.version})`), null, 1) + '\n');
