import type { BinaryOp, Expr } from './ast.ts';
import type { Token } from './tokenize.ts';
import { BUILTINS, METHOD_ALIASES } from './builtins.ts';
import { FORBIDDEN_KEYS } from './data.ts';
import { ExpressionSyntaxError } from './expression-error.ts';
import { LIMITS } from './limits.ts';

// JavaScript words that would start something this language does not have.
const RESERVED = new Set([
  'this', 'new', 'function', 'class', 'extends', 'super', 'with', 'import', 'export', 'typeof',
  'instanceof', 'in', 'of', 'delete', 'void', 'var', 'let', 'const', 'return', 'if', 'else', 'for',
  'while', 'do', 'switch', 'case', 'break', 'continue', 'throw', 'try', 'catch', 'finally', 'yield',
  'await', 'async', 'debugger', 'eval', 'arguments',
]);

const LITERAL_NAMES = new Map<string, boolean | null>([['true', true], ['false', false], ['null', null]]);

// Binding powers: higher binds tighter. `?:` is right-associative, the rest left.
const INFIX = new Map<string, number>([
  ['?', 2], ['??', 3], ['||', 4], ['&&', 5],
  ['==', 6], ['!=', 6], ['===', 6], ['!==', 6],
  ['<', 7], ['<=', 7], ['>', 7], ['>=', 7],
  ['+', 8], ['-', 8], ['*', 9], ['/', 9], ['%', 9],
  ['.', 11], ['?.', 11], ['[', 11], ['(', 11],
]);
const PREFIX_POWER = 10;

type Node<T extends Expr['type']> = Extract<Expr, { type: T }>;
type Fields<T extends Expr['type']> = Omit<Node<T>, 'type' | 'start' | 'end' | 'height'>;

/** Parses one expression's tokens (which end with the `}}` token) into a frozen tree. */
export function parseExpression(tokens: readonly Token[]): Expr {
  let pos = 0;
  let depth = 0;

  const peek = (): Token => tokens[pos] ?? tokens[tokens.length - 1]!;
  const fail = (reason: string, at: number = peek().start): never => {
    throw new ExpressionSyntaxError(reason, { position: at });
  };
  const describe = (t: Token): string => (t.type === 'end' ? 'end of expression' : `"${String(t.value)}"`);
  const isPunct = (value: string): boolean => {
    const t = peek();
    return t.type === 'punct' && t.value === value;
  };
  const expect = (value: string): Token => {
    if (!isPunct(value)) fail(`expected "${value}" but found ${describe(peek())}`);
    return tokens[pos++]!;
  };
  const node = <T extends Expr['type']>(type: T, start: number, end: number, fields: Fields<T>, kids: readonly Expr[]): Expr => {
    const height = 1 + kids.reduce((h, k) => Math.max(h, k.height), 0);
    if (height > LIMITS.maxDepth) fail(`expression is nested more than ${LIMITS.maxDepth} levels deep`, start);
    for (const value of Object.values(fields)) if (Array.isArray(value)) Object.freeze(value);
    return Object.freeze({ type, start, end, height, ...fields }) as unknown as Expr;
  };
  const checkKey = (key: string, at: number): string =>
    FORBIDDEN_KEYS.has(key) ? fail(`access to "${key}" is not allowed`, at) : key;

  function parse(minPower: number): Expr {
    if (++depth > LIMITS.maxDepth) fail(`expression is nested more than ${LIMITS.maxDepth} levels deep`);
    let left = parsePrefix();
    for (;;) {
      const t = peek();
      const power = t.type === 'punct' ? INFIX.get(t.value) : undefined;
      if (power === undefined || power < minPower) break;
      pos++;
      left = parseInfix(left, t, power);
    }
    depth--;
    return left;
  }

  function parseInfix(left: Expr, t: Token, power: number): Expr {
    const op = String(t.value);
    if (op === '.' || op === '?.') return parseMember(left, op === '?.');
    if (op === '[') return parseComputed(left, false);
    if (op === '(') return fail('only built-in functions and methods can be called', t.start);
    if (op === '?') {
      const consequent = parse(0);
      expect(':');
      const alternate = parse(power);
      return node('Conditional', left.start, alternate.end, { test: left, consequent, alternate }, [left, consequent, alternate]);
    }
    const right = parse(power + 1);
    if (op === '&&' || op === '||' || op === '??') {
      return node('Logical', left.start, right.end, { op, left, right }, [left, right]);
    }
    return node('Binary', left.start, right.end, { op: op as BinaryOp, left, right }, [left, right]);
  }

  function parseMember(object: Expr, optional: boolean): Expr {
    if (optional && isPunct('[')) {
      pos++;
      return parseComputed(object, true);
    }
    if (optional && isPunct('(')) fail('optional calls "?.()" are not supported');
    const t = peek();
    if (t.type !== 'name') return fail(`expected a property name but found ${describe(t)}`);
    pos++;
    const key = checkKey(t.value, t.start);
    if (isPunct('(')) {
      const name = METHOD_ALIASES.get(key);
      if (name === undefined) fail(`unknown method "${key}"`, t.start);
      return parseCall(name!, t.start, object, optional);
    }
    return node('Member', object.start, t.end, { object, key, property: null, optional }, [object]);
  }

  function parseComputed(object: Expr, optional: boolean): Expr {
    const property = parse(0);
    const close = expect(']');
    if (isPunct('(')) fail('only built-in functions and methods can be called');
    // A literal key is checked now, so `x["__proto__"]` never even compiles.
    if (property.type === 'Literal' && (typeof property.value === 'string' || typeof property.value === 'number')) {
      const key = checkKey(String(property.value), property.start);
      return node('Member', object.start, close.end, { object, key, property: null, optional }, [object]);
    }
    return node('Member', object.start, close.end, { object, key: null, property, optional }, [object, property]);
  }

  function parseCall(name: string, start: number, receiver: Expr | null, optional: boolean): Expr {
    expect('(');
    const args = parseList(')');
    const close = tokens[pos - 1]!;
    if (receiver !== null) args.unshift(receiver);
    const builtin = BUILTINS.get(name)!;
    const given = args.length - (receiver === null ? 0 : 1);
    const [min, max] = receiver === null ? [builtin.min, builtin.max] : [builtin.min - 1, builtin.max - 1];
    if (given < min || given > max) {
      const want = min === max ? `${min}` : max >= 100 ? `at least ${min}` : `${min} to ${max}`;
      const last = min === max || max >= 100 ? min : max;
      fail(`${name}() expects ${want} argument${last === 1 ? '' : 's'}, got ${given}`, start);
    }
    return node('Call', receiver?.start ?? start, close.end, { name, args, method: receiver !== null, optional }, args);
  }

  // Comma-separated expressions up to `close` (a trailing comma is fine).
  function parseList(close: string): Expr[] {
    const items: Expr[] = [];
    while (!isPunct(close)) {
      items.push(parse(0));
      if (!isPunct(close)) expect(',');
    }
    pos++;
    return items;
  }

  function parsePrefix(): Expr {
    const t = peek();
    pos++;
    switch (t.type) {
      case 'number':
      case 'string':
        return node('Literal', t.start, t.end, { value: t.value }, []);
      case 'end':
        return fail(pos === 1 ? 'empty expression' : 'unexpected end of expression', t.start);
      case 'name': {
        if (LITERAL_NAMES.has(t.value)) return node('Literal', t.start, t.end, { value: LITERAL_NAMES.get(t.value)! }, []);
        if (RESERVED.has(t.value)) return fail(`"${t.value}" is not supported`, t.start);
        if (isPunct('(')) {
          if (!BUILTINS.has(t.value)) fail(`unknown function "${t.value}"`, t.start);
          return parseCall(t.value, t.start, null, false);
        }
        return node('Identifier', t.start, t.end, { name: t.value }, []);
      }
      case 'punct':
        return parsePunctPrefix(t);
    }
  }

  function parsePunctPrefix(t: Token): Expr {
    switch (t.value) {
      case '(': {
        const inner = parse(0);
        expect(')');
        return inner;
      }
      case '!':
      case '-': {
        const arg = parse(PREFIX_POWER);
        return node('Unary', t.start, arg.end, { op: t.value === '!' ? '!' : '-', arg }, [arg]);
      }
      case '[': {
        const elements = parseList(']');
        return node('Array', t.start, tokens[pos - 1]!.end, { elements }, elements);
      }
      case '{':
        return parseObject(t.start);
      default:
        return fail(`unexpected ${describe(t)}`, t.start);
    }
  }

  function parseObject(start: number): Expr {
    const entries: { key: string; value: Expr }[] = [];
    while (!isPunct('}')) {
      const k = peek();
      if (k.type === 'punct' && k.value === '[') fail('computed keys are not supported');
      if (k.type !== 'name' && k.type !== 'string' && k.type !== 'number') {
        fail(`expected a property name but found ${describe(k)}`);
      }
      pos++;
      const key = checkKey(String(k.value), k.start);
      if (!isPunct(':')) fail(`expected ":" after key "${key}" (shorthand and methods are not supported)`);
      pos++;
      entries.push({ key, value: parse(0) });
      if (!isPunct('}')) expect(',');
    }
    const close = tokens[pos++]!;
    const values = entries.map((e) => e.value);
    return node('Object', start, close.end, { entries: Object.freeze(entries.map((e) => Object.freeze(e))) }, values);
  }

  const root = parse(0);
  if (peek().type !== 'end') fail(`unexpected ${describe(peek())}`);
  return root;
}
