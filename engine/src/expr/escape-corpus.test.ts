// Every known way out of an expression sandbox, tried against ours. Each input must either
// be refused with an ExpressionError that names the reason, or evaluate to harmless data.
import { afterAll, describe, expect, it } from 'vitest';
import { ExpressionError } from './expression-error.ts';
import { renderValue } from './render-value.ts';
import { makeScope, render, thrown } from './test-helpers.ts';

const scopeWith = (): Record<string, unknown> => ({
  ...makeScope(),
  $vars: { key: '__proto__', ctor: 'constructor', s: 'x' },
});

const REFUSED: [string, RegExp][] = [
  // constructor chains (the classic node:vm escape)
  ["{{ this.constructor.constructor('return process')() }}", /"this" is not supported/],
  ['{{ $trigger.constructor }}', /access to "constructor" is not allowed/],
  ["{{ $trigger.constructor.constructor('return process')() }}", /access to "constructor" is not allowed/],
  ['{{ $trigger.body.name.constructor }}', /access to "constructor" is not allowed/],
  ['{{ "".constructor.constructor }}', /access to "constructor" is not allowed/],
  ['{{ [].constructor }}', /access to "constructor" is not allowed/],
  ['{{ {}.constructor }}', /access to "constructor" is not allowed/],
  ['{{ (1).constructor }}', /access to "constructor" is not allowed/],
  ["{{ $trigger['con'+'structor'] }}", /access to "constructor" is not allowed/],
  ['{{ $trigger[$vars.ctor] }}', /access to "constructor" is not allowed/],
  ['{{ $trigger["\\u0063onstructor"] }}', /access to "constructor" is not allowed/],
  ['{{ $trigger.body.prototype }}', /access to "prototype" is not allowed/],
  ['{{ Object.prototype }}', /access to "prototype" is not allowed/],
  // prototypes and legacy accessors
  ['{{ $trigger["__proto__"] }}', /access to "__proto__" is not allowed/],
  ['{{ $trigger.__proto__ }}', /access to "__proto__" is not allowed/],
  ['{{ $trigger?.["__proto__"] }}', /access to "__proto__" is not allowed/],
  ['{{ $trigger[$vars.key] }}', /access to "__proto__" is not allowed/],
  ["{{ $trigger['__pro' + 'to__'].polluted }}", /access to "__proto__" is not allowed/],
  ['{{ $trigger.body.__proto__.polluted }}', /access to "__proto__" is not allowed/],
  ['{{ $trigger.__defineGetter__ }}', /access to "__defineGetter__" is not allowed/],
  ['{{ $trigger.__defineSetter__ }}', /access to "__defineSetter__" is not allowed/],
  ['{{ $trigger.__lookupGetter__ }}', /access to "__lookupGetter__" is not allowed/],
  ['{{ $trigger.__lookupSetter__ }}', /access to "__lookupSetter__" is not allowed/],
  ['{{ { "__proto__": { "polluted": 1 } } }}', /access to "__proto__" is not allowed/],
  ['{{ { constructor: 1 } }}', /access to "constructor" is not allowed/],
  ['{{ $trigger[["constructor"]] }}', /must be a string or number, got array/],
  ['{{ $trigger.hasOwnProperty("x") }}', /unknown method "hasOwnProperty"/],
  ['{{ $trigger.valueOf() }}', /unknown method "valueOf"/],
  ['{{ toString() }}', /unknown function "toString"/],
  ['{{ __proto__ }}', /unknown identifier "__proto__"/],
  ['{{ constructor }}', /unknown identifier "constructor"/],
  // host globals
  ['{{ globalThis }}', /unknown identifier "globalThis"/],
  ['{{ globalThis.process }}', /unknown identifier "globalThis"/],
  ['{{ process.env }}', /unknown identifier "process"/],
  ['{{ process?.env }}', /unknown identifier "process"/],
  ["{{ process.mainModule.require('child_process') }}", /unknown method "require"/],
  ["{{ require('fs') }}", /unknown function "require"/],
  ["{{ import('fs') }}", /"import" is not supported/],
  ['{{ import.meta }}', /"import" is not supported/],
  ['{{ Error.prepareStackTrace }}', /unknown identifier "Error"/],
  ['{{ Error.prepareStackTrace = (e, s) => s }}', /assignment \("="\) is not supported/],
  ['{{ Reflect }}', /unknown identifier "Reflect"/],
  ["{{ eval('1') }}", /"eval" is not supported/],
  ['{{ arguments }}', /"arguments" is not supported/],
  // functions and classes
  ['{{ x => x }}', /arrow functions are not supported/],
  ['{{ (x) => x }}', /arrow functions are not supported/],
  ['{{ $trigger.body.tags.map(x => x) }}', /arrow functions are not supported/],
  ['{{ function(){} }}', /"function" is not supported/],
  ["{{ new Function('return process')() }}", /"new" is not supported/],
  ["{{ Function('return 1')() }}", /unknown function "Function"/],
  ['{{ class extends Function {} }}', /"class" is not supported/],
  ['{{ (1)() }}', /only built-in functions and methods can be called/],
  ['{{ now()() }}', /only built-in functions and methods can be called/],
  ['{{ $trigger["body"]() }}', /only built-in functions and methods can be called/],
  ['{{ trim?.("x") }}', /optional calls/],
  // spread, computed keys, with
  ['{{ [...$trigger.body.tags] }}', /spread \("\.\.\."\) is not supported/],
  ['{{ { ...$trigger } }}', /spread \("\.\.\."\) is not supported/],
  ['{{ lower(...$vars) }}', /spread \("\.\.\."\) is not supported/],
  ['{{ { [$vars.key]: 1 } }}', /computed keys are not supported/],
  ['{{ with ($trigger) { body } }}', /"with" is not supported/],
  // statements, assignment, loops
  ['{{ $vars.s = 1 }}', /assignment \("="\) is not supported/],
  ['{{ $vars.s += 1 }}', /assignment \("\+="\) is not supported/],
  ['{{ $vars.s ??= 1 }}', /assignment \("\?\?="\) is not supported/],
  ['{{ $vars.s++ }}', /increment and decrement/],
  ['{{ 1; process.exit() }}', /";" is not supported/],
  ['{{ while (true) {} }}', /"while" is not supported/],
  ['{{ for (;;) {} }}', /";" is not supported|"for" is not supported/],
  ['{{ `${process}` }}', /template literals \(backticks\) are not supported/],
  ['{{ typeof $trigger }}', /"typeof" is not supported/],
  ['{{ delete $trigger.body }}', /"delete" is not supported/],
  ['{{ "x".repeat(1e9) }}', /unknown method "repeat"/],
  ['{{ 1 | 2 }}', /bitwise operator "\|" is not supported/],
  ['{{ // comment }}', /unexpected "\/"/],
];

describe('escape corpus: refused', () => {
  it.each(REFUSED)('%s', (template, reason) => {
    const error = thrown(() => render(template, scopeWith()));
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error.message).toMatch(reason);
  });
});

describe('escape corpus: evaluates to harmless data', () => {
  it.each([
    ['{{ $trigger.toString }}', undefined],
    ['{{ $trigger.body.tags.map }}', undefined],
    ['{{ $trigger.body.name.caller }}', undefined],
    ['{{ $trigger.body.tags["length"] }}', 2],
    ['{{ "constructor" }}', 'constructor'],
    ['{{ $trigger["__proto_"] }}', undefined],
    ['{{ parseJson("{\\"__proto__\\": {\\"polluted\\": true}}").polluted }}', undefined],
  ])('%s', (template, expected) => {
    expect(render(template, scopeWith())).toStrictEqual(expected);
  });

  it('parseJson with a __proto__ key yields an own property, not a new prototype', () => {
    const out = render('{{ parseJson("{\\"__proto__\\": {\\"polluted\\": true}}") }}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  });
});

describe('host values in the scope are never run or entered', () => {
  it('does not call getters', () => {
    let called = false;
    const scope = {
      $vars: {
        get secret(): string {
          called = true;
          return 'x';
        },
      },
    };
    expect(() => render('{{ $vars.secret }}', scope)).toThrow('property "secret" of $vars is not plain data');
    expect(() => render('{{ $vars }}', scope)).toThrow('accessor property');
    expect(called).toBe(false);
  });

  it.each([
    ['{{ $vars.fn }}', 'property "fn" of $vars is not plain data'],
    ['{{ $vars.map.size }}', 'cannot read property "size" of a Map value ($vars.map)'],
    ['{{ $vars.date.getTime }}', 'cannot read property "getTime" of a Date value ($vars.date)'],
    ['{{ $vars.instance.x }}', 'cannot read property "x" of a Holder value ($vars.instance)'],
    ['{{ $vars.holder }}', 'a Map value is not plain data'],
  ])('%s', (template, reason) => {
    class Holder {
      x = 1;
      get [Symbol.toStringTag](): string {
        return 'Holder';
      }
    }
    const scope = {
      $vars: {
        fn: () => process.env,
        map: new Map([['size', 1]]),
        date: new Date(0),
        instance: new Holder(),
        holder: { inner: new Map() },
      },
    };
    expect(() => render(template, scope)).toThrow(reason);
  });
});

describe('renderValue gives every corpus entry the same treatment', () => {
  it.each(REFUSED)('%s', (template) => {
    expect(() => renderValue({ field: template }, scopeWith())).toThrow(ExpressionError);
  });
});

afterAll(() => {
  // Nothing above may have changed the host's built-ins.
  expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  expect(Object.keys(Object.prototype)).toEqual([]);
});
