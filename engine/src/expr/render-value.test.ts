import { describe, expect, it } from 'vitest';
import { ExpressionError, ExpressionSyntaxError } from './expression-error.ts';
import { findTemplateErrors } from './find-template-errors.ts';
import { referencedNodes } from './referenced-nodes.ts';
import { renderValue } from './render-value.ts';
import { makeScope, thrown } from './test-helpers.ts';

describe('renderValue', () => {
  it('keeps a "__proto__" key of a config as an own key, never as the copy\'s prototype', () => {
    const config = JSON.parse('{"__proto__": {"polluted": "{{ 1 + 1 }}"}, "a": ["x", "{{ 2 }}"]}') as Record<string, unknown>;
    const out = renderValue(config, makeScope()) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: 2 });
    expect(out.a).toEqual(['x', 2]);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":2},"a":["x",2]}');
  });

  it('renders every template string deep inside a config, never the keys', () => {
    const config = {
      status: 200,
      fields: [
        { name: 'greeting', value: 'Hello {{ $trigger.body.name }}' },
        { name: 'age', value: '{{ $trigger.body.age }}' },
      ],
      '{{ key }}': 'plain',
      enabled: true,
      nothing: null,
    };
    expect(renderValue(config, makeScope())).toEqual({
      status: 200,
      fields: [
        { name: 'greeting', value: 'Hello Ada' },
        { name: 'age', value: 36 },
      ],
      '{{ key }}': 'plain',
      enabled: true,
      nothing: null,
    });
  });

  it('returns a new value and leaves the config untouched', () => {
    const config = { body: '{{ $node["shape"].output }}', list: ['{{ 1 + 1 }}'] };
    const before = structuredClone(config);
    const out = renderValue(config, makeScope());
    expect(out).toEqual({ body: { greeting: 'Hello' }, list: [2] });
    expect(config).toEqual(before);
    expect(out).not.toBe(config);
  });

  it.each([
    [{ fields: [{ name: 'x', value: '{{ foo }}' }] }, ['fields', 0, 'value'], 'unknown identifier "foo"'],
    [{ a: { 'b-c': ['ok', '{{ $trigger.body.user.name }}'] } }, ['a', 'b-c', 1], 'cannot read property "name" of undefined ($trigger.body.user)'],
    ['{{ $trigger.body.tags.x.y }}', [], 'cannot read property "y" of undefined ($trigger.body.tags.x)'],
  ])('locates evaluation errors: %j', (config, path, reason) => {
    const error = thrown(() => renderValue(config, makeScope()));
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error).toMatchObject({ path, reason });
  });

  it('locates syntax errors and formats the path into the message', () => {
    const error = thrown(() => renderValue({ headers: { 'x-id': '{{ 1 + }}' } }, makeScope()));
    expect(error).toBeInstanceOf(ExpressionSyntaxError);
    expect(error).toMatchObject({ path: ['headers', 'x-id'] });
    expect(error.message).toBe('unexpected end of expression (position 7) at headers["x-id"]');
  });

  const SECRET = 'sk-canary-7d1f0c2e';
  const secretScope = (): Record<string, unknown> => ({
    $vars: { secret: SECRET, obj: { [SECRET]: 1, k: SECRET }, json: `{"${SECRET}` },
    $trigger: { body: {} },
  });
  it.each([
    '$vars.secret.x.y',
    '$vars.secret * 2',
    '-$vars.secret',
    'parseJson($vars.json)',
    '$vars.obj[$vars.secret].x.y',
    '$trigger.body[$vars.obj]',
    '$vars.secret < {}',
    'date($vars.secret)',
    'lower($vars.obj)',
    '$vars.obj.k.trim().x.y',
    'round($vars.secret)',
    '$vars.nope.k',
  ])('error messages never contain scope values: %s', (expr) => {
    const error = thrown(() => renderValue({ v: `{{ ${expr} }}` }, secretScope()));
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error.message).not.toContain('sk-canary');
    expect(JSON.stringify(error)).not.toContain('sk-canary');
  });
});

describe('findTemplateErrors', () => {
  it('lists syntax errors and unknown identifiers with their paths, without evaluating', () => {
    const config = {
      ok: 'Hello {{ $trigger.body.name }} at {{ now() }}',
      broken: ['fine', '{{ $trigger.body. }}'],
      typo: '{{ $trigerr.body }}',
      global: { deep: '{{ process.env.HOME }}' },
      call: '{{ require("fs") }}',
      plain: 'no braces',
    };
    expect(findTemplateErrors(config)).toEqual([
      { path: ['broken', 1], message: 'expected a property name but found end of expression', position: 18 },
      { path: ['typo'], message: 'unknown identifier "$trigerr"', position: 3 },
      { path: ['global', 'deep'], message: 'unknown identifier "process"', position: 3 },
      { path: ['call'], message: 'unknown function "require"', position: 3 },
    ]);
  });

  it('accepts custom roots and valid configs', () => {
    expect(findTemplateErrors({ a: '{{ $item.x + $index }}' })).toEqual([]);
    expect(findTemplateErrors({ a: '{{ $custom }}' }, { roots: ['$custom'] })).toEqual([]);
    expect(findTemplateErrors('{{ $trigger }}', { roots: ['$custom'] })).toEqual([
      { path: [], message: 'unknown identifier "$trigger"', position: 3 },
    ]);
    expect(findTemplateErrors(42)).toEqual([]);
  });
});

describe('referencedNodes', () => {
  it('collects node ids in first-seen order, best effort', () => {
    const config = {
      a: '{{ $node["shape"].output }} and {{ $node.reply.output.x }}',
      b: ['{{ $node[\'shape\'].output }}', "{{ $node['my-node']?.output }}"],
      c: '{{ $node[$vars.id].output }}',
      d: '{{ $node["broken" }}',
      e: '$node["not-a-template"]',
    };
    expect(referencedNodes(config)).toEqual(['shape', 'reply', 'my-node']);
  });
});
