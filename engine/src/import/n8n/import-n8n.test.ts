import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Invalid } from '../../errors.ts';
import { validateGraph, type Graph, type GraphNode } from '../../graph/index.ts';
import { importN8nWorkflow, type ImportResult } from './import-n8n.ts';
import { IMPORT_LIMITS } from './limits.ts';
import { defaultRegistry } from '@keyflow/nodes';
import { createTestContext, parseNodeConfig } from '@keyflow/nodes/contract';
import { plain, withStandIns } from '../../../test/support/node-stand-ins.ts';

type N = { name: string; type: string; typeVersion?: number; parameters?: Record<string, unknown>; position?: [number, number]; credentials?: Record<string, unknown>; disabled?: boolean };
const B = 'n8n-nodes-base.';
const LC = '@n8n/n8n-nodes-langchain.';
const manual: N = { name: 'Start', type: `${B}manualTrigger`, parameters: {}, position: [0, 0] };

/** A workflow: Start → each given node in a chain, unless connections are given. */
function wf(nodes: N[], connections?: Record<string, unknown>) {
  const chain: Record<string, unknown> = {};
  const all = [manual, ...nodes];
  all.slice(0, -1).forEach((n, i) => (chain[n.name] = { main: [[{ node: all[i + 1]!.name, type: 'main', index: 0 }]] }));
  return { name: 'test', nodes: all, connections: connections ?? chain };
}

function run(doc: unknown, registry = withStandIns): ImportResult {
  const r = importN8nWorkflow(doc, { registry });
  // The output always passes the API's validator.
  expect(validateGraph(r.graph, registry, { minScheduleSeconds: 60 }).ok).toBe(true);
  return r;
}

function nodeNamed(g: Graph, name: string): GraphNode {
  const n = g.nodes.find((x) => x.name === name);
  if (!n) throw new Error(`no node ${name}`);
  return n;
}

function only(doc: unknown, name: string, registry = withStandIns) {
  const r = run(doc, registry);
  const report = r.report.nodes.find((n) => n.name === name)!;
  return { node: nodeNamed(r.graph, name), report, result: r };
}

function expectIssue(fn: () => unknown, path: (string | number)[], message: RegExp) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(Invalid);
    const issues = (error as Invalid).issues;
    expect(issues.some((i) => JSON.stringify(i.path) === JSON.stringify(path) && message.test(i.message)), JSON.stringify(issues)).toBe(true);
    return;
  }
  throw new Error('expected an Invalid');
}

describe('node types', () => {
  it('webhook: method and response mode, the n8n path dropped with a note', () => {
    const { node, report } = only({ nodes: [{ name: 'Hook', type: `${B}webhook`, parameters: { httpMethod: 'POST', path: 'abc', responseMode: 'responseNode' } }], connections: {} }, 'Hook');
    expect(node).toMatchObject({ type: 'core.webhook', config: { method: 'POST', responseMode: 'wait' } });
    expect(report).toMatchObject({ status: 'mapped', keyflowType: 'core.webhook' });
    expect(report.reason).toMatch(/new URL/);
  });

  it.each([
    ['every 10 minutes', { rule: { interval: [{ field: 'minutes', minutesInterval: 10 }] } }, '*/10 * * * *'],
    ['every 2 hours at :15', { rule: { interval: [{ field: 'hours', hoursInterval: 2, triggerAtMinute: 15 }] } }, '15 */2 * * *'],
    ['daily at 9:30', { rule: { interval: [{ field: 'days', triggerAtHour: 9, triggerAtMinute: 30 }] } }, '30 9 * * *'],
    ['the default rule (daily at midnight)', { rule: { interval: [{}] } }, '0 0 * * *'],
    ['weekly on Monday and Friday at 8', { rule: { interval: [{ field: 'weeks', triggerAtDay: [1, 5], triggerAtHour: 8 }] } }, '0 8 * * 1,5'],
    ['monthly on the 15th at 6', { rule: { interval: [{ field: 'months', triggerAtDayOfMonth: 15, triggerAtHour: 6 }] } }, '0 6 15 * *'],
    ['a cron expression', { rule: { interval: [{ field: 'cronExpression', expression: '0 7 * * 1-5' }] } }, '0 7 * * 1-5'],
    ['every 30 seconds, raised to the floor', { rule: { interval: [{ field: 'seconds', secondsInterval: 30 }] } }, '* * * * *'],
  ])('schedule trigger: %s', (_what, parameters, cron) => {
    const { node } = only({ nodes: [{ name: 'Every', type: `${B}scheduleTrigger`, typeVersion: 1.2, parameters }], connections: {}, settings: { timezone: 'Europe/Paris' } }, 'Every');
    expect(node).toMatchObject({ type: 'core.schedule', config: { cron, timezone: 'Europe/Paris' } });
  });

  it('schedule trigger with several rules keeps the first and says so', () => {
    const { report } = only({ nodes: [{ name: 'Every', type: `${B}scheduleTrigger`, parameters: { rule: { interval: [{ field: 'hours' }, { field: 'days' }] } } }], connections: {} }, 'Every');
    expect(report.reason).toMatch(/2 schedule rules/);
  });

  it.each([
    ['everyHour', { triggerTimes: { item: [{ mode: 'everyHour', minute: 5 }] } }, '5 * * * *'],
    ['everyWeek', { triggerTimes: { item: [{ mode: 'everyWeek', hour: 9, minute: 0, weekday: 3 }] } }, '0 9 * * 3'],
    ['custom', { triggerTimes: { item: [{ mode: 'custom', cronExpression: '0 0 1 * *' }] } }, '0 0 1 * *'],
  ])('legacy Cron node: %s', (_what, parameters, cron) => {
    expect(only({ nodes: [{ name: 'C', type: `${B}cron`, parameters }], connections: {} }, 'C').node.config.cron).toBe(cron);
  });

  it('legacy Interval node', () => {
    expect(only({ nodes: [{ name: 'I', type: `${B}interval`, parameters: { interval: 2, unit: 'hours' } }], connections: {} }, 'I').node.config.cron).toBe('0 */2 * * *');
  });

  it('HTTP Request v4: method, URL, query, headers, JSON body; secret headers and auth never imported', () => {
    const { node, report, result } = only(
      wf([{
        name: 'Call', type: `${B}httpRequest`, typeVersion: 4.2,
        parameters: {
          method: 'POST', url: '=https://api.example.com/{{ $json.id }}', authentication: 'genericCredentialType',
          sendQuery: true, queryParameters: { parameters: [{ name: 'q', value: 'x' }] },
          sendHeaders: true, headerParameters: { parameters: [{ name: 'X-Trace', value: '1' }, { name: 'Authorization', value: 'Bearer sk-live-secret' }] },
          sendBody: true, specifyBody: 'json', jsonBody: '{"a": 1}', options: { timeout: 5000 },
        },
        credentials: { httpHeaderAuth: { id: '42', name: 'My secret header' } },
      }]),
      'Call',
    );
    expect(node).toMatchObject({ type: 'core.http', config: { method: 'POST', url: 'https://api.example.com/{{ $node["Start"].output.id }}', query: { q: 'x' }, headers: { 'X-Trace': '1' }, body: { a: 1 }, timeoutMs: 5000 } });
    expect(JSON.stringify(result)).not.toContain('sk-live-secret');
    expect(report.reason).toMatch(/Authorization header was not imported/);
    expect(result.report.credentialsToConnect).toEqual([{ node: 'Call', nodeId: node.id, n8nCredentialType: 'httpHeaderAuth' }]);
    expect(JSON.stringify(result.report)).not.toContain('"42"');
  });

  it('HTTP Request with a multipart form of text fields → that body, its boundary in the content type; a file field stays a placeholder', () => {
    const http = (parameters: Record<string, unknown>[]) => wf([{ name: 'H', type: `${B}httpRequest`, typeVersion: 4.2, parameters: { method: 'POST', url: 'https://api.example.com/upload', sendBody: true, contentType: 'multipart-form-data', bodyParameters: { parameters } } }]);
    const { node } = only(http([{ name: 'url', value: '={{ $json.url }}' }, { name: 'dpi', value: '300' }]), 'H');
    expect(node.config.headers).toEqual({ 'content-type': 'multipart/form-data; boundary=keyflow-n8n-import-boundary' });
    expect(node.config.body).toBe(
      '--keyflow-n8n-import-boundary\r\nContent-Disposition: form-data; name="url"\r\n\r\n{{ $node["Start"].output.url }}\r\n' +
        '--keyflow-n8n-import-boundary\r\nContent-Disposition: form-data; name="dpi"\r\n\r\n300\r\n--keyflow-n8n-import-boundary--\r\n',
    );
    expect(only(http([{ name: 'file', parameterType: 'formBinaryData', inputDataFieldName: 'data' }]), 'H').report).toMatchObject({ status: 'placeholder', reason: expect.stringMatching(/a file in a multipart-form-data body/) });
  });

  it('HTTP Request v1 (requestMethod, *ParametersUi)', () => {
    const { node } = only(wf([{ name: 'Old', type: `${B}httpRequest`, typeVersion: 1, parameters: { requestMethod: 'GET', url: 'https://x.test/a', queryParametersUi: { parameter: [{ name: 'p', value: '2' }] } } }]), 'Old');
    expect(node.config).toMatchObject({ method: 'GET', url: 'https://x.test/a', query: { p: '2' } });
  });

  it('IF v2 → condition, outputs true/false on their handles', () => {
    const doc = {
      nodes: [
        manual,
        { name: 'Big?', type: `${B}if`, typeVersion: 2, parameters: { conditions: { combinator: 'and', conditions: [{ leftValue: '={{ $json.total }}', rightValue: 100, operator: { type: 'number', operation: 'gt' } }, { leftValue: '={{ $json.tag }}', rightValue: 'vip', operator: { type: 'string', operation: 'contains' } }] } } },
        { name: 'Yes', type: `${B}noOp` },
        { name: 'No', type: `${B}noOp` },
      ],
      connections: { Start: { main: [[{ node: 'Big?', type: 'main', index: 0 }]] }, 'Big?': { main: [[{ node: 'Yes', type: 'main', index: 0 }], [{ node: 'No', type: 'main', index: 0 }]] } },
    };
    const r = run(doc);
    const ifNode = nodeNamed(r.graph, 'Big?');
    expect(ifNode).toMatchObject({ type: 'core.condition', config: { if: '{{ ($node["Start"].output.total > 100) && (contains($node["Start"].output.tag, "vip")) }}' } });
    const out = r.graph.edges.filter((e) => e.source === ifNode.id).map((e) => [e.sourceHandle, nodeNamed(r.graph, 'Yes').id === e.target ? 'Yes' : 'No']);
    expect(out).toEqual([['true', 'Yes'], ['false', 'No']]);
    expect(r.report.expressions.translated).toBe(2);
  });

  it('IF v1 (conditions by type, combineOperation any)', () => {
    const { node } = only(wf([{ name: 'If', type: `${B}if`, typeVersion: 1, parameters: { conditions: { string: [{ value1: '={{$json.a}}', operation: 'equal', value2: 'x' }], number: [{ value1: '={{$json.n}}', operation: 'larger', value2: 3 }] }, combineOperation: 'any' } }]), 'If');
    expect(node.config.if).toBe('{{ ($node["Start"].output.a == "x") || ($node["Start"].output.n > 3) }}');
  });

  it('IF with a regex operator is a placeholder that keeps both outputs', () => {
    const doc = {
      nodes: [manual, { name: 'Re', type: `${B}if`, typeVersion: 2, parameters: { conditions: { conditions: [{ leftValue: '={{ $json.a }}', rightValue: '^x', operator: { type: 'string', operation: 'regex' } }] } } }, { name: 'A', type: `${B}noOp` }, { name: 'Bb', type: `${B}noOp` }],
      connections: { Start: { main: [[{ node: 'Re', type: 'main', index: 0 }]] }, Re: { main: [[{ node: 'A', type: 'main', index: 0 }], [{ node: 'Bb', type: 'main', index: 0 }]] } },
    };
    const r = run(doc);
    const re = nodeNamed(r.graph, 'Re');
    expect(re).toMatchObject({ type: 'core.unsupported', config: { originalType: `${B}if`, outputs: ['main', 'output1'] } });
    expect(r.report.nodes.find((n) => n.name === 'Re')).toMatchObject({ status: 'placeholder', keyflowType: null, reason: expect.stringMatching(/regex/) });
    expect(r.graph.edges.filter((e) => e.source === re.id)).toHaveLength(2);
  });

  it('Filter → condition', () => {
    const { node } = only(wf([{ name: 'F', type: `${B}filter`, typeVersion: 2, parameters: { conditions: { conditions: [{ leftValue: '={{ $json.ok }}', operator: { type: 'boolean', operation: 'true', singleValue: true } }] } } }]), 'F');
    expect(node).toMatchObject({ type: 'core.condition', config: { if: '{{ $node["Start"].output.ok == true }}' } });
  });

  it('Switch v3 rules → switch cases by output, with the fallback output as default', () => {
    const rule = (v: string) => ({ conditions: { conditions: [{ leftValue: '={{ $json.kind }}', rightValue: v, operator: { type: 'string', operation: 'equals' } }] } });
    const doc = {
      nodes: [manual, { name: 'Route', type: `${B}switch`, typeVersion: 3, parameters: { rules: { values: [rule('a'), rule('b')] }, options: { fallbackOutput: 'extra' } } }, { name: 'A', type: `${B}noOp` }, { name: 'Bb', type: `${B}noOp` }, { name: 'Other', type: `${B}noOp` }],
      connections: { Start: { main: [[{ node: 'Route', type: 'main', index: 0 }]] }, Route: { main: [[{ node: 'A', type: 'main', index: 0 }], [{ node: 'Bb', type: 'main', index: 0 }], [{ node: 'Other', type: 'main', index: 0 }]] } },
    };
    const r = run(doc);
    const sw = nodeNamed(r.graph, 'Route');
    expect(sw).toMatchObject({ type: 'core.switch', config: { value: true, cases: [{ equals: '{{ $node["Start"].output.kind == "a" }}', handle: 'case0' }, { equals: '{{ $node["Start"].output.kind == "b" }}', handle: 'case1' }] } });
    expect(r.graph.edges.filter((e) => e.source === sw.id).map((e) => e.sourceHandle)).toEqual(['case0', 'case1', 'default']);
  });

  it('Switch v1 (value1 + rules with outputs)', () => {
    const { node } = only(wf([{ name: 'S', type: `${B}switch`, typeVersion: 1, parameters: { dataType: 'string', value1: '={{ $json.t }}', rules: { rules: [{ value2: 'x', output: 0 }, { value2: 'y', output: 1 }] } } }]), 'S');
    expect(node.config.cases).toEqual([{ equals: '{{ $node["Start"].output.t == "x" }}', handle: 'case0' }, { equals: '{{ $node["Start"].output.t == "y" }}', handle: 'case1' }]);
  });

  it('Set v3.4 (assignments, typed), v3.0 (fields.values) and v2 (values by type)', () => {
    const v34 = only(wf([{ name: 'S', type: `${B}set`, typeVersion: 3.4, parameters: { assignments: { assignments: [{ name: 'greeting', value: '=Hello {{ $json.name }}', type: 'string' }, { name: 'n', value: '5', type: 'number' }] }, includeOtherFields: true } }]), 'S').node;
    expect(v34).toMatchObject({ type: 'core.transform', config: { fields: [{ name: 'greeting', value: 'Hello {{ $node["Start"].output.name }}' }, { name: 'n', value: 5 }], keepInput: true } });
    const v30 = only(wf([{ name: 'S', type: `${B}set`, typeVersion: 3, parameters: { fields: { values: [{ name: 'ok', type: 'booleanValue', booleanValue: true }] } } }]), 'S').node;
    expect(v30.config).toEqual({ fields: [{ name: 'ok', value: true }], keepInput: false });
    const v2 = only(wf([{ name: 'S', type: `${B}set`, typeVersion: 2, parameters: { keepOnlySet: true, values: { string: [{ name: 'a', value: 'x' }], number: [{ name: 'b', value: 2 }] } } }]), 'S').node;
    expect(v2.config).toEqual({ fields: [{ name: 'a', value: 'x' }, { name: 'b', value: 2 }], keepInput: false });
  });

  it('Set: a field name written as an expression with no {{ }} is that constant name; a computed one stays a placeholder', () => {
    const set = (name: string) => wf([{ name: 'S', type: `${B}set`, typeVersion: 3.4, parameters: { assignments: { assignments: [{ name, type: 'string', value: '={{ $json.output }}' }] } } }]);
    expect(only(set('=response'), 'S').node.config.fields).toEqual([{ name: 'response', value: '{{ $node["Start"].output.output }}' }]);
    expect(only(set('={{ $json.key }}'), 'S').report).toMatchObject({ status: 'placeholder', reason: 'a field name is computed by an expression' });
  });

  it('Set in JSON mode with an object literal', () => {
    const { node } = only(wf([{ name: 'S', type: `${B}set`, typeVersion: 3.4, parameters: { mode: 'raw', jsonOutput: '={ "id": "{{ $json.id }}", "fixed": 1 }' } }]), 'S');
    expect(node.config).toEqual({ fields: [{ name: 'id', value: '{{ $node["Start"].output.id }}' }, { name: 'fixed', value: 1 }], keepInput: false });
  });

  it('Set in JSON mode whose output is one JavaScript expression → core.code per item, and it runs', async () => {
    const set = (parameters: Record<string, unknown>) => wf([{ name: 'Event', type: `${B}noOp` }, { name: 'S', type: `${B}set`, typeVersion: 3.4, parameters: { mode: 'raw', options: {}, ...parameters } }]);
    const { node, report } = only(set({ jsonOutput: "={{\n{\n ...$('Event').first().json,\n score: $json.n * 2\n}\n}}" }), 'S', defaultRegistry);
    expect(node).toMatchObject({ type: 'core.code', config: { mode: 'runOnceForEachItem', code: 'return { json: ({\n ...($node["Event"].output),\n score: $json.n * 2\n}) };' } });
    expect(report).toMatchObject({ status: 'mapped', reason: expect.stringMatching(/one JavaScript expression/) });
    const def = defaultRegistry.latest('core.code')!;
    const ctx = createTestContext(parseNodeConfig(def, node.config), { input: { n: 21 }, nodes: { Event: { output: { id: 'e1' } } } } as never);
    expect(((await def.run(ctx as never)) as { output: unknown }).output).toEqual({ id: 'e1', score: 42 });
    // includeOtherFields keeps the item's own fields under the expression's.
    expect(only(set({ jsonOutput: '={{ $json.body }}', includeOtherFields: true }), 'S', defaultRegistry).node.config.code).toBe('return { json: { ...$json, ...($json.body) } };');
    // A whole-value expression and a trailing comma, as n8n forgives them, parse; text that is not JSON stays a placeholder.
    expect(only(set({ jsonOutput: '={ "a": {{ $json.a }}, }' }), 'S', defaultRegistry).node.config).toEqual({ fields: [{ name: 'a', value: '{{ $node["Event"].output.a }}' }], keepInput: false });
    expect(only(set({ jsonOutput: '={ "a": {{ $json.a }} "b" }' }), 'S', defaultRegistry).report.status).toBe('placeholder');
  });

  it('Merge (append → all, chooseBranch → first), fed by both inputs', () => {
    const doc = {
      nodes: [manual, { name: 'A', type: `${B}noOp` }, { name: 'Bb', type: `${B}noOp` }, { name: 'M', type: `${B}merge`, typeVersion: 3, parameters: { mode: 'append' } }],
      connections: { Start: { main: [[{ node: 'A', type: 'main', index: 0 }, { node: 'Bb', type: 'main', index: 0 }]] }, A: { main: [[{ node: 'M', type: 'main', index: 0 }]] }, Bb: { main: [[{ node: 'M', type: 'main', index: 1 }]] } },
    };
    const r = run(doc);
    const m = nodeNamed(r.graph, 'M');
    expect(m).toMatchObject({ type: 'core.merge', config: { mode: 'all' } });
    expect(r.graph.edges.filter((e) => e.target === m.id)).toHaveLength(2);
    expect(only(wf([{ name: 'M', type: `${B}merge`, parameters: { mode: 'chooseBranch' } }]), 'M').node.config).toEqual({ mode: 'first' });
  });

  it('Loop Over Items (v3): done/item outputs, the body returns on the loop\'s next input, $json in the body is the item', () => {
    const doc = {
      nodes: [manual, { name: 'Loop', type: `${B}splitInBatches`, typeVersion: 3, parameters: { options: {} } }, { name: 'Each', type: `${B}set`, typeVersion: 3.4, parameters: { assignments: { assignments: [{ name: 'id', value: '={{ $json.id }}', type: 'string' }] } } }, { name: 'After', type: `${B}noOp` }],
      connections: { Start: { main: [[{ node: 'Loop', type: 'main', index: 0 }]] }, Loop: { main: [[{ node: 'After', type: 'main', index: 0 }], [{ node: 'Each', type: 'main', index: 0 }]] }, Each: { main: [[{ node: 'Loop', type: 'main', index: 0 }]] } },
    };
    const r = run(doc);
    const loop = nodeNamed(r.graph, 'Loop');
    const each = nodeNamed(r.graph, 'Each');
    expect(loop).toMatchObject({ type: 'core.loop', config: { items: '{{ $node["Start"].output }}' } });
    expect(r.graph.edges.find((e) => e.source === loop.id && e.target === each.id)?.sourceHandle).toBe('item');
    expect(r.graph.edges.find((e) => e.source === loop.id && e.target === nodeNamed(r.graph, 'After').id)?.sourceHandle).toBe('done');
    expect(r.graph.edges.find((e) => e.source === each.id && e.target === loop.id)?.targetHandle).toBe('next');
    expect(each.config.fields).toEqual([{ name: 'id', value: '{{ $item.id }}' }]);
  });

  it('Wait (time interval) → delay; Wait for a webhook → placeholder', () => {
    expect(only(wf([{ name: 'W', type: `${B}wait`, typeVersion: 1.1, parameters: { amount: 5, unit: 'minutes' } }]), 'W').node).toMatchObject({ type: 'core.delay', config: { amount: 5, unit: 'minutes' } });
    expect(only(wf([{ name: 'W', type: `${B}wait`, parameters: { resume: 'webhook' } }]), 'W').report).toMatchObject({ status: 'placeholder', reason: expect.stringMatching(/webhook/) });
  });

  it('Respond to Webhook (json, text, first item; code and headers)', () => {
    const hook: N = { name: 'Hook', type: `${B}webhook`, parameters: { httpMethod: 'POST', responseMode: 'responseNode' } };
    const doc = (params: Record<string, unknown>) => ({ nodes: [hook, { name: 'R', type: `${B}respondToWebhook`, parameters: params }], connections: { Hook: { main: [[{ node: 'R', type: 'main', index: 0 }]] } } });
    expect(only(doc({ respondWith: 'json', responseBody: '{"ok": true}', options: { responseCode: 201, responseHeaders: { entries: [{ name: 'X-A', value: 'b' }] } } }), 'R').node.config).toEqual({ body: { ok: true }, status: 201, headers: { 'X-A': 'b' } });
    expect(only(doc({ respondWith: 'text', responseBody: '=Thanks {{ $json.body.name }}' }), 'R').node.config).toEqual({ body: 'Thanks {{ $node["Hook"].output.body.name }}' });
    expect(only(doc({}), 'R').node.config).toEqual({ body: '{{ $node["Hook"].output }}' });
  });

  it('Code and Function → core.code with the source kept and the mode carried', () => {
    const code = only(wf([{ name: 'C', type: `${B}code`, typeVersion: 2, parameters: { mode: 'runOnceForEachItem', jsCode: 'return { json: { n: $json.n * 2 } };' } }]), 'C').node;
    expect(code).toMatchObject({ type: 'core.code', config: { code: 'return { json: { n: $json.n * 2 } };', mode: 'runOnceForEachItem' } });
    expect(only(wf([{ name: 'C', type: `${B}code`, typeVersion: 2, parameters: {} }]), 'C').report.status).toBe('placeholder');
    expect(only(wf([{ name: 'F', type: `${B}function`, parameters: { functionCode: 'return items;' } }]), 'F').node.config).toEqual({ code: 'return items;', mode: 'runOnceForAllItems' });
    expect(only(wf([{ name: 'F', type: `${B}functionItem`, parameters: { functionCode: 'item.x = 1; return item;' } }]), 'F').node.config.mode).toBe('runOnceForEachItem');
    expect(only(wf([{ name: 'P', type: `${B}code`, typeVersion: 2, parameters: { language: 'python', pythonCode: 'return []' } }]), 'P').report.reason).toMatch(/python/);
  });

  it("Code reading other nodes ($('Name').first().json, .item.json, .all(), $node[\"Name\"].json) reads them through $node[\"id\"].output, and runs", async () => {
    const source = [
      "const lead = $('Get Lead').first().json;",
      "const same = $('Get Lead').item.json.email === $node[\"Get Lead\"].json.email;",
      "const all = $('Get Lead').all().map((i) => i.json.email);",
      "const one = $('Get Lead').first();",
      "let ghost = 'none';",
      "try { ghost = $('Nobody').first().json.x; } catch {}",
      'return [{ json: { name: lead.name, same, all, one: one.json.name, ghost } }];',
    ].join('\n');
    const doc = wf([{ name: 'Get Lead', type: `${B}set`, parameters: { mode: 'manual', assignments: { assignments: [{ name: 'name', type: 'string', value: 'Ada' }] } } }, { name: 'C', type: `${B}code`, typeVersion: 2, parameters: { jsCode: source } }]);
    const { node, report } = only(doc, 'C', defaultRegistry);
    const code = node.config.code as string;
    expect(code).toContain('const lead = ($node["Get_Lead"].output);');
    expect(code).toContain('($node["Get_Lead"].output).email === ($node["Get_Lead"].output).email');
    expect(code).toContain('[].concat($node["Get_Lead"].output ?? []).map((json) => ({ json }))');
    expect(code).toContain('const one = ({ json: $node["Get_Lead"].output });');
    expect(code).toContain("ghost = $('Nobody').first().json.x;");
    expect(report.reason).toMatch(/nodes this export does not have \('Nobody'\)/);
    // The rewritten code in the real sandbox, with the Set node's output as the run would hold it.
    const def = defaultRegistry.latest('core.code')!;
    const ctx = createTestContext(parseNodeConfig(def, node.config), { nodes: { Get_Lead: { output: { name: 'Ada', email: 'ada@example.com' } } } } as never);
    expect(((await def.run(ctx as never)) as { output: unknown }).output).toEqual([{ name: 'Ada', same: true, all: ['ada@example.com'], one: 'Ada', ghost: 'none' }]);
  });

  it('Code without a core.code node in the registry is a placeholder saying so', () => {
    const { report } = only(wf([{ name: 'C', type: `${B}code`, typeVersion: 2, parameters: { jsCode: 'return items;' } }]), 'C', plain);
    expect(report).toMatchObject({ status: 'placeholder', reason: 'Keyflow has no core.code node installed' });
  });

  it('NoOp → a pass-through transform', () => {
    expect(only(wf([{ name: 'N', type: `${B}noOp` }]), 'N').node).toMatchObject({ type: 'core.transform', config: { fields: [], keepInput: true } });
  });

  it('Slack post → slack.post_message when installed (channel by name gets its #), credential listed, never imported', () => {
    const { node, result } = only(wf([{ name: 'Post', type: `${B}slack`, typeVersion: 2.2, parameters: { select: 'channel', channelId: { __rl: true, value: 'leads', mode: 'name' }, text: '=New lead: {{ $json.name }}' }, credentials: { slackOAuth2Api: { id: '7', name: 'Slack account' } } }]), 'Post');
    expect(node).toMatchObject({ type: 'slack.post_message', config: { channel: '#leads', text: 'New lead: {{ $node["Start"].output.name }}' } });
    expect(result.report.credentialsToConnect).toEqual([{ node: 'Post', nodeId: node.id, n8nCredentialType: 'slackOAuth2Api' }]);
    expect(node.config).not.toHaveProperty('credentialId');
    expect(only(wf([{ name: 'Post', type: `${B}slack`, parameters: { text: 'x', channelId: { __rl: true, value: 'C0123ABC', mode: 'id' } } }]), 'Post', plain).report).toMatchObject({ status: 'placeholder', reason: 'Keyflow has no slack.post_message node installed' });
  });

  it.each(['asana', 'gmail', 'googleCalendar', 'googleDrive', 'googleSheets', 'notion', 'trello'])('%s without a Keyflow node is a placeholder with its credential listed', (type) => {
    const { report, result } = only(wf([{ name: 'X', type: `${B}${type}`, parameters: { resource: 'task' }, credentials: { someApi: { id: '1', name: 'n' } } }]), 'X');
    expect(report.status).toBe('placeholder');
    expect(result.report.credentialsToConnect.map((c) => c.n8nCredentialType)).toEqual(['someApi']);
  });

  it('Notion database page create/update and query → the notion.* nodes now on main', () => {
    const create = only(wf([{ name: 'Add', type: `${B}notion`, typeVersion: 2.2, parameters: { resource: 'databasePage', databaseId: { __rl: true, value: 'b7d1130a-3756-4bb3-aa56-0c77bf416437', mode: 'list' }, propertiesUi: { propertyValues: [{ key: 'Name|title', title: '={{ $json.name }}' }, { key: 'Score|number', numberValue: 4 }] } } }]), 'Add', defaultRegistry);
    expect(create.node).toMatchObject({ type: 'notion.create_page', config: { databaseId: 'b7d1130a-3756-4bb3-aa56-0c77bf416437', properties: { Name: '{{ $node["Start"].output.name }}', Score: 4 } } });
    const update = only(wf([{ name: 'Upd', type: `${B}notion`, parameters: { resource: 'databasePage', operation: 'update', pageId: { __rl: true, value: '={{ $json.url }}', mode: 'url' }, propertiesUi: { propertyValues: [{ key: 'Status|status', statusValue: 'Done' }] } } }]), 'Upd', defaultRegistry);
    expect(update.node).toMatchObject({ type: 'notion.update_page', config: { pageId: '{{ $node["Start"].output.url }}', properties: { Status: 'Done' } } });
    const query = only(wf([{ name: 'Q', type: `${B}notion`, parameters: { resource: 'databasePage', operation: 'getAll', returnAll: true, databaseId: { __rl: true, value: 'abc' } } }]), 'Q', defaultRegistry);
    expect(query.node).toMatchObject({ type: 'notion.query_database', config: { databaseId: 'abc', limit: 100 } });
    // Filters count only with filterType manual (n8n ignores them otherwise); a condition without its test is a placeholder.
    expect(only(wf([{ name: 'Q', type: `${B}notion`, parameters: { resource: 'databasePage', operation: 'getAll', filters: { conditions: [{ key: 'Date|date' }] } } }]), 'Q', defaultRegistry).node.config).not.toHaveProperty('filter');
    expect(only(wf([{ name: 'Q', type: `${B}notion`, parameters: { resource: 'databasePage', operation: 'getAll', filterType: 'manual', filters: { conditions: [{ key: 'Date|date' }] } } }]), 'Q', defaultRegistry).report.reason).toMatch(/no property or condition/);
  });

  it('Notion block/getAll → notion.get_page with its content; Slack channel/getAll → slack.list_channels', () => {
    const blocks = only(wf([{ name: 'Blocks', type: `${B}notion`, typeVersion: 2.2, parameters: { resource: 'block', operation: 'getAll', returnAll: true, fetchNestedBlocks: true, blockId: { __rl: true, mode: 'url', value: '={{ $json.url }}' } } }]), 'Blocks', defaultRegistry);
    expect(blocks.node).toMatchObject({ type: 'notion.get_page', config: { pageId: '{{ $node["Start"].output.url }}', includeContent: true } });
    expect(blocks.report.reason).toMatch(/nested blocks are not read/);
    const channels = only(wf([{ name: 'Channels', type: `${B}slack`, typeVersion: 2.1, parameters: { resource: 'channel', operation: 'getAll', returnAll: true, filters: { excludeArchived: false, types: ['private_channel'] } } }]), 'Channels', defaultRegistry);
    expect(channels.node).toMatchObject({ type: 'slack.list_channels', config: { types: ['private_channel'], excludeArchived: false, limit: 5000 } });
    expect(only(wf([{ name: 'Ch', type: `${B}slack`, parameters: { resource: 'channel', operation: 'getAll', limit: 20 } }]), 'Ch', defaultRegistry).node.config).toEqual({ excludeArchived: true, limit: 20 });
  });

  it('Asana task create → asana.create_task', () => {
    const { node } = only(wf([{ name: 'Task', type: `${B}asana`, parameters: { workspace: '1204', name: '=Call {{ $json.name }}', otherProperties: { notes: 'n', due_on: '2026-03-01', projects: ['1205', '1206'] } } }]), 'Task', defaultRegistry);
    expect(node).toMatchObject({ type: 'asana.create_task', config: { workspaceId: '1204', projectId: '1205', name: 'Call {{ $node["Start"].output.name }}', notes: 'n', due: '2026-03-01' } });
  });

  it('Gmail send and getAll → gmail.send and gmail.list_messages', () => {
    const send = only(wf([{ name: 'Mail', type: `${B}gmail`, typeVersion: 2.1, parameters: { sendTo: '={{ $json.email }}', subject: 'Hi', message: '<b>Hello</b>', options: { ccList: 'c@example.com' } } }]), 'Mail', defaultRegistry);
    expect(send.node).toMatchObject({ type: 'gmail.send', config: { to: '{{ $node["Start"].output.email }}', subject: 'Hi', html: '<b>Hello</b>', cc: 'c@example.com' } });
    expect(send.report.status).toBe('mapped');
    const text = only(wf([{ name: 'Mail', type: `${B}gmail`, parameters: { sendTo: 'a@example.com', subject: 's', message: 'plain', emailType: 'text' } }]), 'Mail', defaultRegistry);
    expect(text.node.config).toMatchObject({ text: 'plain' });
    const list = only(wf([{ name: 'Find', type: `${B}gmail`, typeVersion: 2.1, parameters: { operation: 'getAll', limit: 20, filters: { q: 'is:unread' } } }]), 'Find', defaultRegistry);
    expect(list.node).toMatchObject({ type: 'gmail.list_messages', config: { q: 'is:unread', maxResults: 20 } });
    expect(only(wf([{ name: 'L', type: `${B}gmail`, parameters: { resource: 'label', operation: 'create' } }]), 'L', defaultRegistry).report).toMatchObject({ status: 'placeholder', reason: expect.stringContaining('Gmail label/create') });
  });

  it('Google Calendar event create → calendar.create_event', () => {
    const { node, report } = only(wf([{ name: 'Event', type: `${B}googleCalendar`, typeVersion: 1.3, parameters: { calendar: { __rl: true, value: 'team@group.calendar.google.com', mode: 'list' }, start: '2026-12-03T10:00:00+01:00', end: '2026-12-03T11:00:00+01:00', additionalFields: { summary: '=Call {{ $json.name }}', attendees: ['a@example.com', 'b@example.com'] } } }]), 'Event', defaultRegistry);
    expect(node).toMatchObject({ type: 'calendar.create_event', config: { calendarId: 'team@group.calendar.google.com', summary: 'Call {{ $node["Start"].output.name }}', start: '2026-12-03T10:00:00+01:00', end: '2026-12-03T11:00:00+01:00', attendees: 'a@example.com,b@example.com' } });
    expect(report.status).toBe('mapped');
    expect(only(wf([{ name: 'E', type: `${B}googleCalendar`, parameters: { operation: 'delete' } }]), 'E', defaultRegistry).report).toMatchObject({ status: 'placeholder', reason: 'the event is not set' });
    expect(only(wf([{ name: 'E', type: `${B}googleCalendar`, parameters: { operation: 'move' } }]), 'E', defaultRegistry).report).toMatchObject({ status: 'placeholder', reason: expect.stringContaining('event/move') });
  });

  it('Trello card create → trello.create_card (now on main)', () => {
    const { node } = only(wf([{ name: 'Card', type: `${B}trello`, parameters: { listId: '5f1e2d3c4b5a697887766554', name: '=Lead {{ $json.name }}', description: 'd' } }]), 'Card', defaultRegistry);
    expect(node).toMatchObject({ type: 'trello.create_card', config: { listId: '5f1e2d3c4b5a697887766554', name: 'Lead {{ $node["Start"].output.name }}', description: 'd' } });
  });

  it('OpenAI (LangChain) message → ai.complete with prompt, system and the model as referenceModel', () => {
    const { node, report } = only(wf([{ name: 'GPT', type: `${LC}openAi`, typeVersion: 1.8, parameters: { modelId: { __rl: true, value: 'gpt-4o-mini', mode: 'list' }, messages: { values: [{ content: 'Be brief.', role: 'system' }, { content: '=Summarise {{ $json.text }}' }] } } }]), 'GPT');
    expect(node).toMatchObject({ type: 'ai.complete', config: { prompt: 'Summarise {{ $node["Start"].output.text }}', system: 'Be brief.', referenceModel: 'openai/gpt-4o-mini' } });
    expect(report.status).toBe('mapped');
  });

  it('OpenAI node with messages.values (role, content) and no prompt → ai.complete with its system and user messages', () => {
    const { node } = only(wf([{ name: 'O', type: `${B}openAi`, typeVersion: 1.8, parameters: { model: 'gpt-4o-mini', messages: { values: [{ role: 'system', content: 'Classify this email.' }, { role: 'user', content: '=From: {{ $json.from }}' }] } } }]), 'O');
    expect(node).toMatchObject({ type: 'ai.complete', config: { system: 'Classify this email.', prompt: 'From: {{ $node["Start"].output.from }}' } });
  });

  it('Slack: a channel by name is lower-cased (Slack names are); v1 attachments with no text become the text', () => {
    const v2 = only(wf([{ name: 'S', type: `${B}slack`, typeVersion: 2.1, parameters: { select: 'channel', channelId: { __rl: true, mode: 'name', value: 'RFP-channel' }, text: 'done' } }]), 'S', defaultRegistry);
    expect(v2.node.config).toMatchObject({ channel: '#rfp-channel', text: 'done' });
    const v1 = only(wf([{ name: 'S', type: `${B}slack`, typeVersion: 1, parameters: { channel: 'general', attachments: [{ title: '={{ $json.name }}', text: '={{ $json.note }}' }] } }]), 'S', defaultRegistry);
    expect(v1.node.config).toMatchObject({ channel: '#general', text: '{{ $node["Start"].output.name }}\n{{ $node["Start"].output.note }}' });
    expect(v1.report.reason).toMatch(/attachments are posted as its text/);
    expect(only(wf([{ name: 'S', type: `${B}slack`, typeVersion: 1, parameters: { channel: 'C0123ABCDE', text: 'x' } }]), 'S', defaultRegistry).node.config.channel).toBe('C0123ABCDE');
  });

  it('legacy OpenAI chat → ai.complete', () => {
    const { node } = only(wf([{ name: 'O', type: `${B}openAi`, parameters: { resource: 'chat', model: 'gpt-4', prompt: { messages: [{ role: 'system', content: 'S' }, { content: 'U' }] } } }]), 'O');
    expect(node.config).toMatchObject({ prompt: 'U', system: 'S' });
  });

  it('LLM chain + chat model: the model is folded into the chain, which becomes one ai.complete', () => {
    const doc = {
      nodes: [manual, { name: 'Chain', type: `${LC}chainLlm`, typeVersion: 1.5, parameters: { promptType: 'define', text: '=Classify {{ $json.msg }}', messages: { messageValues: [{ message: 'You classify.' }] } } }, { name: 'Model', type: `${LC}lmChatOpenAi`, parameters: { model: 'gpt-4o' } }],
      connections: { Start: { main: [[{ node: 'Chain', type: 'main', index: 0 }]] }, Model: { ai_languageModel: [[{ node: 'Chain', type: 'ai_languageModel', index: 0 }]] } },
    };
    const r = run(doc);
    expect(nodeNamed(r.graph, 'Chain')).toMatchObject({ type: 'ai.complete', config: { prompt: 'Classify {{ $node["Start"].output.msg }}', system: 'You classify.' } });
    expect(r.graph.nodes.some((n) => n.name === 'Model')).toBe(false);
    expect(r.report.nodes.find((n) => n.name === 'Model')).toMatchObject({ status: 'mapped', keyflowType: 'ai.complete', reason: expect.stringMatching(/folded into 'Chain' \(model gpt-4o\)/) });
    expect(nodeNamed(r.graph, 'Chain').config.referenceModel).toBe('openai/gpt-4o');
  });

  it('Agent with a tool: ai.complete with its system message; the tool is a placeholder; the agent says its tools are not carried', () => {
    const doc = {
      nodes: [manual, { name: 'Agent', type: `${LC}agent`, typeVersion: 1.7, parameters: { promptType: 'define', text: '=Help {{ $json.q }}', options: { systemMessage: 'You help.' } } }, { name: 'Model', type: `${LC}lmChatAnthropic`, parameters: { model: { __rl: true, value: 'claude-3-5-haiku' } } }, { name: 'Calc', type: `${LC}toolCalculator` }],
      connections: { Start: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] }, Model: { ai_languageModel: [[{ node: 'Agent', type: 'ai_languageModel', index: 0 }]] }, Calc: { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] } },
    };
    const r = run(doc);
    expect(nodeNamed(r.graph, 'Agent')).toMatchObject({ type: 'ai.complete', config: { prompt: 'Help {{ $node["Start"].output.q }}', system: 'You help.' } });
    expect(nodeNamed(r.graph, 'Agent').config.referenceModel).toBe('anthropic/claude-3-5-haiku');
    expect(r.report.nodes.find((n) => n.name === 'Agent')!.reason).toMatch(/tool sub-nodes are not carried/);
    expect(r.report.nodes.find((n) => n.name === 'Calc')).toMatchObject({ status: 'placeholder' });
  });

  it('Information Extractor + chat model → ai.complete with a JSON Schema from its attributes, example or hand-written schema', () => {
    const extractor = (parameters: Record<string, unknown>) => ({
      nodes: [manual, { name: 'Extract', type: `${LC}informationExtractor`, typeVersion: 1, parameters }, { name: 'Model', type: `${LC}lmChatOpenAi`, parameters: { model: { __rl: true, value: 'gpt-4o-mini' } } }],
      connections: { Start: { main: [[{ node: 'Extract', type: 'main', index: 0 }]] }, Model: { ai_languageModel: [[{ node: 'Extract', type: 'ai_languageModel', index: 0 }]] } },
    });
    const attrs = run(extractor({ text: '={{ $json.email }}', options: { systemPromptTemplate: 'Find the customer.' }, attributes: { attributes: [{ name: 'firstname', required: true, description: 'first name' }, { name: 'age', type: 'number' }] } }));
    expect(nodeNamed(attrs.graph, 'Extract')).toMatchObject({
      type: 'ai.complete',
      config: { prompt: '{{ $node["Start"].output.email }}', system: 'Find the customer.', referenceModel: 'openai/gpt-4o-mini', jsonSchema: { type: 'object', properties: { firstname: { type: 'string', description: 'first name' }, age: { type: 'number' } }, required: ['firstname'] } },
    });
    expect(attrs.report.nodes.find((n) => n.name === 'Model')).toMatchObject({ status: 'mapped', keyflowType: 'ai.complete' });
    expect(attrs.report.nodes.find((n) => n.name === 'Extract')!.reason).toMatch(/under 'json'/);
    const example = run(extractor({ text: 'x', schemaType: 'fromJson', jsonSchemaExample: '{ "city": "Paris", "people": [{ "n": 2 }], "ok": true }' }));
    expect(nodeNamed(example.graph, 'Extract').config.jsonSchema).toEqual({
      type: 'object',
      properties: { city: { type: 'string' }, people: { type: 'array', items: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] } }, ok: { type: 'boolean' } },
      required: ['city', 'people', 'ok'],
    });
    const manualSchema = { type: 'object', properties: { goal: { type: ['string', 'null'] } } };
    expect(nodeNamed(run(extractor({ text: 'x', schemaType: 'manual', inputSchema: JSON.stringify(manualSchema) })).graph, 'Extract').config.jsonSchema).toEqual(manualSchema);
    // A schema that is not JSON, or no attributes, keeps the node (and its model) as placeholders, saying why.
    const broken = run(extractor({ text: 'x', schemaType: 'manual', inputSchema: '{ nope' }));
    expect(broken.report.nodes.find((n) => n.name === 'Extract')).toMatchObject({ status: 'placeholder', reason: "the extractor's JSON Schema is not a JSON object" });
    expect(broken.report.nodes.find((n) => n.name === 'Model')).toMatchObject({ status: 'placeholder' });
    expect(run(extractor({ text: 'x' })).report.nodes.find((n) => n.name === 'Extract')).toMatchObject({ status: 'placeholder', reason: 'the extractor names no attributes' });
  });

  it('Text Classifier + chat model → ai.complete answering one category, then a switch with one output per category (and "other")', () => {
    const doc = {
      nodes: [
        manual,
        { name: 'Classify', type: `${LC}textClassifier`, typeVersion: 1, parameters: { inputText: '={{ $json.text }}', categories: { categories: [{ category: 'invoice', description: 'An invoice is issued' }, { category: 'receipt' }] }, options: { fallback: 'other', systemPromptTemplate: 'Pick one of: {categories}.' } } },
        { name: 'Model', type: `${LC}lmChatOpenAi`, parameters: { model: { __rl: true, value: 'gpt-4o-mini' } } },
        { name: 'Pay', type: `${B}set`, parameters: { mode: 'manual', assignments: { assignments: [{ name: 'text', type: 'string', value: '={{ $json.text }}' }] } } },
        { name: 'File', type: `${B}noOp` },
        { name: 'Ask', type: `${B}noOp` },
      ],
      connections: {
        Start: { main: [[{ node: 'Classify', type: 'main', index: 0 }]] },
        Model: { ai_languageModel: [[{ node: 'Classify', type: 'ai_languageModel', index: 0 }]] },
        Classify: { main: [[{ node: 'Pay', type: 'main', index: 0 }], [{ node: 'File', type: 'main', index: 0 }], [{ node: 'Ask', type: 'main', index: 0 }]] },
      },
    };
    const r = run(doc, defaultRegistry);
    const ai = nodeNamed(r.graph, 'Classify');
    expect(ai).toMatchObject({ type: 'ai.complete', config: { system: 'Pick one of: invoice, receipt, other.', referenceModel: 'openai/gpt-4o-mini', task: 'classification', jsonSchema: { properties: { category: { type: 'string', enum: ['invoice', 'receipt', 'other'] } }, required: ['category'] } } });
    expect(ai.config.prompt).toBe('Classify the text into exactly one of these categories:\n- invoice: An invoice is issued\n- receipt\n- other: none of the above\n\nText:\n{{ $node["Start"].output.text }}');
    const route = nodeNamed(r.graph, 'Classify (route)');
    expect(route).toMatchObject({ type: 'core.switch', config: { value: `{{ $node["${ai.id}"].output.json.category }}`, cases: [{ equals: 'invoice', handle: 'case0' }, { equals: 'receipt', handle: 'case1' }, { equals: 'other', handle: 'case2' }] } });
    const out = (name: string) => r.graph.edges.find((e) => e.target === nodeNamed(r.graph, name).id)!;
    expect(r.graph.edges.find((e) => e.source === ai.id)).toMatchObject({ target: route.id });
    expect([out('Pay'), out('File'), out('Ask')].map((e) => [e.source, e.sourceHandle])).toEqual([[route.id, 'case0'], [route.id, 'case1'], [route.id, 'case2']]);
    // n8n's classifier passes its input on: $json after it is what came in, not the AI answer.
    expect(nodeNamed(r.graph, 'Pay').config.fields).toEqual([{ name: 'text', value: '{{ $node["Start"].output.text }}' }]);
    expect(r.report.nodes.find((n) => n.name === 'Model')).toMatchObject({ status: 'mapped', keyflowType: 'ai.complete' });
    const multi = run({ ...doc, nodes: doc.nodes.map((n) => (n.name === 'Classify' ? { ...n, parameters: { ...n.parameters, options: { multiClass: true } } } : n)) }, defaultRegistry);
    expect(multi.report.nodes.find((n) => n.name === 'Classify')).toMatchObject({ status: 'placeholder', reason: expect.stringMatching(/multi-class/) });
  });

  it('an agent with the default prompt reads the chat input', () => {
    expect(only(wf([{ name: 'A', type: `${LC}agent`, parameters: {} }]), 'A').node.config.prompt).toBe('{{ $node["Start"].output.chatInput }}');
  });

  it('an unknown type is a placeholder keeping type and parameters, with {{ }} inert', () => {
    const { node, report } = only(wf([{ name: 'T', type: `${B}discord`, parameters: { chatId: '={{ $json.chat }}', nested: { a: [1, 'x'] } } }]), 'T');
    expect(node).toMatchObject({ type: 'core.unsupported', config: { originalType: `${B}discord`, source: 'n8n', parameters: { chatId: '={{ "{{" }} $json.chat }}', nested: { a: [1, 'x'] } } } });
    expect(report).toMatchObject({ status: 'placeholder', keyflowType: null, reason: `Keyflow has no counterpart for ${B}discord` });
  });
});

describe('the graph', () => {
  it('keeps positions and names, and ids are safe slugs of names', () => {
    const r = run(wf([{ name: 'Do {{ $env.SECRET }} thing', type: `${B}noOp`, position: [440, -120] }]));
    const n = nodeNamed(r.graph, 'Do {{ $env.SECRET }} thing');
    expect(n.position).toEqual({ x: 440, y: -120 });
    expect(n.id).toBe('Do_env_SECRET_thing');
  });

  it('picks one trigger (webhook over manual); a manual trigger beside it folds into it, its connections starting from the trigger', () => {
    const doc = {
      nodes: [manual, { name: 'Hook', type: `${B}webhook`, parameters: {} }, { name: 'N', type: `${B}noOp` }, { name: 'Only by hand', type: `${B}set`, parameters: { mode: 'manual', assignments: { assignments: [{ name: 'x', type: 'string', value: '={{ $json.q }}' }] } } }],
      connections: { Start: { main: [[{ node: 'N', type: 'main', index: 0 }, { node: 'Only by hand', type: 'main', index: 0 }]] }, Hook: { main: [[{ node: 'N', type: 'main', index: 0 }]] } },
    };
    const r = run(doc);
    const hook = nodeNamed(r.graph, 'Hook');
    expect(hook.type).toBe('core.webhook');
    expect(r.graph.nodes.some((n) => n.name === 'Start')).toBe(false);
    expect(r.report.nodes.find((n) => n.name === 'Start')).toMatchObject({ status: 'mapped', keyflowType: 'core.webhook', nodeId: hook.id, reason: expect.stringMatching(/run by hand.*'Hook'/) });
    const by = nodeNamed(r.graph, 'Only by hand');
    expect(r.graph.edges.filter((e) => e.source === hook.id).map((e) => e.target).sort()).toEqual([nodeNamed(r.graph, 'N').id, by.id].sort());
    // What the manual trigger gave ($json) is now the trigger's payload.
    expect(by.config.fields).toEqual([{ name: 'x', value: '{{ $trigger.q }}' }]);
  });

  it('a manual trigger beside a trigger Keyflow cannot map starts the workflow; the other is a placeholder', () => {
    const doc = { nodes: [manual, { name: 'TG', type: `${B}jiraTrigger`, parameters: {} }, { name: 'N', type: `${B}noOp` }], connections: { Start: { main: [[{ node: 'N', type: 'main', index: 0 }]] }, TG: { main: [[{ node: 'N', type: 'main', index: 0 }]] } } };
    const r = run(doc);
    expect(nodeNamed(r.graph, 'Start').type).toBe('core.manual');
    expect(nodeNamed(r.graph, 'TG').type).toBe('core.unsupported');
    expect(r.report.nodes.find((n) => n.name === 'TG')).toMatchObject({ status: 'placeholder', reason: expect.stringMatching(/no counterpart for n8n-nodes-base.jiraTrigger; the workflow starts from 'Start' instead/) });
  });

  it('a manual trigger beside a disabled trigger Keyflow cannot map, itself disabled, leaves the unmappable one as the placeholder trigger', () => {
    const doc = { nodes: [{ ...manual, disabled: true }, { name: 'TG', type: `${B}jiraTrigger`, parameters: {} }, { name: 'N', type: `${B}noOp` }], connections: { Start: { main: [[{ node: 'N', type: 'main', index: 0 }]] }, TG: { main: [[{ node: 'N', type: 'main', index: 0 }]] } } };
    const r = run(doc);
    expect(nodeNamed(r.graph, 'TG').type).toBe('core.unsupported_trigger');
    expect(r.report.nodes.find((n) => n.name === 'Start')).toMatchObject({ status: 'placeholder', reason: expect.stringMatching(/one trigger.*'TG' is it \(a placeholder\)/) });
  });

  it('two real triggers: the second stays a placeholder to split into its own workflow', () => {
    const doc = { nodes: [{ name: 'Hook', type: `${B}webhook`, parameters: {} }, { name: 'Daily', type: `${B}scheduleTrigger`, parameters: { rule: { interval: [{ field: 'days' }] } } }, { name: 'N', type: `${B}noOp` }], connections: { Hook: { main: [[{ node: 'N', type: 'main', index: 0 }]] }, Daily: { main: [[{ node: 'N', type: 'main', index: 0 }]] } } };
    expect(run(doc).report.nodes.find((n) => n.name === 'Daily')).toMatchObject({ status: 'placeholder', reason: expect.stringMatching(/one trigger.*'Hook'/) });
  });

  it('an unmappable trigger becomes a placeholder trigger so the graph keeps its one trigger', () => {
    const r = run({ nodes: [{ name: 'TG', type: `${B}jiraTrigger`, parameters: { updates: ['message'] } }, { name: 'N', type: `${B}noOp` }], connections: { TG: { main: [[{ node: 'N', type: 'main', index: 0 }]] } } });
    expect(nodeNamed(r.graph, 'TG').type).toBe('core.unsupported_trigger');
    expect(r.graph.edges).toHaveLength(1);
  });

  it('an export with no trigger gets a manual trigger feeding its first nodes', () => {
    const r = run({ nodes: [{ name: 'A', type: `${B}noOp` }, { name: 'Bb', type: `${B}noOp` }], connections: { A: { main: [[{ node: 'Bb', type: 'main', index: 0 }]] } } });
    const t = r.graph.nodes.find((n) => n.type === 'core.manual')!;
    expect(r.graph.edges.filter((e) => e.source === t.id).map((e) => e.target)).toEqual(['A']);
    expect(r.report.warnings.join()).toMatch(/no trigger/);
  });

  it('a connection from an output we do not have (an error output) is dropped with a warning', () => {
    const doc = { nodes: [manual, { name: 'H', type: `${B}httpRequest`, typeVersion: 4.2, parameters: { url: 'https://x.test' } }, { name: 'Ok', type: `${B}noOp` }, { name: 'Err', type: `${B}noOp` }], connections: { Start: { main: [[{ node: 'H', type: 'main', index: 0 }]] }, H: { main: [[{ node: 'Ok', type: 'main', index: 0 }], [{ node: 'Err', type: 'main', index: 0 }]] } } };
    const r = run(doc);
    expect(r.graph.edges.filter((e) => e.source === 'H')).toHaveLength(1);
    expect(r.report.warnings.join()).toMatch(/output 1 of 'H'/);
  });

  it('a mapped node whose settings our node refuses becomes a placeholder naming the field', () => {
    const { node, report } = only(wf([{ name: 'H', type: `${B}httpRequest`, typeVersion: 4.2, parameters: { url: 'ftp://files.example' } }]), 'H');
    expect(node.type).toBe('core.unsupported');
    expect(report.reason).toMatch(/core\.http: url: only http and https/);
  });

  it('a schedule faster than the floor is slowed to it', () => {
    const r = importN8nWorkflow({ nodes: [{ name: 'S', type: `${B}scheduleTrigger`, parameters: { rule: { interval: [{ field: 'minutes', minutesInterval: 1 }] } } }], connections: {} }, { registry: withStandIns, minScheduleSeconds: 300 });
    expect(nodeNamed(r.graph, 'S').config.cron).toBe('*/5 * * * *');
  });

  it('sticky notes become notes on the canvas, or are listed when the graph has none', () => {
    const r = run({ nodes: [manual, { name: 'Sticky', type: `${B}stickyNote`, parameters: { content: '## Read me', width: 300, height: 200 }, position: [10, 20] }], connections: {} });
    const carried = (r.graph as { notes?: { text: string }[] }).notes;
    if (carried) expect(carried).toMatchObject([{ text: '## Read me', position: { x: 10, y: 20 }, width: 300, height: 200 }]);
    else expect(r.report.stickyNotes).toEqual([{ text: '## Read me' }]);
    expect(r.report.nodes.map((n) => n.name)).toEqual(['Start']);
  });

  it('a sticky note longer than the canvas allows is shortened, and notes beyond the limit are counted in a warning', () => {
    const notes = Array.from({ length: 205 }, (_, i) => ({ name: `Note ${i}`, type: `${B}stickyNote`, parameters: { content: i === 0 ? 'x'.repeat(9000) : 'short' } }));
    const r = run({ nodes: [manual, ...notes], connections: {} });
    const carried = (r.graph as { notes?: { text: string }[] }).notes!;
    expect(carried).toHaveLength(200);
    expect(carried[0]!.text.length).toBeLessThanOrEqual(5000);
    expect(r.report.warnings.join()).toMatch(/205 sticky notes; the first 200/);
  });

  it('disabled n8n nodes stay disabled', () => {
    expect(only(wf([{ name: 'N', type: `${B}noOp`, disabled: true }]), 'N').node.disabled).toBe(true);
  });
});

describe('hostile and malformed exports: 422 naming the field, never a crash', () => {
  it.each([
    ['not JSON text', '{"nodes": [', [], /not valid JSON/],
    ['an array of two', [1, 2], [], /expected an object/],
    ['nodes not an array', { nodes: 'x', connections: {} }, ['nodes'], /array/],
    ['a node without a type', { nodes: [{ name: 'A' }], connections: {} }, ['nodes', 0, 'type'], /string/],
    ['parameters not an object', { nodes: [{ name: 'A', type: 'x', parameters: [1] }], connections: {} }, ['nodes', 0, 'parameters'], /object|record/],
    ['connections of the wrong shape', { nodes: [manual], connections: { Start: { main: 'x' } } }, ['connections', 'Start', 'main'], /array/],
    ['a connection to a missing node', { nodes: [manual], connections: { Start: { main: [[{ node: 'Ghost', type: 'main', index: 0 }]] } } }, ['connections', 'Start', 'main', 0, 0, 'node'], /Ghost/],
    ['a repeated name', { nodes: [manual, { ...manual }], connections: {} }, ['nodes', 1, 'name'], /used by two nodes/],
  ])('%s', (_what, doc, path, message) => {
    expectIssue(() => importN8nWorkflow(doc, { registry: withStandIns }), path, message);
  });

  it('__proto__, constructor and prototype keys sent as raw text are refused by path, and pollute nothing', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const text = `{"nodes":[{"name":"A","type":"n8n-nodes-base.manualTrigger","parameters":{"${key}":{"polluted":"yes"}}}],"connections":{}}`;
      expectIssue(() => importN8nWorkflow(text, { registry: withStandIns }), ['nodes', 0, 'parameters', key], /not allowed/);
      expectIssue(() => importN8nWorkflow(JSON.parse(text), { registry: withStandIns }), ['nodes', 0, 'parameters', key], /not allowed/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('deep nesting is refused without overflowing the stack', () => {
    const deep = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    const text = `{"nodes":[{"name":"A","type":"n8n-nodes-base.noOp","parameters":${deep}}],"connections":{}}`;
    expectIssue(() => importN8nWorkflow(text, { registry: withStandIns }), ['nodes', 0, 'parameters', ...Array(61).fill('a')], /nested deeper than 64/);
  });

  it('huge: too many nodes, too much text, too many values', () => {
    const many = { nodes: Array.from({ length: IMPORT_LIMITS.maxNodes + 1 }, (_, i) => ({ name: `n${i}`, type: `${B}noOp` })), connections: {} };
    expectIssue(() => importN8nWorkflow(many, { registry: withStandIns }), ['nodes'], new RegExp(`at most ${IMPORT_LIMITS.maxNodes} nodes`));
    // The operator's lower limit (KEYFLOW_MAX_WORKFLOW_NODES) applies too.
    expectIssue(() => importN8nWorkflow({ nodes: many.nodes.slice(0, 11), connections: {} }, { registry: withStandIns, maxNodes: 10 }), ['nodes'], /at most 10 nodes/);
    expectIssue(() => importN8nWorkflow(`"${'x'.repeat(6 * 1024 * 1024)}"`, { registry: withStandIns }), [], /at most 5242880 bytes/);
    const wide = { nodes: [{ name: 'A', type: `${B}noOp`, parameters: { list: Array(300_000).fill(0) } }], connections: {} };
    expectIssue(() => importN8nWorkflow(wide, { registry: withStandIns }), [], /more than 250000 values/);
  });

  it('odd but well-typed shapes become placeholders, not errors', () => {
    const r = run(wf([
      { name: 'If', type: `${B}if`, typeVersion: 2, parameters: { conditions: { conditions: ['nope', 3] } } },
      { name: 'Sw', type: `${B}switch`, typeVersion: 3, parameters: { rules: 'x' } },
      { name: 'Http', type: `${B}httpRequest`, parameters: { method: 42, url: { x: 1 } } },
      { name: 'Sched', type: `${B}set`, parameters: { assignments: { assignments: 'x' } } },
    ]));
    expect(r.report.nodes.filter((n) => n.status === 'placeholder').map((n) => n.name)).toEqual(['If', 'Sw', 'Http']);
  });
});

describe('real exports (corpus fixtures)', () => {
  const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

  it('Slack slash-command bot: webhook, switch, LLM chains with their model folded in, Slack posts, notes', () => {
    const r = run(fixture('enc-Slack-slash-commands-AI-Chat-Bot.json'));
    const types = r.graph.nodes.map((n) => n.type);
    expect(types).toContain('core.webhook');
    expect(types).toContain('core.switch');
    expect(types.filter((t) => t === 'ai.complete').length).toBeGreaterThan(0);
    expect(types).toContain('slack.post_message');
    expect(r.report.nodes.every((n) => n.status === 'mapped'), JSON.stringify(r.report.nodes.filter((n) => n.status !== 'mapped'))).toBe(true);
  });

  it('DaoXE fallback chat: every node mapped, the HTTP error output dropped with a warning, no kept expression', () => {
    const r = run(fixture('enc-DaoXE-Multi-Model-Chat-with-Automatic-Fallback.json'));
    expect(r.report.nodes.every((n) => n.status === 'mapped')).toBe(true);
    expect(r.report.expressions).toEqual({ translated: 10, kept: 0 });
    expect(r.report.warnings.join()).toMatch(/output 1 of 'Primary model \(DaoXE\)'/);
  });

  it('Gemini meeting summary: schedule, agent with Gemini model, calendar tool as a placeholder', () => {
    const r = run(fixture('enc-Daily-meetings-summarization-with-Gemini-AI.json'));
    expect(r.graph.nodes.find((n) => n.type === 'core.schedule')).toBeDefined();
    expect(r.report.nodes.find((n) => n.n8nType.endsWith('lmChatGoogleGemini'))?.status).toBe('mapped');
    expect(r.report.nodes.find((n) => n.n8nType.endsWith('googleCalendarTool'))?.status).toBe('placeholder');
  });
});
