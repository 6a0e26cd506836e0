// One evaluation can never see or change what another sees.
import { describe, expect, it } from 'vitest';
import { compileTemplate } from './compile-template.ts';
import { evaluateTemplate } from './evaluate-template.ts';
import { renderValue } from './render-value.ts';
import { makeScope } from './test-helpers.ts';

describe('isolation between evaluations', () => {
  it('returns copies: mutating a result does not alter the scope or later results', () => {
    const scope = makeScope();
    const template = compileTemplate('{{ $trigger.body }}');
    const first = evaluateTemplate(template, scope) as { tags: string[]; nested: { deep: { value: number } } };
    first.tags.push('mutated');
    first.nested.deep.value = -1;
    const second = evaluateTemplate(template, scope);
    expect(second).toEqual((makeScope().$trigger as { body: unknown }).body);
    expect(evaluateTemplate(compileTemplate('{{ $trigger.body.nested.deep.value }}'), scope)).toBe(7);
  });

  it('returns copies from renderValue as well', () => {
    const scope = makeScope();
    const config = { out: '{{ $node["shape"].output }}' };
    const first = renderValue(config, scope) as { out: Record<string, unknown> };
    first.out.greeting = 'changed';
    expect(renderValue(config, scope)).toEqual({ out: { greeting: 'Hello' } });
  });

  it('builds literals afresh each time', () => {
    const template = compileTemplate('{{ { list: [1, 2] } }}');
    const a = evaluateTemplate(template, {}) as { list: number[] };
    a.list.push(3);
    const b = evaluateTemplate(template, {});
    expect(b).toEqual({ list: [1, 2] });
    expect(b).not.toBe(a);
  });

  it('sees only the scope it is given', () => {
    const template = compileTemplate('{{ $vars.x ?? "none" }}');
    expect(evaluateTemplate(template, { $vars: { x: 'secret-of-run-1' } })).toBe('secret-of-run-1');
    expect(evaluateTemplate(template, { $vars: {} })).toBe('none');
    expect(() => evaluateTemplate(template, {})).toThrow('unknown identifier "$vars"');
  });

  it('freezes compiled templates, so nothing can be stored in them', () => {
    const template = compileTemplate('a {{ $trigger.body.name }}');
    expect(Object.isFrozen(template)).toBe(true);
    expect(Object.isFrozen(template.parts)).toBe(true);
    for (const part of template.parts) {
      expect(Object.isFrozen(part)).toBe(true);
      if ('expr' in part) expect(Object.isFrozen(part.expr)).toBe(true);
    }
    expect(() => {
      (template.parts as unknown[]).push({ text: 'x' });
    }).toThrow(TypeError);
  });

  it('leaves the scope objects unmodified after any evaluation', () => {
    const scope = makeScope();
    const snapshot = structuredClone(scope);
    for (const source of ['{{ $trigger.body.tags }}', '{{ values($trigger.body) }}', '{{ slice($vars.list, 0) }}', 'x {{ $trigger }}']) {
      const out = evaluateTemplate(compileTemplate(source), scope);
      if (Array.isArray(out)) out.reverse();
    }
    expect(scope).toEqual(snapshot);
  });
});
