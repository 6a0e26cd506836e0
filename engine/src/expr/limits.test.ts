import { describe, expect, it } from 'vitest';
import { compileTemplate } from './compile-template.ts';
import { ExpressionError, ExpressionSyntaxError } from './expression-error.ts';
import { LIMITS } from './limits.ts';
import { renderValue } from './render-value.ts';
import { render, run, thrown } from './test-helpers.ts';

describe('source limits', () => {
  it('caps the length of one expression', () => {
    const long = `{{ ${'1 + '.repeat(3000)}1 }}`;
    const error = thrown(() => compileTemplate(long));
    expect(error).toBeInstanceOf(ExpressionSyntaxError);
    expect(error.message).toContain(`expression is longer than ${LIMITS.maxExpressionLength} characters`);
  });

  it('caps the length of a template but allows long text around a placeholder', () => {
    expect(render(`${'x'.repeat(50_000)}{{ 1 }}`)).toHaveLength(50_001);
    expect(() => compileTemplate('x'.repeat(LIMITS.maxTemplateLength + 1))).toThrow('template is longer than');
  });

  it.each([
    ['parentheses', `${'('.repeat(300)}1${')'.repeat(300)}`],
    ['arrays', `${'['.repeat(300)}${']'.repeat(300)}`],
    ['objects', `${'{a:'.repeat(300)}1${'}'.repeat(300)}`],
    ['unary operators', `${'!'.repeat(300)}1`],
    ['member chains', `$trigger${'.a'.repeat(300)}`],
    ['operator chains', `1${' + 1'.repeat(300)}`],
    ['nested calls', `${'abs('.repeat(300)}1${')'.repeat(300)}`],
  ])('caps nesting depth: %s', (_name, expr) => {
    const error = thrown(() => compileTemplate(`{{ ${expr} }}`));
    expect(error).toBeInstanceOf(ExpressionSyntaxError);
    expect(error.message).toContain(`nested more than ${LIMITS.maxDepth} levels deep`);
  });

  it('allows reasonable nesting', () => {
    expect(run(`${'('.repeat(50)}1${')'.repeat(50)}`)).toBe(1);
    expect(run(`1${' + 1'.repeat(100)}`)).toBe(101);
  });
});

describe('evaluation budget', () => {
  it('stops an evaluation that visits too many nodes', () => {
    expect(run('1 + 1 + 1', undefined, { maxSteps: 5 })).toBe(3);
    const error = thrown(() => run('1 + 1 + 1 + 1', undefined, { maxSteps: 5 }));
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error.message).toContain('evaluation exceeded its budget of 5 steps');
  });

  it('charges built-ins for the work they do on large data', () => {
    const scope = { $vars: { big: 'x'.repeat(200_000), list: Array.from({ length: 200_000 }, (_, i) => i) } };
    expect(() => run('split($vars.big, "")', scope)).toThrow('exceeded its budget');
    expect(() => run('sum($vars.list)', scope)).toThrow('exceeded its budget');
    expect(() => run('join($vars.list, ",")', scope)).toThrow('exceeded its budget');
    expect(run('length($vars.list)', scope)).toBe(200_000);
  });

  it('starts every evaluation with a fresh budget', () => {
    const template = compileTemplate('{{ 1 + 1 + 1 }}');
    for (let i = 0; i < 3; i++) expect(render(template.source, {}, { maxSteps: 5 })).toBe(3);
  });
});

describe('string size cap', () => {
  const scope = (): Record<string, unknown> => ({
    $vars: { s: 'a'.repeat(600_000), mid: 'a'.repeat(50_000), short: 'abcdef', e: 'é' },
  });

  it.each([
    ['{{ $vars.s + $vars.s }}', undefined],
    ['{{ $vars.s }}{{ $vars.s }}', undefined],
    ['x {{ json([$vars.s, $vars.s]) }}', undefined],
    ['{{ join([$vars.s, $vars.s], "") }}', undefined],
    ['{{ replace($vars.short, "a", $vars.s) + replace($vars.short, "b", $vars.s) }}', undefined],
    ['{{ replace($vars.mid, "a", "aaa") }}', 100_000],
    ['{{ $vars.short + $vars.short }}', 10],
    ['{{ $vars.e + $vars.e + $vars.e }}', 5],
    ['{{ upper("ßßß") }}', 5],
    ['{{ $vars.short }} {{ $vars.short }}', 10],
  ])('%s', (template, maxStringBytes) => {
    const opts = maxStringBytes === undefined ? {} : { maxStringBytes };
    const error = thrown(() => render(template, scope(), opts));
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error.message).toMatch(/string result is larger than the \d+-byte limit/);
  });

  it('counts UTF-8 bytes, and lets results under the cap through', () => {
    expect(render('{{ $vars.e + $vars.e }}', scope(), { maxStringBytes: 4 })).toBe('éé');
    expect(render('{{ $vars.short + "!" }}', scope(), { maxStringBytes: 7 })).toBe('abcdef!');
  });

  it('passes a large scope value through unchanged when it is only read, not produced', () => {
    expect(render('{{ $vars.s }}', scope(), { maxStringBytes: 10 })).toHaveLength(600_000);
  });
});

describe('data limits', () => {
  it('refuses circular or absurdly deep data instead of hanging', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => render('{{ $vars.cyclic }}', { $vars: { cyclic } })).toThrow('nested too deeply (or is circular)');
    expect(() => render('x {{ $vars.cyclic }}', { $vars: { cyclic } })).toThrow('nested too deeply');
    expect(render('{{ $vars.cyclic.self.self.a }}', { $vars: { cyclic } })).toBe(1);
  });

  it('refuses config values nested beyond the walk limit', () => {
    let deep: unknown = '{{ 1 }}';
    for (let i = 0; i < LIMITS.maxValueDepth + 5; i++) deep = [deep];
    expect(() => renderValue(deep, {})).toThrow('value is nested too deeply');
  });
});

describe('built-size budget', () => {
  // A payload of small objects: copying it is what costs memory, not reading it.
  const payload = () => ({ body: { rows: Array.from({ length: 2_000 }, (_, i) => ({ id: i, name: `row ${i}`, tags: ['a', 'b'] })) } });
  const thousand = `{{ [${Array.from({ length: 1_000 }, () => '$trigger').join(',')}] }}`;

  it('charges a result for the size of what it would copy, naming the field and the limit', () => {
    expect(thousand.length).toBeLessThan(LIMITS.maxExpressionLength);
    const config = { fields: [{ name: 'a', value: thousand }, { name: 'b', value: thousand }, { name: 'c', value: thousand }] };
    const error = thrown(() => renderValue(config, { $trigger: payload() }));
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error.message).toContain(`evaluation exceeded its budget of ${LIMITS.maxBuildBytes} bytes`);
    expect(error.message).toContain('at fields[0].value');
  });

  it('shares one budget across every template of one config', () => {
    const scope = { $vars: { s: 'x'.repeat(600) } };
    const config = { a: '{{ $vars.s }}', b: '{{ $vars.s }}' };
    expect(renderValue({ a: config.a }, scope, { maxBuildBytes: 1_000 })).toEqual({ a: scope.$vars.s });
    const error = thrown(() => renderValue(config, scope, { maxBuildBytes: 1_000 }));
    expect(error.message).toContain('evaluation exceeded its budget of 1000 bytes');
    expect(error.message).toContain('at b');
  });

  it('charges strings that built-ins produce, even when each is under the string cap', () => {
    const scope = { $vars: { t: payload() } };
    const many = `[${Array.from({ length: 200 }, () => 'json($vars.t)').join(', ')}]`;
    expect(() => run(many, scope)).toThrow(`evaluation exceeded its budget of ${LIMITS.maxBuildBytes} bytes`);
  });

  it('refuses to serialise a value larger than the string cap before building the string', () => {
    const scope = { $vars: { t: payload() } };
    const error = thrown(() => run(`json([${Array.from({ length: 50 }, () => '$vars.t').join(', ')}])`, scope));
    expect(error.message).toMatch(/string result is larger than the \d+-byte limit/);
  });

  it('copies a value referenced many times once: the copies are shared, never the scope itself', () => {
    const scope = { $trigger: payload() };
    const out = run('[$trigger.body, $trigger.body]', scope) as unknown[];
    expect(out[0]).toBe(out[1]);
    expect(out[0]).not.toBe(scope.$trigger.body);
    expect(out[0]).toEqual(scope.$trigger.body);
  });
});
