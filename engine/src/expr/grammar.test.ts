import { describe, expect, it } from 'vitest';
import { run } from './test-helpers.ts';

describe('literals', () => {
  it.each([
    ['42', 42],
    ['3.25', 3.25],
    ['.5', 0.5],
    ['1e3', 1000],
    ['2.5E-1', 0.25],
    ['"double"', 'double'],
    ["'single'", 'single'],
    [String.raw`"a\"b\'c"`, `a"b'c`],
    [String.raw`'line\nnext\ttab\\'`, 'line\nnext\ttab\\'],
    [String.raw`"\u0041\x42\u{1F600}"`, 'AB😀'],
    ['true', true],
    ['false', false],
    ['null', null],
    ['[1, "two", [3], ]', [1, 'two', [3]]],
    ['[]', []],
    ['{ "k": 1, k2: "v", 3: true, }', { k: 1, k2: 'v', 3: true }],
    ['{}', {}],
    ['{ a: { b: [1, { c: 2 }] } }', { a: { b: [1, { c: 2 }] } }],
  ])('%s', (expr, expected) => {
    expect(run(expr)).toEqual(expected);
  });
});

describe('paths', () => {
  it.each([
    ['$trigger.body.name', 'Ada'],
    ['$trigger["body"]["name"]', 'Ada'],
    ["$trigger['headers']['content-type']", 'application/json'],
    ['$trigger.body.tags[1]', 'b'],
    ['$trigger.body.tags["0"]', 'a'],
    ['$trigger.body.tags[5]', undefined],
    ['$trigger.body.tags[-1]', undefined],
    ['$trigger.body.tags.length', 2],
    ['$trigger.body.name.length', 3],
    ['$trigger.body.name[0]', 'A'],
    ['$trigger.body[$vars.csv.length > 1 ? "age" : "name"]', 36],
    ['$trigger.body.missing', undefined],
    ['$trigger.body.nested.deep.value', 7],
    ['$node["shape"].output.greeting', 'Hello'],
    ['$node["my-node"].output[2]', 3],
    ['$node.shape.output', { greeting: 'Hello' }],
    ['$trigger.body.missing?.x', undefined],
    ['$trigger.body.missing?.x.y.z', undefined],
    ['$trigger.body.nil?.["x"]', undefined],
    ['$trigger.body?.name', 'Ada'],
    ['$trigger.body.age.x', undefined],
    ['$trigger.body.toString', undefined],
    ['$trigger.body.tags.map', undefined],
  ])('%s', (expr, expected) => {
    expect(run(expr)).toEqual(expected);
  });
});

describe('operators', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['2 * 3 % 4', 2],
    ['7 / 2', 3.5],
    ['-$trigger.body.age', -36],
    ['- -3', 3],
    ['$trigger.query.page * 2', 6],
    ['"a" + 1', 'a1'],
    ['1 + 2 + "x"', '3x'],
    ['"n:" + null', 'n:'],
    ['"o:" + { a: 1 }', 'o:{"a":1}'],
    ['1 == 1', true],
    ['1 == "1"', true],
    ['null == false', false],
    ['"" == 0', true],
    ['$trigger.body.nil == $trigger.body.missing', true],
    ['1 === "1"', false],
    ['1 != "1"', false],
    ['1 !== "1"', true],
    ['[1] == [1]', false],
    ['$trigger.body.tags == $trigger.body.tags', true],
    ['2 < 10', true],
    ['"2" < "10"', false],
    ['"2" < 10', true],
    ['3 <= 3', true],
    ['4 > 5', false],
    ['5 >= 5', true],
    ['$trigger.body.missing > 1', false],
    ['$trigger.body.missing <= 1', false],
    ['true && "yes"', 'yes'],
    ['0 && "yes"', 0],
    ['"" || "fallback"', 'fallback'],
    ['"x" || "fallback"', 'x'],
    ['$trigger.body.nil ?? "d"', 'd'],
    ['$trigger.body.zero ?? "d"', 0],
    ['!0', true],
    ['!!"x"', true],
    ['!$trigger.body.missing', true],
    ['$trigger.body.age > 18 ? "adult" : "minor"', 'adult'],
    ['false ? 1 : true ? 2 : 3', 2],
    ['1 + 1 == 2 && 3 > 2 || false', true],
    ['$trigger.body.nil ?? 1 + 1', 2],
    ['-2 * -2', 4],
  ])('%s', (expr, expected) => {
    expect(run(expr)).toEqual(expected);
  });

  it.each([
    ['$trigger.body.tags - 1', 'operator "-" needs numbers, got array'],
    ['-$trigger.body', 'operator "-" needs numbers, got object'],
    ['1 + null', 'operator "+" needs numbers or a string, got number and null'],
    ['$trigger.body < 1', 'cannot compare object with number using "<"'],
  ])('%s is a type error', (expr, reason) => {
    expect(() => run(expr)).toThrow(reason);
  });

  it('short-circuits without evaluating the other side', () => {
    expect(run('true || nope')).toBe(true);
    expect(run('false && nope')).toBe(false);
    expect(run('1 ?? nope')).toBe(1);
    expect(run('true ? 1 : nope')).toBe(1);
    expect(() => run('false || nope')).toThrow('unknown identifier "nope"');
  });
});

describe('identifiers', () => {
  it('are exactly the own keys of the scope', () => {
    expect(run('$custom', { $custom: 5 })).toBe(5);
    expect(() => run('$trigger', { $custom: 5 })).toThrow('unknown identifier "$trigger"');
    expect(() => run('foo')).toThrow('unknown identifier "foo"');
  });

  it('$now comes from the injected clock unless the scope provides it', () => {
    expect(run('$now')).toBe('2024-05-06T07:08:09.010Z');
    expect(run('$now', { $now: 'fixed' })).toBe('fixed');
  });

  it('accepts scope objects without a prototype', () => {
    const body = Object.assign(Object.create(null) as Record<string, unknown>, { name: 'Null-proto' });
    const scope = Object.assign(Object.create(null) as Record<string, unknown>, { $trigger: { body } });
    expect(run('$trigger.body.name', scope)).toBe('Null-proto');
    expect(run('$trigger.body', scope)).toEqual({ name: 'Null-proto' });
  });
});

describe('method calls map onto the allow-list', () => {
  it.each([
    ['$trigger.body.name.toUpperCase()', 'ADA'],
    ['"ABC".toLowerCase()', 'abc'],
    ['"  x ".trim()', 'x'],
    ['$vars.csv.split(",")', ['x', 'y', 'z']],
    ['$trigger.body.tags.join("-")', 'a-b'],
    ['$trigger.body.tags.join()', 'a,b'],
    ['$trigger.body.tags.includes("b")', true],
    ['"hello".startsWith("he")', true],
    ['"hello".endsWith("lo")', true],
    ['"hello".slice(1, 3)', 'el'],
    ['"a.b.c".replaceAll(".", "/")', 'a/b/c'],
    ['$trigger.body.missing?.trim()', undefined],
    ['$trigger.body.missing?.trim().x', undefined],
  ])('%s', (expr, expected) => {
    expect(run(expr)).toEqual(expected);
  });

  it('calling a method on undefined without ?. names the path', () => {
    expect(() => run('$trigger.body.missing.trim()')).toThrow('cannot call a method on undefined ($trigger.body.missing)');
    expect(() => run('$trigger.body.missing.x.trim()')).toThrow(
      'cannot read property "x" of undefined ($trigger.body.missing)',
    );
  });
});
