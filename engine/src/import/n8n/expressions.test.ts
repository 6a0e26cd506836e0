import { describe, expect, it } from 'vitest';
import { literalText, translateSegment, translateString, type ExpressionScope } from './expressions.ts';
import { compileTemplate, evaluateTemplate } from '../../expr/index.ts';

const scope: ExpressionScope = {
  refOf: (name) => ({ 'Set inputs': '$node["Set_inputs"].output', 'My HTTP': '$node["My_HTTP"].output.body', Webhook: '$node["Webhook"].output' })[name],
  current: '$node["prev"].output',
};

describe('n8n expressions → ours', () => {
  it.each([
    ['$json.name', '$node["prev"].output.name'],
    ['$json["first name"]', '$node["prev"].output["first name"]'],
    ["$('Set inputs').item.json.prompt", '$node["Set_inputs"].output.prompt'],
    ['$("Set inputs").first().json.prompt', '$node["Set_inputs"].output.prompt'],
    ["$('My HTTP').last().json.items[0]", '$node["My_HTTP"].output.body.items[0]'],
    ['$node["Webhook"].json.body.email', '$node["Webhook"].output.body.email'],
    ["$node['Webhook'].json[\"query\"]", '$node["Webhook"].output["query"]'],
    ['$node.Webhook.json.body', '$node["Webhook"].output.body'],
    ['$item("0").$node["Webhook"].json["query"]', '$node["Webhook"].output["query"]'],
    ['$input.item.json.total > 3', '$node["prev"].output.total > 3'],
    ['$input.first().json.a', '$node["prev"].output.a'],
    ['JSON.stringify($json.prompt)', 'json($node["prev"].output.prompt)'],
    ['$json.text.substring(0, 5)', '$node["prev"].output.text.slice(0, 5)'],
    ['$execution.id', '$run.id'],
    ['$workflow.id', '$run.workflowId'],
    ['$now.toISO()', '$now'],
  ])('translates %s', (n8n, ours) => {
    expect(translateSegment(` ${n8n} `, scope)).toBe(ours);
  });

  it.each([
    ['an arrow function', '$json.items.map(i => i.id)'],
    ['Luxon', 'DateTime.now().toISO()'],
    ['$env', '$env.SECRET'],
    ['a node that is not in the export', "$('Nowhere').item.json.x"],
    ['a template literal', '`a ${$json.x}`'],
    ['$binary', '$binary.data.fileName'],
    ['JSON.stringify with an indent', 'JSON.stringify($json, null, 2)'],
    ['a method we do not allow', '$json.name.toSentenceCase()'],
  ])('keeps %s', (_what, n8n) => {
    expect(translateSegment(n8n, scope)).toBeUndefined();
  });

  it('translates an =-prefixed parameter segment by segment and counts them', () => {
    const counts = { translated: 0, kept: 0 };
    const out = translateString('=Hi {{ $json.name }}, {{ $json.items.map(i => i.id) }}!', scope, counts);
    expect(out).toBe('Hi {{ $node["prev"].output.name }}, {{ $json.items.map(i => i.id) }}!');
    expect(counts).toEqual({ translated: 1, kept: 1 });
  });

  it('keeps text without = literal, making a literal {{ inert in our language', () => {
    const counts = { translated: 0, kept: 0 };
    const text = 'Use {{ $json.x }} in n8n';
    const out = translateString(text, scope, counts);
    expect(counts).toEqual({ translated: 0, kept: 0 });
    // Rendered by our engine, it gives back exactly the original text, not an evaluation.
    expect(evaluateTemplate(compileTemplate(out), { $node: { prev: { output: { x: 'EVALUATED' } } } })).toBe(text);
    expect(literalText('plain')).toBe('plain');
  });

  it('evaluates a translated expression against our scope', () => {
    const counts = { translated: 0, kept: 0 };
    const out = translateString("={{ $('Set inputs').item.json.prompt }} / {{ $json.n + 1 }}", scope, counts);
    expect(evaluateTemplate(compileTemplate(out), { $node: { Set_inputs: { output: { prompt: 'p' } }, prev: { output: { n: 41 } } } })).toBe('p / 42');
  });
});
