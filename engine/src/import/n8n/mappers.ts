// One mapper per n8n node type: the Keyflow type, its config, and which of our output
// handles each n8n output index becomes. A mapper that cannot carry a node faithfully says
// why; the importer then keeps it as a core.unsupported placeholder.
import { conditionBlock, legacyConditions } from './conditions.ts';
import { literalText, translateDeep, translateString, type ExpressionCounts, type ExpressionScope } from './expressions.ts';
import type { N8nNode } from './export.schema.ts';
import { isRecord, locatorValue } from './records.ts';
import { parseTemplatedJson } from './templated-json.ts';
import { cronNodeCron, intervalNodeCron, scheduleTriggerCron, type CronResult } from './schedule.ts';
import { gmail, gmailTrigger, googleCalendar, googleDrive, googleDriveTrigger, googleSheets, googleSheetsTrigger } from './google.ts';
import { notionTrigger } from './notion-trigger.ts';
import { chatTrigger, formTrigger } from './hosted-triggers.ts';
import { main, mapped, requireType, str, type FoldedModel, type MapContext, type MapOutcome } from './map-kit.ts';
import { calTrigger, telegram, telegramTrigger, typeformTrigger, webflowTrigger } from './signed-apps.ts';

export type { FoldedModel, MapContext, Mapped, MapOutcome } from './map-kit.ts';

// ---- triggers -------------------------------------------------------------------------

function webhook(ctx: MapContext): MapOutcome {
  const method = typeof ctx.params.httpMethod === 'string' ? ctx.params.httpMethod.toUpperCase() : 'GET';
  if (!['POST', 'GET', 'PUT', 'PATCH', 'DELETE'].includes(method)) return { failure: `the webhook method ${method.slice(0, 20)} is not one Keyflow listens to` };
  const notes = ['the webhook gets a new URL in Keyflow (its n8n path is not kept)'];
  const mode = ctx.params.responseMode;
  if (mode === 'lastNode') notes.push('n8n answered with the last node\'s data; Keyflow answers 202 at once unless a Respond node is used');
  if (typeof ctx.params.authentication === 'string' && ctx.params.authentication !== 'none') notes.push('n8n checked a credential on each call: set a webhook signature in Keyflow');
  return mapped('core.webhook', { method, responseMode: mode === 'responseNode' ? 'wait' : 'accepted' }, notes);
}

function fromCron(r: CronResult, ctx: MapContext): MapOutcome {
  if (r.cron === undefined) return { failure: r.failure ?? 'the schedule could not be read' };
  return mapped('core.schedule', { cron: r.cron, timezone: ctx.timezone }, r.notes);
}

// ---- flow ---------------------------------------------------------------------------

function ifNode(ctx: MapContext): MapOutcome {
  const r = isRecord(ctx.params.conditions) && Array.isArray(ctx.params.conditions.conditions) ? conditionBlock(ctx.params.conditions, ctx.scope, ctx.counts) : legacyConditions(ctx.params, ctx.scope, ctx.counts);
  if ('failure' in r) return r;
  return mapped('core.condition', { if: `{{ ${r.expression} }}` }, [], (i) => (i === 0 ? 'true' : i === 1 ? 'false' : undefined));
}

function filterNode(ctx: MapContext): MapOutcome {
  const r = isRecord(ctx.params.conditions) && Array.isArray(ctx.params.conditions.conditions) ? conditionBlock(ctx.params.conditions, ctx.scope, ctx.counts) : legacyConditions(ctx.params, ctx.scope, ctx.counts);
  if ('failure' in r) return r;
  // A filter passes what matches and drops the rest: the condition's false branch leads nowhere.
  return mapped('core.condition', { if: `{{ ${r.expression} }}` }, ['a Filter becomes a condition: what does not match stops here'], (i) => (i === 0 ? 'true' : i === 1 ? 'false' : undefined));
}

function switchNode(ctx: MapContext): MapOutcome {
  const p = ctx.params;
  const mode = typeof p.mode === 'string' ? p.mode : 'rules';
  if (mode !== 'rules') return { failure: 'a Switch that computes its output index from an expression has no counterpart' };
  const fallback = isRecord(p.options) ? p.options.fallbackOutput : p.fallbackOutput;
  // v3: rules.values[{ conditions }]; v1/v2: value1 + rules.rules[{ operation, value2, output }].
  const rules = isRecord(p.rules) ? p.rules : {};
  const cases: { equals: string; handle: string }[] = [];
  const handleOf = new Map<number, string>();
  if (Array.isArray(rules.values)) {
    for (const [i, rule] of rules.values.entries()) {
      if (!isRecord(rule)) return { failure: `rule ${i + 1} is not an object` };
      const r = conditionBlock(rule.conditions, ctx.scope, ctx.counts);
      if ('failure' in r) return { failure: `rule ${i + 1}: ${r.failure}` };
      cases.push({ equals: `{{ ${r.expression} }}`, handle: `case${i}` });
      handleOf.set(i, `case${i}`);
    }
  } else if (Array.isArray(rules.rules)) {
    const dataType = typeof p.dataType === 'string' ? p.dataType : 'number';
    for (const [i, rule] of rules.rules.entries()) {
      if (!isRecord(rule)) return { failure: `rule ${i + 1} is not an object` };
      const block = { conditions: [{ leftValue: p.value1, rightValue: rule.value2, operator: { type: dataType, operation: rule.operation ?? 'equal' } }] };
      const r = conditionBlock(block, ctx.scope, ctx.counts);
      if ('failure' in r) return { failure: `rule ${i + 1}: ${r.failure}` };
      const output = typeof rule.output === 'number' ? rule.output : i;
      if (handleOf.has(output)) return { failure: `several rules send to output ${output}, which a Keyflow switch cannot express` };
      cases.push({ equals: `{{ ${r.expression} }}`, handle: `case${output}` });
      handleOf.set(output, `case${output}`);
    }
  } else return { failure: 'the Switch rules are not in a form we know' };
  if (cases.length === 0) return { failure: 'the Switch has no rules' };
  if (cases.length > 50) return { failure: 'a Keyflow switch has at most 50 cases' };
  const fallbackIndex = fallback === 'extra' ? cases.length : typeof fallback === 'number' ? fallback : undefined;
  const notes = ['each case is tested in order; the first that holds is taken'];
  if (isRecord(p.options) && p.options.allMatchingOutputs === true) notes.push('n8n sent to every matching output; Keyflow takes the first');
  // Every case compares its condition with true: the first that holds wins, as in n8n.
  return mapped('core.switch', { value: true, cases }, notes, (i) => (i === fallbackIndex && !handleOf.has(i) ? 'default' : handleOf.get(i)));
}

function setNode(ctx: MapContext): MapOutcome {
  const p = ctx.params;
  const fields: { name: string; value: unknown }[] = [];
  const notes: string[] = [];
  if (p.mode === 'raw') return rawSet(ctx);
  const typedValue = (type: unknown, value: unknown): unknown => {
    if (typeof value === 'string' && value.startsWith('=')) return translateString(value, ctx.scope, ctx.counts);
    if (type === 'number' && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
    if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
    return typeof value === 'string' ? literalText(value) : translateDeep(value, ctx.scope, ctx.counts);
  };
  let keepInput: boolean;
  if (isRecord(p.assignments) && Array.isArray(p.assignments.assignments)) {
    // v3.3+
    for (const a of p.assignments.assignments) if (isRecord(a) && typeof a.name === 'string') fields.push({ name: a.name, value: typedValue(a.type, a.value) });
    keepInput = p.includeOtherFields === true;
    if (keepInput && (p.include === 'selected' || p.include === 'except')) notes.push('n8n kept only some input fields; Keyflow keeps all of them');
  } else if (isRecord(p.fields) && Array.isArray(p.fields.values)) {
    // v3.0-3.2
    for (const f of p.fields.values) {
      if (!isRecord(f) || typeof f.name !== 'string') continue;
      const type = typeof f.type === 'string' ? f.type : 'stringValue';
      const key = type.endsWith('Value') ? type : `${type}Value`;
      fields.push({ name: f.name, value: typedValue(type.replace(/Value$/, ''), f[key] ?? f.stringValue) });
    }
    keepInput = p.include !== 'none' && p.includeOtherFields === true;
  } else {
    // v1/v2: values.{string,number,boolean}[{ name, value }]
    const values = isRecord(p.values) ? p.values : {};
    for (const [type, list] of Object.entries(values)) {
      if (!Array.isArray(list)) continue;
      for (const f of list) if (isRecord(f) && typeof f.name === 'string') fields.push({ name: f.name, value: typedValue(type, f.value) });
    }
    keepInput = p.keepOnlySet !== true;
  }
  // "=to" is an expression with no {{ }}: the constant name "to".
  for (const f of fields) if (f.name.startsWith('=') && !f.name.includes('{{')) f.name = f.name.slice(1).trim();
  if (fields.some((f) => f.name.startsWith('=') || f.name === '')) return { failure: 'a field name is computed by an expression' };
  return mapped('core.transform', { fields, keepInput }, notes);
}

/** Set in JSON mode: carried when the JSON is an object literal (its strings may hold `{{ }}`). */
function rawSet(ctx: MapContext): MapOutcome {
  const raw = ctx.params.jsonOutput;
  const expression = typeof raw === 'string' && raw.startsWith('=');
  const body = typeof raw === 'string' ? (expression ? raw.slice(1) : raw) : '';
  const parsed = typeof raw !== 'string' ? undefined : expression ? parseTemplatedJson(body) : parseJson(body);
  if (!parsed || !isRecord(parsed.value)) {
    // `={{ { ...$json, score } }}`: one JavaScript expression builds the whole output.
    const whole = expression ? /^\s*\{\{([\s\S]*)\}\}\s*$/.exec(body) : null;
    if (whole && !whole[1]!.includes('{{')) return rawSetAsCode(ctx, whole[1]!.trim());
    return { failure: parsed ? 'Set in JSON mode without a JSON object; not carried over' : 'Set in JSON mode builds its output with an expression that is not a JSON object; not carried over' };
  }
  const fields = Object.entries(parsed.value).map(([name, v]) => ({ name, value: jsonAsExpression(ctx, v, expression) }));
  return mapped('core.transform', { fields, keepInput: ctx.params.includeOtherFields === true });
}

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/** A value parsed from n8n JSON text: its strings translated (as expressions when the text was one). */
function jsonAsExpression(ctx: MapContext, v: unknown, expression: boolean): unknown {
  if (typeof v === 'string') return translateString(expression ? `=${v}` : v, ctx.scope, ctx.counts);
  if (Array.isArray(v)) return v.map((x) => jsonAsExpression(ctx, x, expression));
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: jsonAsExpression(ctx, x, expression), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

/** HTTP Request's query or headers given as JSON text: an object of names to values, or a reason. */
function jsonPairs(ctx: MapContext, raw: unknown, what: string): { name: string; value: unknown }[] | { failure: string } {
  if (isRecord(raw)) return Object.entries(raw).map(([name, value]) => ({ name, value: jsonAsExpression(ctx, value, false) }));
  if (typeof raw !== 'string') return { failure: `the ${what} given as JSON are missing` };
  const expression = raw.startsWith('=');
  const parsed = expression ? parseTemplatedJson(raw.slice(1)) : parseJson(raw);
  if (!parsed || !isRecord(parsed.value)) return { failure: `the ${what} given as JSON are not one JSON object; not carried over` };
  return Object.entries(parsed.value).map(([name, value]) => ({ name, value: jsonAsExpression(ctx, value, expression) }));
}

/**
 * Set in JSON mode whose whole output is one JavaScript expression (`={{ { ...$json, score } }}`,
 * `={{ $('Event').first().json.body }}`): our expressions have no spread or object literals, so it
 * runs as that expression in core.code, once per item, with other nodes read through $node.
 */
function rawSetAsCode(ctx: MapContext, js: string): MapOutcome {
  const missing = requireType(ctx, 'core.code');
  if (missing) return { failure: `Set in JSON mode builds its output with a JavaScript expression, which needs core.code: ${missing}` };
  const { code: expr, unknown } = codeNodeRefs(js, ctx.scope);
  if (unknown.length > 0) return { failure: `Set in JSON mode reads nodes this export does not have (${unknown.slice(0, 3).map((n) => `'${n.slice(0, 60)}'`).join(', ')})` };
  const value = ctx.params.includeOtherFields === true ? `{ ...$json, ...(${expr}) }` : `(${expr})`;
  ctx.counts.translated++;
  return mapped('core.code', { code: `return { json: ${value} };`, mode: 'runOnceForEachItem' }, ["n8n built this Set's output with one JavaScript expression: it runs in a Code node (n8n-only helpers such as .parseJson() or $now.format() need a hand)"]);
}

function merge(ctx: MapContext): MapOutcome {
  const mode = typeof ctx.params.mode === 'string' ? ctx.params.mode : 'append';
  if (mode === 'chooseBranch') return mapped('core.merge', { mode: 'first' }, ['n8n passed one chosen branch on; Keyflow passes the first branch that ran']);
  return mapped('core.merge', { mode: 'all' }, [`n8n's '${mode.slice(0, 40)}' joined items; Keyflow's merge outputs an object keyed by the id of each branch's node`]);
}

function loop(ctx: MapContext, version: number): MapOutcome {
  const notes = [`items: ${ctx.scope.current} (the previous node's output, which must be a list)`];
  const size = ctx.params.batchSize;
  if (size !== undefined && size !== 1) notes.push(`n8n ran batches of ${String(size).slice(0, 20)}; Keyflow runs one item at a time`);
  // v3 (Loop Over Items): output 0 = done, 1 = loop. v1/v2: output 0 = the batch, no done output.
  const handle = version >= 3 ? (i: number) => (i === 0 ? 'done' : i === 1 ? 'item' : undefined) : (i: number) => (i === 0 ? 'item' : undefined);
  return mapped('core.loop', { items: `{{ ${ctx.scope.current} }}` }, notes, handle);
}

function wait(ctx: MapContext): MapOutcome {
  const resume = typeof ctx.params.resume === 'string' ? ctx.params.resume : 'timeInterval';
  if (resume !== 'timeInterval') return { failure: `a Wait that resumes on '${resume.slice(0, 40)}' has no counterpart (Keyflow waits for a time)` };
  const unit = typeof ctx.params.unit === 'string' ? ctx.params.unit : 'hours';
  if (!['seconds', 'minutes', 'hours', 'days'].includes(unit)) return { failure: `the wait unit '${unit.slice(0, 20)}' is not known` };
  const raw = ctx.params.amount ?? 1;
  const amount = typeof raw === 'string' ? (raw.startsWith('=') ? str(ctx, raw) : Number(raw)) : raw;
  return mapped('core.delay', { amount, unit });
}

function respond(ctx: MapContext): MapOutcome {
  const p = ctx.params;
  const options = isRecord(p.options) ? p.options : {};
  const respondWith = typeof p.respondWith === 'string' ? p.respondWith : 'firstIncomingItem';
  let body: unknown;
  const notes: string[] = [];
  if (respondWith === 'firstIncomingItem' || respondWith === 'allIncomingItems') body = `{{ ${ctx.scope.current} }}`;
  else if (respondWith === 'json') {
    const raw = p.responseBody;
    if (typeof raw === 'string' && !raw.startsWith('=')) {
      try {
        body = translateDeep(JSON.parse(raw), ctx.scope, ctx.counts);
      } catch {
        return { failure: 'the JSON response body is not valid JSON' };
      }
    } else body = typeof raw === 'string' ? str(ctx, raw) : translateDeep(raw ?? {}, ctx.scope, ctx.counts);
  } else if (respondWith === 'text') body = str(ctx, p.responseBody);
  else if (respondWith === 'noData') body = null;
  else return { failure: `responding with '${respondWith.slice(0, 40)}' has no counterpart` };
  const config: Record<string, unknown> = { body };
  if (options.responseCode !== undefined) config.status = options.responseCode;
  const entries = isRecord(options.responseHeaders) && Array.isArray(options.responseHeaders.entries) ? options.responseHeaders.entries : [];
  const headers: Record<string, string> = {};
  for (const e of entries) if (isRecord(e) && typeof e.name === 'string') headers[e.name] = str(ctx, e.value);
  if (Object.keys(headers).length > 0) config.headers = headers;
  return mapped('core.respond', config, notes);
}

function code(ctx: MapContext, kind: 'code' | 'function' | 'functionItem'): MapOutcome {
  const missing = requireType(ctx, 'core.code');
  if (missing) return { failure: missing };
  const p = ctx.params;
  if (kind === 'code' && typeof p.language === 'string' && p.language !== 'javaScript') return { failure: `Code in ${p.language.slice(0, 20)} is not supported (Keyflow runs JavaScript)` };
  const source = kind === 'code' ? p.jsCode : p.functionCode;
  if (typeof source !== 'string' || source.trim() === '') return { failure: 'the Code node has no JavaScript' };
  const mode = kind === 'functionItem' || (kind === 'code' && p.mode === 'runOnceForEachItem') ? 'runOnceForEachItem' : 'runOnceForAllItems';
  const notes: string[] = [];
  const { code: rewritten, unknown } = codeNodeRefs(source, ctx.scope);
  if (unknown.length > 0) notes.push(`the code reads nodes this export does not have (${unknown.slice(0, 3).map((n) => `'${n.slice(0, 60)}'`).join(', ')}): check those references`);
  else if (rewritten !== source) notes.push("the code's reads of other nodes ($('Name')…) now go through $node[\"id\"].output");
  // Otherwise the code is kept as written; core.code provides $input.all(), $json and items.
  return mapped('core.code', { code: rewritten, mode }, notes);
}

/** A quoted node name; `n` is the number of its quote's group, for the back-reference. */
const quotedName = (n: number) => `(['"])((?:\\\\.|(?!\\${n})[^\\\\])*)\\${n}`;
/** `$('Name')` and `$node["Name"]` accesses, with what follows them: `.item.json`, `.first()`, `.all()`… */
const CODE_REF = new RegExp(String.raw`\$\(\s*${quotedName(1)}\s*\)\s*\.\s*(item|first\(\s*\)|last\(\s*\)|all\(\s*\))(\s*\.\s*json\b)?|\$node\s*\[\s*${quotedName(5)}\s*\]\s*\.\s*json\b`, 'g');

/**
 * n8n code reads other nodes as `$('Name').first().json`, `.item.json`, `.all()`, or
 * `$node["Name"].json`; core.code has `$node["<id>"].output`. Rewrites the reads of nodes the export
 * has (the same value, as `{ json }` items where n8n gave items); names it does not have are listed.
 */
export function codeNodeRefs(source: string, scope: ExpressionScope): { code: string; unknown: string[] } {
  const unknown: string[] = [];
  const code = source.replace(CODE_REF, (whole, _q1, name1: string | undefined, access: string | undefined, json: string | undefined, _q2, name2: string | undefined) => {
    const name = (name1 ?? name2 ?? '').replace(/\\(['"\\])/g, '$1');
    const ref = scope.refOf(name);
    if (ref === undefined) {
      unknown.push(name);
      return whole;
    }
    if (name2 !== undefined || json) return `(${ref})`;
    if (access?.startsWith('all')) return `[].concat(${ref} ?? []).map((json) => ({ json }))`;
    return `({ json: ${ref} })`;
  });
  return { code, unknown };
}

function noOp(): MapOutcome {
  return mapped('core.transform', { fields: [], keepInput: true }, ['No Operation becomes a pass-through transform']);
}

// ---- HTTP -----------------------------------------------------------------------------

const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|apikey|x-auth-token|x-access-token)$/i;

function pairs(list: unknown): { name: string; value: unknown }[] {
  return Array.isArray(list) ? list.filter(isRecord).filter((e): e is { name: string; value: unknown } => typeof e.name === 'string' && e.name !== '') : [];
}

const MULTIPART_BOUNDARY = 'keyflow-n8n-import-boundary';

/** Text fields as a multipart/form-data body (RFC 7578), the content type naming its boundary. */
function multipartBody(ctx: MapContext, fields: { name: string; value: unknown }[], headers: Record<string, string>): string {
  headers['content-type'] = `multipart/form-data; boundary=${MULTIPART_BOUNDARY}`;
  const part = (f: { name: string; value: unknown }) => `--${MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name="${f.name.replace(/["\r\n]/g, '_')}"\r\n\r\n${typeof f.value === 'string' ? str(ctx, f.value) : String(f.value ?? '')}\r\n`;
  return `${fields.map(part).join('')}--${MULTIPART_BOUNDARY}--\r\n`;
}

function http(ctx: MapContext): MapOutcome {
  const p = ctx.params;
  const legacy = p.requestMethod !== undefined || p.queryParametersUi !== undefined || p.headerParametersUi !== undefined || p.bodyParametersUi !== undefined || p.jsonParameters !== undefined;
  const method = String(legacy ? (p.requestMethod ?? 'GET') : (p.method ?? 'GET')).toUpperCase();
  if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].includes(method)) return { failure: `the method ${method.slice(0, 20)} is not supported` };
  const options = isRecord(p.options) ? p.options : {};
  const notes: string[] = [];
  const config: Record<string, unknown> = { method, url: str(ctx, p.url) };

  const query: Record<string, unknown> = {};
  const jsonQuery = !legacy && p.sendQuery === true && p.specifyQuery === 'json' ? jsonPairs(ctx, p.jsonQuery, 'query parameters') : undefined;
  if (jsonQuery && 'failure' in jsonQuery) return jsonQuery;
  const queryList = jsonQuery ?? (legacy ? pairs(isRecord(p.queryParametersUi) ? p.queryParametersUi.parameter : undefined) : p.sendQuery === true ? pairs(isRecord(p.queryParameters) ? p.queryParameters.parameters : undefined) : []);
  for (const q of queryList) {
    if (jsonQuery) Object.defineProperty(query, q.name, { value: q.value, enumerable: true, writable: true, configurable: true });
    else query[q.name] = typeof q.value === 'number' || typeof q.value === 'boolean' ? q.value : str(ctx, q.value);
  }
  if (Object.keys(query).length > 0) config.query = query;

  const headers: Record<string, string> = {};
  const jsonHeaders = !legacy && p.sendHeaders === true && p.specifyHeaders === 'json' ? jsonPairs(ctx, p.jsonHeaders, 'headers') : undefined;
  if (jsonHeaders && 'failure' in jsonHeaders) return jsonHeaders;
  const headerList = jsonHeaders?.map((h) => ({ name: h.name, value: typeof h.value === 'string' ? h.value : JSON.stringify(h.value) })) ?? (legacy ? pairs(isRecord(p.headerParametersUi) ? p.headerParametersUi.parameter : undefined) : p.sendHeaders === true ? pairs(isRecord(p.headerParameters) ? p.headerParameters.parameters : undefined) : []);
  for (const h of headerList) {
    // Credentials are never imported, even when n8n held them in a plain header.
    if (SECRET_HEADER.test(h.name)) {
      notes.push(`the ${h.name} header was not imported (credentials are never imported): add it from a Keyflow credential`);
      continue;
    }
    headers[h.name] = jsonHeaders ? String(h.value) : str(ctx, h.value);
  }

  let body: unknown;
  const bodyless = method === 'GET' || method === 'HEAD';
  if (legacy) {
    if (p.jsonParameters === true && p.bodyParametersJson !== undefined) body = jsonBody(ctx, p.bodyParametersJson, headers);
    else {
      const list = pairs(isRecord(p.bodyParametersUi) ? p.bodyParametersUi.parameter : undefined);
      if (list.length > 0) body = Object.fromEntries(list.map((b) => [b.name, typeof b.value === 'string' ? str(ctx, b.value) : b.value]));
    }
  } else if (p.sendBody === true) {
    const type = typeof p.contentType === 'string' ? p.contentType : 'json';
    if (type === 'binaryData') return { failure: 'a binaryData body is not carried over' };
    if (type === 'multipart-form-data') {
      const list = isRecord(p.bodyParameters) && Array.isArray(p.bodyParameters.parameters) ? p.bodyParameters.parameters.filter(isRecord) : [];
      if (list.some((b) => b.parameterType === 'formBinaryData')) return { failure: 'a file in a multipart-form-data body is not carried over (Keyflow runs carry no binary data)' };
      body = multipartBody(ctx, pairs(list), headers);
    } else if (type === 'raw') {
      body = str(ctx, p.body);
      if (typeof p.rawContentType === 'string') headers['content-type'] = p.rawContentType;
    } else if (p.specifyBody === 'json') body = jsonBody(ctx, p.jsonBody, headers);
    else {
      const list = pairs(isRecord(p.bodyParameters) ? p.bodyParameters.parameters : undefined);
      const obj = Object.fromEntries(list.map((b) => [b.name, typeof b.value === 'string' ? str(ctx, b.value) : b.value]));
      if (type === 'form-urlencoded') {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        notes.push('a form body is sent as its fields joined by & (check the encoding of expressions)');
        body = Object.entries(obj).map(([k, v]) => `${encodeURIComponent(k)}=${typeof v === 'string' && v.includes('{{') ? v : encodeURIComponent(String(v))}`).join('&');
      } else body = obj;
    }
  }
  if (body !== undefined && bodyless) {
    notes.push(`n8n sent a body with ${method}; Keyflow does not, so it was dropped`);
    body = undefined;
  }
  if (body !== undefined) config.body = body;
  if (Object.keys(headers).length > 0) config.headers = headers;
  if (typeof options.timeout === 'number') config.timeoutMs = Math.min(300_000, Math.max(100, Math.round(options.timeout)));
  const auth = p.authentication;
  if (typeof auth === 'string' && auth !== 'none') notes.push('n8n authenticated this request with a credential: add the header from a Keyflow credential');
  if (options.response !== undefined || options.batching !== undefined || options.pagination !== undefined || p.pagination !== undefined) notes.push('response, batching and pagination options are not carried over');
  return mapped('core.http', config, notes);
}

/** A JSON body: literal text is parsed to a value; an expression stays a template (sent as text). */
function jsonBody(ctx: MapContext, raw: unknown, headers: Record<string, string>): unknown {
  if (typeof raw !== 'string') return translateDeep(raw, ctx.scope, ctx.counts);
  if (!raw.startsWith('=')) {
    try {
      return translateDeep(JSON.parse(raw), ctx.scope, ctx.counts);
    } catch {
      // not JSON: sent as the text it is
    }
  }
  headers['content-type'] ??= 'application/json';
  return str(ctx, raw);
}

// ---- integrations ----------------------------------------------------------------------

function slack(ctx: MapContext): MapOutcome {
  const p = ctx.params;
  const resource = typeof p.resource === 'string' ? p.resource : 'message';
  const operation = typeof p.operation === 'string' ? p.operation : 'post';
  if (resource === 'channel' && operation === 'getAll') {
    const missing = requireType(ctx, 'slack.list_channels');
    if (missing) return { failure: missing };
    const filters = isRecord(p.filters) ? p.filters : {};
    const types = Array.isArray(filters.types) ? filters.types.filter((t): t is string => typeof t === 'string' && ['public_channel', 'private_channel'].includes(t)) : [];
    const limit = p.returnAll === true ? 5_000 : typeof p.limit === 'number' ? Math.min(5_000, Math.max(1, Math.round(p.limit))) : 100;
    return mapped('slack.list_channels', { ...(types.length > 0 ? { types } : {}), excludeArchived: filters.excludeArchived !== false, limit }, ["n8n gave one item per channel; Keyflow's output lists them under 'channels'"]);
  }
  if (resource !== 'message' || (operation !== 'post' && operation !== 'send')) return { failure: `Slack ${resource}/${operation} has no Keyflow node yet` };
  const missing = requireType(ctx, 'slack.post_message');
  if (missing) return { failure: missing };
  if (p.select === 'user') return { failure: 'a Slack direct message to a user is not carried over (Keyflow posts to channels)' };
  const rl = isRecord(p.channelId) ? p.channelId : undefined;
  let channel = str(ctx, locatorValue(p.channelId ?? p.channel));
  // A channel by name (v2's name mode, v1's plain "general"): Slack's names are lower case.
  const byName = rl?.mode === 'name' || (rl === undefined && /^#?[A-Za-z0-9._-]+$/.test(channel) && !/^[CGD][A-Z0-9]{8,}$/.test(channel));
  if (byName && channel !== '' && !channel.includes('{{')) channel = `#${channel.replace(/^#/, '').toLowerCase()}`;
  const notes: string[] = [];
  let text = str(ctx, p.text);
  // v1 attachments with no text: their title and text become the message's text.
  const attachments = Array.isArray(p.attachments) ? p.attachments.filter(isRecord) : [];
  if (text === '' && attachments.length > 0) {
    text = attachments.map((a) => [a.title, a.text].filter((x): x is string => typeof x === 'string' && x !== '').map((x) => str(ctx, x)).join('\n')).filter((x) => x !== '').join('\n\n');
    notes.push("the message's attachments are posted as its text");
  }
  const config: Record<string, unknown> = { channel, text };
  if (p.messageType === 'block' || p.blocksUi !== undefined) notes.push('Block Kit blocks are not carried over; the text is');
  return mapped('slack.post_message', config, notes);
}

function trello(ctx: MapContext): MapOutcome {
  const p = ctx.params;
  const resource = typeof p.resource === 'string' ? p.resource : 'card';
  const operation = typeof p.operation === 'string' ? p.operation : 'create';
  if (resource !== 'card' || operation !== 'create') return { failure: `Trello ${resource}/${operation} has no Keyflow node mapping yet` };
  const missing = requireType(ctx, 'trello.create_card');
  if (missing) return { failure: missing };
  const extra = isRecord(p.additionalFields) ? p.additionalFields : {};
  const config: Record<string, unknown> = { listId: str(ctx, locatorValue(p.listId)), name: str(ctx, p.name) };
  if (typeof p.description === 'string' && p.description !== '') config.description = str(ctx, p.description);
  if (typeof extra.due === 'string' && extra.due !== '') config.due = str(ctx, extra.due);
  return mapped('trello.create_card', config);
}

/** n8n's Asana task getAll: filters { workspace, assignee, project, completed_since }, returnAll / limit. */
function asanaFind(ctx: MapContext): MapOutcome {
  const missing = requireType(ctx, 'asana.find_tasks');
  if (missing) return { failure: missing };
  const p = ctx.params;
  const filters = isRecord(p.filters) ? p.filters : {};
  const other = Object.keys(filters).filter((k) => !['workspace', 'assignee', 'project', 'completed_since'].includes(k));
  if (other.length > 0) return { failure: `the Asana filter '${other[0]!.slice(0, 40)}' is not carried over (asana.find_tasks filters by workspace, assignee, project and completion)` };
  if (typeof filters.workspace !== 'string' || filters.workspace === '') return { failure: 'asana.find_tasks searches one workspace, and n8n names none' };
  const config: Record<string, unknown> = { workspaceId: str(ctx, filters.workspace), limit: p.returnAll === true ? 2000 : typeof p.limit === 'number' ? Math.min(2000, Math.max(1, Math.round(p.limit))) : 100 };
  if (typeof filters.assignee === 'string' && filters.assignee !== '') config.assignee = str(ctx, filters.assignee);
  if (typeof filters.project === 'string' && filters.project !== '') config.projectId = str(ctx, filters.project);
  const notes = ["n8n gave one item per task; Keyflow's output lists them under 'tasks'"];
  if (filters.completed_since !== undefined && filters.completed_since !== '') {
    config.completed = false;
    notes.push('n8n listed the incomplete tasks and those completed since a date; Keyflow lists the incomplete ones');
  }
  if (p.returnAll === true) notes.push('"return all" reads at most 2000 tasks');
  return mapped('asana.find_tasks', config, notes);
}

/** n8n's Asana task update: id, otherProperties { name, notes, assignee, due_on }. */
function asanaUpdate(ctx: MapContext): MapOutcome {
  const missing = requireType(ctx, 'asana.update_task');
  if (missing) return { failure: missing };
  const p = ctx.params;
  const extra = isRecord(p.otherProperties) ? p.otherProperties : {};
  const taskId = str(ctx, p.id).trim();
  if (taskId === '') return { failure: 'the task to update is not set' };
  const known = ['name', 'notes', 'assignee', 'due_on'];
  const other = Object.keys(extra).filter((k) => !known.includes(k));
  if (other.length > 0) return { failure: `the Asana field '${other[0]!.slice(0, 40)}' is not carried over (asana.update_task changes name, notes, assignee and due)` };
  const config: Record<string, unknown> = { taskId };
  for (const [from, to] of [['name', 'name'], ['notes', 'notes'], ['assignee', 'assignee'], ['due_on', 'due']] as const) if (typeof extra[from] === 'string' && extra[from] !== '') config[to] = str(ctx, extra[from]);
  if (Object.keys(config).length === 1) return { failure: 'the update changes no field' };
  return mapped('asana.update_task', config);
}

/** n8n's Asana task create: workspace, name, otherProperties { notes, assignee, due_on, projects }. */
function asana(ctx: MapContext): MapOutcome {
  const p = ctx.params;
  const resource = typeof p.resource === 'string' ? p.resource : 'task';
  const operation = typeof p.operation === 'string' ? p.operation : 'create';
  if (resource === 'task' && operation === 'update') return asanaUpdate(ctx);
  if (resource === 'task' && operation === 'getAll') return asanaFind(ctx);
  if (resource !== 'task' || operation !== 'create') return { failure: `Asana ${resource}/${operation} has no Keyflow node mapping yet` };
  const missing = requireType(ctx, 'asana.create_task');
  if (missing) return { failure: missing };
  const extra = isRecord(p.otherProperties) ? p.otherProperties : {};
  const notes: string[] = [];
  const config: Record<string, unknown> = { name: str(ctx, p.name) };
  if (typeof p.workspace === 'string' && p.workspace !== '') config.workspaceId = str(ctx, p.workspace);
  const projects = Array.isArray(extra.projects) ? extra.projects.filter((x): x is string => typeof x === 'string') : [];
  if (projects.length > 0) config.projectId = str(ctx, projects[0]);
  if (projects.length > 1) notes.push('only the first project is carried over (add the task to the others with asana.add_to_project)');
  if (typeof extra.notes === 'string' && extra.notes !== '') config.notes = str(ctx, extra.notes);
  if (typeof extra.assignee === 'string' && extra.assignee !== '') config.assignee = str(ctx, extra.assignee);
  if (typeof extra.due_on === 'string' && extra.due_on !== '') config.due = str(ctx, extra.due_on);
  return mapped('asana.create_task', config, notes);
}

/** n8n's propertiesUi.propertyValues[{ key: 'Name|type', <typed value> }] → { Name: value }; Notion converts by the database's types. */
const NOTION_VALUE_KEYS = ['title', 'textContent', 'numberValue', 'selectValue', 'statusValue', 'multiSelectValue', 'checkboxValue', 'urlValue', 'emailValue', 'phoneValue', 'date', 'dateStart', 'peopleValue', 'relationValue'];

function notionProperties(ctx: MapContext): Record<string, unknown> | string {
  const ui = isRecord(ctx.params.propertiesUi) ? ctx.params.propertiesUi.propertyValues : undefined;
  const out: Record<string, unknown> = {};
  for (const [i, v] of (Array.isArray(ui) ? ui : []).entries()) {
    if (!isRecord(v) || typeof v.key !== 'string') return `property ${i + 1} has no key`;
    const name = v.key.split('|')[0]!;
    const valueKey = NOTION_VALUE_KEYS.find((k) => v[k] !== undefined);
    if (name === '' || valueKey === undefined) return `property '${name.slice(0, 100)}' has no value we can carry`;
    const value = v[valueKey];
    Object.defineProperty(out, name, { value: typeof value === 'string' ? str(ctx, value) : translateDeep(value, ctx.scope, ctx.counts), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const NOTION_NO_VALUE: Readonly<Record<string, unknown>> = { is_empty: true, is_not_empty: true, past_week: {}, past_month: {}, past_year: {}, next_week: {}, next_month: {}, next_year: {}, this_week: {} };
const NOTION_TIMESTAMPS = new Set(['created_time', 'last_edited_time']);

/**
 * n8n's Notion filters → a Notion filter object: filters.conditions[{ key: 'Name|type', condition, <value> }]
 * joined by matchType (any → or, all → and), or the JSON filter n8n was given. Undefined: no filter.
 */
function notionFilter(ctx: MapContext): unknown {
  const p = ctx.params;
  if (p.filterType === 'json') {
    const raw = p.filterJson;
    if (typeof raw !== 'string' || raw.trim() === '') return undefined;
    if (raw.startsWith('=')) return str(ctx, raw);
    try {
      return translateDeep(JSON.parse(raw), ctx.scope, ctx.counts);
    } catch {
      return { failure: "the Notion JSON filter is not JSON" };
    }
  }
  if (p.filterType !== 'manual') return undefined;
  const conditions = isRecord(p.filters) && Array.isArray(p.filters.conditions) ? p.filters.conditions : [];
  const list: Record<string, unknown>[] = [];
  for (const [i, c] of conditions.entries()) {
    if (!isRecord(c) || typeof c.key !== 'string' || typeof c.condition !== 'string') return { failure: `Notion filter ${i + 1} has no property or condition` };
    const cut = c.key.lastIndexOf('|');
    const [name, type] = cut < 0 ? [c.key, ''] : [c.key.slice(0, cut), c.key.slice(cut + 1)];
    if (!/^[a-z_]{1,40}$/.test(type) || ['formula', 'rollup'].includes(type)) return { failure: `Notion filter ${i + 1} is on a ${type.slice(0, 40) || 'untyped'} property, which is not carried over` };
    if (!/^[a-z_]{1,40}$/.test(c.condition)) return { failure: `Notion filter ${i + 1} has the unknown condition '${c.condition.slice(0, 40)}'` };
    let value: unknown;
    if (Object.hasOwn(NOTION_NO_VALUE, c.condition)) value = NOTION_NO_VALUE[c.condition];
    else {
      const valueKey = Object.keys(c).find((k) => k !== 'key' && k !== 'condition' && k !== 'returnAll');
      if (valueKey === undefined) return { failure: `Notion filter ${i + 1} ('${name.slice(0, 60)}') has no value` };
      const v = c[valueKey];
      value = typeof v === 'string' ? str(ctx, v) : translateDeep(v, ctx.scope, ctx.counts);
    }
    const test = Object.defineProperty({}, c.condition, { value, enumerable: true, writable: true, configurable: true });
    const entry = NOTION_TIMESTAMPS.has(type) ? { timestamp: type } : { property: name };
    list.push(Object.defineProperty(entry, type, { value: test, enumerable: true, writable: true, configurable: true }));
  }
  if (list.length === 0) return undefined;
  return list.length === 1 ? list[0] : { [p.matchType === 'allFilters' ? 'and' : 'or']: list };
}

function notion(ctx: MapContext): MapOutcome {
  const p = ctx.params;
  const resource = typeof p.resource === 'string' ? p.resource : 'page';
  const operation = typeof p.operation === 'string' ? p.operation : resource === 'databasePage' ? 'create' : 'get';
  const id = (key: string) => str(ctx, locatorValue(p[key]));
  if (resource === 'databasePage' && (operation === 'create' || operation === 'update')) {
    const type = operation === 'create' ? 'notion.create_page' : 'notion.update_page';
    const missing = requireType(ctx, type);
    if (missing) return { failure: missing };
    const properties = notionProperties(ctx);
    if (typeof properties === 'string') return { failure: properties };
    const notes = typeof p.title === 'string' && p.title !== '' ? ["n8n's separate page title is not carried: set the title property"] : [];
    return mapped(type, operation === 'create' ? { databaseId: id('databaseId'), properties } : { pageId: id('pageId'), properties }, notes);
  }
  if (resource === 'databasePage' && operation === 'getAll') {
    const missing = requireType(ctx, 'notion.query_database');
    if (missing) return { failure: missing };
    const filter = notionFilter(ctx);
    if (isRecord(filter) && 'failure' in filter) return { failure: String(filter.failure) };
    const limit = p.returnAll === true ? 100 : typeof p.limit === 'number' ? Math.min(100, Math.max(1, Math.round(p.limit))) : 50;
    return mapped('notion.query_database', { databaseId: id('databaseId'), ...(filter !== undefined ? { filter } : {}), limit }, p.returnAll === true ? ['"return all" reads at most 100 pages'] : []);
  }
  if (resource === 'block' && operation === 'getAll') {
    // A page's child blocks: notion.get_page reads the page with its top-level blocks as text.
    const missing = requireType(ctx, 'notion.get_page');
    if (missing) return { failure: missing };
    const notes = ["n8n listed the page's blocks as items; Keyflow reads the page with their text under 'content'"];
    if (p.fetchNestedBlocks === true) notes.push('nested blocks are not read, only the top level');
    return mapped('notion.get_page', { pageId: id('blockId'), includeContent: true }, notes);
  }
  return { failure: `Notion ${resource}/${operation} has no Keyflow node mapping yet` };
}

// ---- AI -------------------------------------------------------------------------------

function aiConfig(ctx: MapContext, prompt: string, system: string | undefined, notes: string[], model?: { provider?: string; model?: string }): MapOutcome {
  const missing = requireType(ctx, 'ai.complete');
  if (missing) return { failure: missing };
  if (prompt.trim() === '') return { failure: 'the AI node has no prompt' };
  const config: Record<string, unknown> = { prompt };
  if (system !== undefined && system.trim() !== '') config.system = system;
  const m = model ?? ctx.model;
  if (m?.model) {
    const shape = (ctx.registry.latest('ai.complete')?.config as { shape?: Record<string, unknown> } | undefined)?.shape;
    const ref = m.provider ? `${m.provider}/${m.model}` : m.model;
    if (shape && 'referenceModel' in shape) config.referenceModel = ref;
    else notes.push(`n8n used the model ${ref.slice(0, 120)}; Keyflow picks a model by tier (pin one in "model" if you need it)`);
  }
  if (ctx.subNodes.length > 0) notes.push(`its ${ctx.subNodes.map((s) => s.connection.replace(/^ai_/, '')).join(', ')} sub-nodes are not carried: it becomes one AI call`);
  return mapped('ai.complete', config, notes);
}

function messageText(ctx: MapContext, list: unknown, roleKey: string, contentKey: string, systemRole: (role: unknown) => boolean): { prompt: string[]; system: string[] } {
  const out = { prompt: [] as string[], system: [] as string[] };
  if (!Array.isArray(list)) return out;
  for (const m of list) {
    if (!isRecord(m)) continue;
    const text = str(ctx, m[contentKey]);
    if (text === '') continue;
    (systemRole(m[roleKey]) ? out.system : out.prompt).push(text);
  }
  return out;
}

function langchainOpenAi(ctx: MapContext): MapOutcome {
  const p = ctx.params;
  const resource = typeof p.resource === 'string' ? p.resource : 'text';
  const operation = typeof p.operation === 'string' ? p.operation : 'message';
  if (resource !== 'text' || !['message', 'response'].includes(operation)) return { failure: `OpenAI ${resource}/${operation} has no counterpart (Keyflow completes text)` };
  const messages = isRecord(p.messages) ? p.messages : isRecord(p.responses) ? p.responses : {};
  const m = messageText(ctx, messages.values, 'role', 'content', (r) => r === 'system');
  const options = isRecord(p.options) ? p.options : {};
  if (typeof options.instructions === 'string') m.system.push(str(ctx, options.instructions));
  const notes: string[] = [];
  if (p.jsonOutput === true) notes.push('n8n asked for JSON output: set jsonSchema on the node for a checked answer');
  const model = locatorValue(p.modelId ?? p.model);
  return aiConfig(ctx, m.prompt.join('\n\n'), m.system.join('\n\n') || undefined, notes, typeof model === 'string' && !model.startsWith('=') ? { provider: 'openai', model } : undefined);
}

function legacyOpenAi(ctx: MapContext): MapOutcome {
  const p = ctx.params;
  const resource = typeof p.resource === 'string' ? p.resource : 'text';
  const operation = typeof p.operation === 'string' ? p.operation : 'complete';
  const model = typeof p.model === 'string' && !p.model.startsWith('=') ? { provider: 'openai', model: p.model } : undefined;
  // Chat messages under prompt.messages (resource chat), or under messages.values as the newer OpenAI node writes them.
  const values = isRecord(p.messages) && Array.isArray(p.messages.values) ? p.messages.values : undefined;
  if (resource === 'chat' || (values !== undefined && p.prompt === undefined)) {
    const m = messageText(ctx, resource === 'chat' && isRecord(p.prompt) ? p.prompt.messages : values, 'role', 'content', (r) => r === 'system');
    return aiConfig(ctx, m.prompt.join('\n\n'), m.system.join('\n\n') || undefined, [], model);
  }
  if (resource === 'text' && (operation === 'complete' || operation === 'edit')) {
    const prompt = str(ctx, operation === 'edit' ? `${String(p.instruction ?? '')}\n\n${String(p.input ?? '')}` : p.prompt);
    return aiConfig(ctx, prompt, undefined, [], model);
  }
  return { failure: `OpenAI ${resource}/${operation} has no counterpart (Keyflow completes text)` };
}

function chainPrompt(ctx: MapContext): string {
  const p = ctx.params;
  const chatInput = `{{ ${ctx.scope.current}.chatInput }}`;
  if (p.promptType === 'define' || (p.promptType === undefined && typeof p.text === 'string')) return str(ctx, p.text);
  if (typeof p.prompt === 'string') return str(ctx, p.prompt);
  ctx.counts.translated++;
  return chatInput;
}

function chainLlm(ctx: MapContext): MapOutcome {
  const p = ctx.params;
  const messages = isRecord(p.messages) ? p.messages.messageValues : undefined;
  const m = messageText(ctx, messages, 'type', 'message', (t) => t === undefined || t === 'SystemMessagePromptTemplate');
  const prompt = [chainPrompt(ctx), ...m.prompt].filter((s) => s !== '').join('\n\n');
  return aiConfig(ctx, prompt, m.system.join('\n\n') || undefined, []);
}

function agent(ctx: MapContext): MapOutcome {
  const options = isRecord(ctx.params.options) ? ctx.params.options : {};
  const system = typeof options.systemMessage === 'string' ? str(ctx, options.systemMessage) : undefined;
  return aiConfig(ctx, chainPrompt(ctx), system, []);
}

const SCHEMA_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);

/** A JSON Schema from an example value: the types it shows, every field required. */
function schemaOfExample(value: unknown, depth = 0): Record<string, unknown> {
  if (depth > 8) return {};
  if (Array.isArray(value)) return { type: 'array', ...(value.length > 0 ? { items: schemaOfExample(value[0], depth + 1) } : {}) };
  if (isRecord(value)) {
    const properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, schemaOfExample(v, depth + 1)]));
    return { type: 'object', properties, required: Object.keys(properties) };
  }
  if (typeof value === 'number') return { type: Number.isInteger(value) ? 'integer' : 'number' };
  if (typeof value === 'boolean') return { type: 'boolean' };
  return value === null ? {} : { type: 'string' };
}

/** The Information Extractor's schema: its attribute list, a JSON example, or a JSON Schema written by hand. */
function extractorSchema(p: Record<string, unknown>): { schema: Record<string, unknown> } | { failure: string } {
  const parse = (text: unknown): { value: unknown } | undefined => {
    if (typeof text !== 'string') return undefined;
    try {
      return { value: JSON.parse(text) };
    } catch {
      return undefined;
    }
  };
  if (p.schemaType === 'manual') {
    const schema = parse(p.inputSchema)?.value;
    return isRecord(schema) ? { schema } : { failure: "the extractor's JSON Schema is not a JSON object" };
  }
  if (p.schemaType === 'fromJson') {
    const example = parse(p.jsonSchemaExample);
    return example ? { schema: schemaOfExample(example.value) } : { failure: "the extractor's JSON example is not JSON" };
  }
  const list = isRecord(p.attributes) && Array.isArray(p.attributes.attributes) ? p.attributes.attributes.filter(isRecord) : [];
  const attributes = list.filter((a): a is Record<string, unknown> & { name: string } => typeof a.name === 'string' && a.name !== '');
  if (attributes.length === 0) return { failure: 'the extractor names no attributes' };
  const properties = Object.fromEntries(
    attributes.map((a) => {
      // n8n's attribute types are string, number, boolean and date (an ISO string).
      const type = typeof a.type === 'string' && SCHEMA_TYPES.has(a.type) ? a.type : 'string';
      return [a.name, { type, ...(typeof a.description === 'string' && a.description !== '' ? { description: a.description } : {}) }];
    }),
  );
  const required = attributes.filter((a) => a.required === true).map((a) => a.name);
  return { schema: { type: 'object', properties, ...(required.length > 0 ? { required } : {}) } };
}

/** Text Classifier → an AI call answering one category (JSON Schema enum), then a switch on it: one output per category, as in n8n. */
function textClassifier(ctx: MapContext): MapOutcome {
  const p = ctx.params;
  const options = isRecord(p.options) ? p.options : {};
  if (options.multiClass === true) return { failure: 'a multi-class Text Classifier (several outputs at once) has no counterpart: a Keyflow switch takes one branch' };
  const list = isRecord(p.categories) && Array.isArray(p.categories.categories) ? p.categories.categories.filter(isRecord) : [];
  const categories = list.filter((c): c is Record<string, unknown> & { category: string } => typeof c.category === 'string' && c.category.trim() !== '');
  if (categories.length === 0) return { failure: 'the Text Classifier has no categories' };
  if (new Set(categories.map((c) => c.category)).size !== categories.length) return { failure: 'the Text Classifier repeats a category' };
  // n8n's fallback "other" adds one output after the categories; "discard" (the default) drops the item.
  const other = options.fallback === 'other';
  const labels = [...categories.map((c) => c.category), ...(other ? ['other'] : [])];
  if (new Set(labels).size !== labels.length) return { failure: "a category named 'other' beside the fallback output 'other'" };
  const lines = [...categories.map((c) => `- ${c.category}${typeof c.description === 'string' && c.description !== '' ? `: ${c.description}` : ''}`), ...(other ? ['- other: none of the above'] : [])];
  const input = typeof p.inputText === 'string' ? str(ctx, p.inputText) : `{{ ${ctx.scope.current}.text }}`;
  const system = typeof options.systemPromptTemplate === 'string' ? str(ctx, options.systemPromptTemplate).replaceAll('{categories}', labels.join(', ')) : undefined;
  const prompt = `Classify the text into exactly one of these categories:\n${lines.join('\n')}\n\nText:\n${input}`;
  const notes = ['n8n routed the item itself; Keyflow asks the AI for the category, then a switch routes on its answer'];
  if (!other) notes.push('an answer outside the categories goes to the switch\'s default output, which n8n discarded');
  const outcome = aiConfig(ctx, prompt, system, notes);
  if ('failure' in outcome) return outcome;
  const jsonSchema = { type: 'object', properties: { category: { type: 'string', enum: labels } }, required: ['category'], additionalProperties: false };
  const shape = (ctx.registry.latest('ai.complete')?.config as { shape?: Record<string, unknown> } | undefined)?.shape;
  return {
    ...outcome,
    config: { ...outcome.config, jsonSchema, ...(shape && 'task' in shape ? { task: 'classification' } : {}) },
    passThrough: true,
    then: {
      type: 'core.switch',
      config: (firstId) => ({ value: `{{ $node["${firstId}"].output.json.category }}`, cases: labels.map((equals, i) => ({ equals, handle: `case${i}` })) }),
      handle: (index) => (index < labels.length ? `case${index}` : undefined),
    },
  };
}

/** Information Extractor → one AI call whose answer must match the schema (ai.complete's jsonSchema). */
function informationExtractor(ctx: MapContext): MapOutcome {
  const p = ctx.params;
  const found = extractorSchema(p);
  if ('failure' in found) return found;
  const options = isRecord(p.options) ? p.options : {};
  const system = typeof options.systemPromptTemplate === 'string' ? str(ctx, options.systemPromptTemplate) : undefined;
  const prompt = typeof p.text === 'string' ? str(ctx, p.text) : `{{ ${ctx.scope.current}.text }}`;
  const outcome = aiConfig(ctx, prompt, system, ["n8n gave the fields under 'output'; Keyflow's answer is under 'json'"]);
  if ('failure' in outcome) return outcome;
  return { ...outcome, config: { ...outcome.config, jsonSchema: found.schema } };
}

// ---- table ----------------------------------------------------------------------------

const BASE = 'n8n-nodes-base.';
const LC = '@n8n/n8n-nodes-langchain.';

type Mapper = (ctx: MapContext, version: number) => MapOutcome;

export const MAPPERS: ReadonlyMap<string, Mapper> = new Map<string, Mapper>([
  [`${BASE}webhook`, webhook],
  [`${BASE}scheduleTrigger`, (ctx) => fromCron(scheduleTriggerCron(ctx.params, ctx.minScheduleSeconds), ctx)],
  [`${BASE}cron`, (ctx) => fromCron(cronNodeCron(ctx.params), ctx)],
  [`${BASE}interval`, (ctx) => fromCron(intervalNodeCron(ctx.params, ctx.minScheduleSeconds), ctx)],
  [`${BASE}formTrigger`, formTrigger],
  [`${LC}chatTrigger`, chatTrigger],
  [`${BASE}manualTrigger`, () => mapped('core.manual', {})],
  [`${BASE}start`, () => mapped('core.manual', {})],
  [`${BASE}httpRequest`, http],
  [`${BASE}if`, ifNode],
  [`${BASE}filter`, filterNode],
  [`${BASE}switch`, switchNode],
  [`${BASE}set`, setNode],
  [`${BASE}merge`, merge],
  [`${BASE}splitInBatches`, (ctx, v) => loop(ctx, v)],
  [`${BASE}wait`, wait],
  [`${BASE}respondToWebhook`, respond],
  [`${BASE}code`, (ctx) => code(ctx, 'code')],
  [`${BASE}function`, (ctx) => code(ctx, 'function')],
  [`${BASE}functionItem`, (ctx) => code(ctx, 'functionItem')],
  [`${BASE}noOp`, noOp],
  [`${BASE}slack`, slack],
  [`${BASE}trello`, trello],
  [`${BASE}notion`, notion],
  [`${BASE}asana`, asana],
  [`${BASE}gmail`, gmail],
  [`${BASE}googleCalendar`, googleCalendar],
  [`${BASE}googleDrive`, googleDrive],
  [`${BASE}googleSheets`, (ctx, v) => googleSheets(ctx, v)],
  [`${BASE}gmailTrigger`, gmailTrigger],
  [`${BASE}googleDriveTrigger`, googleDriveTrigger],
  [`${BASE}googleSheetsTrigger`, googleSheetsTrigger],
  [`${BASE}notionTrigger`, notionTrigger],
  [`${BASE}typeformTrigger`, typeformTrigger],
  [`${BASE}calTrigger`, calTrigger],
  [`${BASE}webflowTrigger`, webflowTrigger],
  [`${BASE}telegramTrigger`, telegramTrigger],
  [`${BASE}telegram`, telegram],
  [`${BASE}openAi`, legacyOpenAi],
  [`${LC}openAi`, langchainOpenAi],
  [`${LC}chainLlm`, chainLlm],
  [`${LC}agent`, agent],
  [`${LC}informationExtractor`, informationExtractor],
  [`${LC}textClassifier`, textClassifier],
]);

/** Chat-model sub-nodes folded into the AI node they feed, with the provider their model names. */
export const CHAT_MODELS: ReadonlyMap<string, string | undefined> = new Map([
  [`${LC}lmChatOpenAi`, 'openai'],
  [`${LC}lmOpenAi`, 'openai'],
  [`${LC}lmChatAnthropic`, 'anthropic'],
  [`${LC}lmChatGoogleGemini`, 'google'],
  [`${LC}lmChatMistralCloud`, 'mistral'],
  [`${LC}lmChatGroq`, 'groq'],
  [`${LC}lmChatOllama`, 'ollama'],
  [`${LC}lmChatOpenRouter`, undefined],
  [`${LC}lmChatAzureOpenAi`, undefined],
  [`${LC}lmChatDeepSeek`, 'deepseek'],
]);

/** The model a chat-model node names, as text (a locator, a plain value, or Gemini's models/…). */
export function chatModelOf(node: N8nNode): FoldedModel {
  const p = node.parameters ?? {};
  const raw = locatorValue(p.model ?? p.modelName);
  const model = typeof raw === 'string' && raw !== '' && !raw.startsWith('=') ? raw.replace(/^models\//, '') : undefined;
  const provider = CHAT_MODELS.get(node.type);
  return { name: node.name, ...(provider ? { provider } : {}), ...(model ? { model } : {}) };
}

/** n8n node types that start a workflow. */
export function isN8nTrigger(type: string): boolean {
  const short = type.slice(type.lastIndexOf('.') + 1);
  return /Trigger$/i.test(short) || ['webhook', 'cron', 'interval', 'start'].includes(short) && type.startsWith(BASE);
}
