import { describe, expect, it } from 'vitest';
import { compileTemplate } from './compile-template.ts';
import { ExpressionSyntaxError } from './expression-error.ts';
import { run, thrown } from './test-helpers.ts';

describe('built-in functions', () => {
  it.each([
    ['length("abc")', 3],
    ['length($trigger.body.tags)', 2],
    ['length($trigger.body.nested)', 1],
    ['length($trigger.body.missing)', 0],
    ['lower("AbC")', 'abc'],
    ['upper("straße")', 'STRASSE'],
    ['trim("  x  ")', 'x'],
    ['split("a,b,,c", ",")', ['a', 'b', '', 'c']],
    ['split("abc", "")', ['a', 'b', 'c']],
    ['join([1, "x", null, { a: 1 }], "|")', '1|x||{"a":1}'],
    ['json({ a: [1, null] })', '{"a":[1,null]}'],
    ['json([1], 2)', '[\n  1\n]'],
    ['json($trigger.body.missing)', 'null'],
    ['parseJson("{\\"a\\": [1, 2]}").a[1]', 2],
    ['number("42.5")', 42.5],
    ['number(" 7 ")', 7],
    ['number("abc")', null],
    ['number(true)', 1],
    ['number($trigger.body.missing)', null],
    ['string(12)', '12'],
    ['string(null)', ''],
    ['string([1, "a"])', '[1,"a"]'],
    ['round(2.5)', 3],
    ['round(1.005, 2)', 1.01],
    ['round(1234.5, -2)', 1200],
    ['round("3.14159", 3)', 3.142],
    ['floor(-1.5)', -2],
    ['ceil(1.1)', 2],
    ['abs(-3)', 3],
    ['min(3, 1, 2)', 1],
    ['max($vars.list)', 3],
    ['min([])', null],
    ['sum([1, 2, "3"])', 6],
    ['sum($trigger.body.missing)', 0],
    ['keys({ b: 1, a: 2 })', ['b', 'a']],
    ['values({ b: 1, a: 2 })', [1, 2]],
    ['keys($trigger.body.missing)', []],
    ['contains("haystack", "st")', true],
    ['contains([1, 2, 3], 2)', true],
    ['contains([1, 2, 3], "2")', false],
    ['contains({ a: 1 }, "a")', true],
    ['contains({ a: 1 }, "toString")', false],
    ['contains(null, "x")', false],
    ['startsWith("hello", "he")', true],
    ['endsWith("hello", "he")', false],
    ['replace("a-b-c", "-", "+")', 'a+b+c'],
    ['replace("price: $", "$", "$&$&")', 'price: $&$&'],
    ['replace("abc", "", "x")', 'abc'],
    ['slice("hello", 1)', 'ello'],
    ['slice("hello", -3, -1)', 'll'],
    ['slice([1, 2, 3, 4], 1, 3)', [2, 3]],
    ['first($vars.list)', 3],
    ['last($vars.list)', 2],
    ['first([])', undefined],
    ['last("xyz")', 'z'],
    ['default($trigger.body.missing, "d")', 'd'],
    ['default($trigger.body.empty, "d")', 'd'],
    ['default($trigger.body.zero, "d")', 0],
    ['isEmpty("")', true],
    ['isEmpty([])', true],
    ['isEmpty({})', true],
    ['isEmpty(null)', true],
    ['isEmpty(0)', false],
    ['isEmpty([0])', false],
    ['typeOf([])', 'array'],
    ['typeOf($trigger.body.missing)', 'undefined'],
    ['now()', '2024-05-06T07:08:09.010Z'],
    ['date()', '2024-05-06T07:08:09.010Z'],
    ['date(0)', '1970-01-01T00:00:00.000Z'],
    ['date("2024-01-02T03:04:05Z")', '2024-01-02T03:04:05.000Z'],
    ['formatDate("2024-01-02T03:04:05.006Z", "YYYY/MM/DD HH:mm:ss.SSS")', '2024/01/02 03:04:05.006'],
    ['formatDate($run.startedAt)', '2024-05-06T07:00:00.000Z'],
    ['formatDate(now(), "DD.MM.YYYY")', '06.05.2024'],
  ])('%s', (expr, expected) => {
    expect(run(expr)).toEqual(expected);
  });

  it.each([
    ['lower([1])', 'lower() expects a string, got array'],
    ['round("x")', 'round() expects a number, got string'],
    ['round(1, 1.5)', 'round() expects an integer'],
    ['sum([1, {}])', 'sum() expects a number, got object'],
    ['length(5)', 'length() expects a string, array or object, got number'],
    ['parseJson("{bad")', 'parseJson() got invalid JSON'],
    ['parseJson(5)', 'parseJson() expects a string, got number'],
    ['date("not a date")', 'date() got an invalid date'],
    ['keys(5)', 'keys() expects an object, got number'],
    ['slice(5, 1)', 'slice() expects a string or array, got number'],
  ])('%s fails with a clear message', (expr, message) => {
    expect(() => run(expr)).toThrow(message);
  });

  it.each([
    ['lower()', 'lower() expects 1 argument, got 0'],
    ['round(1, 2, 3)', 'round() expects 1 to 2 arguments, got 3'],
    ['"x".trim(1)', 'trim() expects 0 arguments, got 1'],
    ['min()', 'min() expects at least 1 argument, got 0'],
    ['sort([2, 1])', 'unknown function "sort"'],
    ['"x".repeat(3)', 'unknown method "repeat"'],
  ])('%s is rejected at compile time', (expr, message) => {
    const error = thrown(() => compileTemplate(`{{ ${expr} }}`));
    expect(error).toBeInstanceOf(ExpressionSyntaxError);
    expect(error.message).toContain(message);
  });

  it('reads the clock on every evaluation (no cached time)', () => {
    const template = compileTemplate('{{ now() }}');
    const scope = {};
    const a = run('now()', scope, { now: () => new Date(1000) });
    const b = run('now()', scope, { now: () => new Date(2000) });
    expect([a, b]).toEqual(['1970-01-01T00:00:01.000Z', '1970-01-01T00:00:02.000Z']);
    expect(template.kind).toBe('single');
  });

  it('refuses a clock that returns garbage', () => {
    expect(() => run('now()', {}, { now: () => new Date(NaN) })).toThrow('the clock returned an invalid date');
  });
});
