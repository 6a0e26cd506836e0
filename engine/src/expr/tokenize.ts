import { ExpressionSyntaxError } from './expression-error.ts';
import { LIMITS } from './limits.ts';

export type Token =
  | { readonly type: 'number'; readonly value: number; readonly start: number; readonly end: number }
  | { readonly type: 'string' | 'name' | 'punct'; readonly value: string; readonly start: number; readonly end: number }
  | { readonly type: 'end'; readonly value: '}}'; readonly start: number; readonly end: number };

// Longest first. JavaScript syntax that we deliberately lack is recognised so that the error
// says what is unsupported instead of "unexpected character".
const PUNCTUATORS = [
  '===', '!==', '...', '??=', '||=', '&&=', '**=', '>>>', '<<=', '>>=',
  '?.', '??', '==', '!=', '<=', '>=', '&&', '||', '=>', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=',
  '++', '--', '**', '<<', '>>',
  '(', ')', '[', ']', '{', '}', ',', ':', '.', '?', '+', '-', '*', '/', '%', '!', '<', '>',
  '=', ';', '&', '|', '^', '~', '`', '#', '@', '\\',
];

const UNSUPPORTED = new Map<string, string>([
  ['=>', 'arrow functions are not supported'],
  ['...', 'spread ("...") is not supported'],
  [';', '";" is not supported: a {{ }} holds one expression'],
  ['`', 'template literals (backticks) are not supported'],
  ['++', 'increment and decrement are not supported'],
  ['--', 'increment and decrement are not supported'],
  ['**', '"**" is not supported'],
]);
for (const op of ['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '??=', '||=', '&&=', '**=', '<<=', '>>=']) {
  UNSUPPORTED.set(op, `assignment ("${op}") is not supported`);
}
for (const op of ['&', '|', '^', '~', '<<', '>>', '>>>']) UNSUPPORTED.set(op, `bitwise operator "${op}" is not supported`);
for (const ch of ['#', '@', '\\']) UNSUPPORTED.set(ch, `unexpected character "${ch}"`);

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isNameStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_$]/.test(c);
const isNamePart = (c: string | undefined): boolean => c !== undefined && /[\w$]/.test(c);

/**
 * Tokens of the expression that starts at `start` (just after `{{`), up to the `}}` that
 * closes it at brace depth 0, so `{{ {"a": {"b": 1}} }}` and `{{ "}}" }}` both work.
 * `end` is the offset just after that `}}`.
 */
export function tokenize(src: string, start: number): { tokens: Token[]; end: number } {
  const tokens: Token[] = [];
  const fail = (reason: string, at: number): never => {
    throw new ExpressionSyntaxError(reason, { position: at });
  };
  let depth = 0;
  let i = start;
  while (i < src.length) {
    if (i - start > LIMITS.maxExpressionLength) {
      fail(`expression is longer than ${LIMITS.maxExpressionLength} characters`, start);
    }
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '}' && depth === 0) {
      if (src[i + 1] !== '}') fail('unexpected "}"', i);
      tokens.push({ type: 'end', value: '}}', start: i, end: i + 2 });
      return { tokens, end: i + 2 };
    }
    if (isDigit(c) || (c === '.' && isDigit(src[i + 1]))) {
      const m = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i, i + 400));
      const text = m?.[0] ?? '';
      if (text === '' || isNamePart(src[i + text.length])) fail('invalid number', i);
      tokens.push({ type: 'number', value: Number(text), start: i, end: i + text.length });
      i += text.length;
      continue;
    }
    if (isNameStart(c)) {
      let j = i + 1;
      while (isNamePart(src[j])) j++;
      tokens.push({ type: 'name', value: src.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    if (c === '"' || c === "'") {
      const { value, end } = readString(src, i, fail);
      tokens.push({ type: 'string', value, start: i, end });
      i = end;
      continue;
    }
    let op = PUNCTUATORS.find((p) => src.startsWith(p, i));
    if (op === undefined) return fail(`unexpected character "${c}"`, i);
    // `a?.5:1` is a conditional, as in JavaScript.
    if (op === '?.' && isDigit(src[i + 2])) op = '?';
    const unsupported = UNSUPPORTED.get(op);
    if (unsupported !== undefined) fail(unsupported, i);
    if (op === '{') depth++;
    if (op === '}') depth--;
    tokens.push({ type: 'punct', value: op, start: i, end: i + op.length });
    i += op.length;
  }
  return fail('unterminated "{{": missing "}}"', start - 2);
}

function readString(
  src: string,
  open: number,
  fail: (reason: string, at: number) => never,
): { value: string; end: number } {
  const quote = src[open];
  let out = '';
  let i = open + 1;
  while (i < src.length) {
    const c = src[i];
    if (c === quote) return { value: out, end: i + 1 };
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = src[i + 1];
    if (e === undefined) break;
    if (e === 'u' || e === 'x') {
      const braced = e === 'u' && src[i + 2] === '{';
      const hex = braced
        ? /^\{([0-9a-fA-F]{1,6})\}/.exec(src.slice(i + 2, i + 11))
        : new RegExp(`^[0-9a-fA-F]{${e === 'u' ? 4 : 2}}`).exec(src.slice(i + 2, i + 6));
      const digits = braced ? hex?.[1] : hex?.[0];
      const code = digits === undefined ? NaN : parseInt(digits, 16);
      if (!(code <= 0x10ffff) || hex === null) fail('invalid escape sequence in string', i);
      out += String.fromCodePoint(code);
      i += 2 + (hex?.[0].length ?? 0);
      continue;
    }
    // Any other escaped character stands for itself, as in JavaScript (`\'`, `\\`, `\/`).
    out += SIMPLE_ESCAPES[e] ?? e;
    i += 2;
  }
  return fail('unterminated string', open);
}
