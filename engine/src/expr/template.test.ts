import { describe, expect, it } from 'vitest';
import { compileTemplate } from './compile-template.ts';
import { evaluateTemplate } from './evaluate-template.ts';
import { ExpressionError, ExpressionSyntaxError } from './expression-error.ts';
import { makeScope, render, thrown } from './test-helpers.ts';

describe('a single {{ }} keeps the type', () => {
  it.each([
    ['{{ $trigger.body.age }}', 36],
    ['  {{ $trigger.body.age }}\n', 36],
    ['{{ $trigger.body.tags }}', ['a', 'b']],
    ['{{ $trigger.body.nested }}', { deep: { value: 7 } }],
    ['{{ $trigger.body.age > 1 }}', true],
    ['{{ $trigger.body.nil }}', null],
    ['{{ $trigger.body.missing }}', undefined],
    ['{{ "text" }}', 'text'],
    ['{{{ a: 1 }}}', { a: 1 }],
    ['{{ { a: { b: 1 }} }}', { a: { b: 1 } }],
  ])('%j', (template, expected) => {
    expect(render(template)).toStrictEqual(expected);
  });
});

describe('mixed text stringifies each result', () => {
  it.each([
    ['Hello {{ $trigger.body.name }}!', 'Hello Ada!'],
    ['{{ $trigger.body.name }} is {{ $trigger.body.age }}', 'Ada is 36'],
    ['n={{ $trigger.body.nil }}|u={{ $trigger.body.missing }}', 'n=|u='],
    ['tags: {{ $trigger.body.tags }}', 'tags: ["a","b"]'],
    ['obj: {{ $trigger.body.nested }}', 'obj: {"deep":{"value":7}}'],
    ['{{ true }} and {{ 1.5 }}', 'true and 1.5'],
    ['{{ "}}" }} braces', '}} braces'],
    ['a {{ "{{" }} b', 'a {{ b'],
    ['no template here', 'no template here'],
    ['single } and }} stay', 'single } and }} stay'],
    ['', ''],
  ])('%j', (template, expected) => {
    expect(render(template)).toBe(expected);
  });
});

describe('compileTemplate', () => {
  it('classifies templates', () => {
    expect(compileTemplate('plain').kind).toBe('text');
    expect(compileTemplate(' {{ 1 }} ').kind).toBe('single');
    expect(compileTemplate('{{ 1 }}{{ 2 }}').kind).toBe('mixed');
    expect(render('{{ 1 }}{{ 2 }}')).toBe('12');
  });

  it('compiles once and evaluates against many scopes', () => {
    const template = compileTemplate('Hi {{ $trigger.body.name }}');
    const names = ['A', 'B', 'C'].map((name) => evaluateTemplate(template, { $trigger: { body: { name } } }));
    expect(names).toEqual(['Hi A', 'Hi B', 'Hi C']);
  });

  it.each([
    ['{{ 1 + }}', 'unexpected end of expression', 7],
    ['{{ }}', 'empty expression', 3],
    ['abc {{ $trigger.body', 'unterminated "{{": missing "}}"', 4],
    ['{{ (1 }}', 'expected ")" but found end of expression', 6],
    ['{{ 1 2 }}', 'unexpected "2"', 5],
    ['{{ "open }}', 'unterminated string', 3],
    ['{{ 1abc }}', 'invalid number', 3],
    ['{{ $a.b. }}', 'expected a property name but found end of expression', 9],
    ['{{ {a} }}', 'expected ":" after key "a" (shorthand and methods are not supported)', 5],
    ['{{ [1,,2] }}', 'unexpected ","', 6],
    ['{{ "\\u12" }}', 'invalid escape sequence in string', 4],
    ['ok {{ 1 }} then {{ $x[ }}', 'unexpected end of expression', 23],
  ])('%j is a syntax error with its position', (template, reason, position) => {
    const error = thrown(() => compileTemplate(template));
    expect(error).toBeInstanceOf(ExpressionSyntaxError);
    expect(error).toMatchObject({ reason, position });
  });

  it('runtime errors carry the position of the failing node', () => {
    const error = thrown(() => render('Hello {{ $trigger.body.user.name }}'));
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error).not.toBeInstanceOf(ExpressionSyntaxError);
    expect(error).toMatchObject({
      reason: 'cannot read property "name" of undefined ($trigger.body.user)',
      position: 9,
    });
  });

  it('refuses a scope that is not a plain object and a template it did not compile', () => {
    const template = compileTemplate('{{ 1 }}');
    expect(() => evaluateTemplate(template, [] as unknown as Record<string, unknown>)).toThrow(TypeError);
    const forged = { source: '{{ 1 }}', kind: 'single', parts: template.parts } as const;
    expect(() => evaluateTemplate(forged, makeScope())).toThrow('expects the result of compileTemplate');
  });
});
