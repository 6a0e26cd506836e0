import type { Expr } from './ast.ts';
import { ExpressionSyntaxError } from './expression-error.ts';
import { LIMITS } from './limits.ts';
import { parseExpression } from './parse-expression.ts';
import { tokenize } from './tokenize.ts';

export type TemplatePart = { readonly text: string } | { readonly expr: Expr };

/**
 * A parsed template: immutable, independent of any scope, safe to cache and share.
 * `kind` is 'text' (no `{{`), 'single' (exactly one `{{ }}`, keeps the value's type) or
 * 'mixed' (results are stringified into the text).
 */
export type CompiledTemplate = {
  readonly source: string;
  readonly kind: 'text' | 'single' | 'mixed';
  readonly parts: readonly TemplatePart[];
};

// Only templates made here are evaluated, so a hand-built tree cannot smuggle in a node the
// parser would have refused.
const compiled = new WeakSet<CompiledTemplate>();

export function isCompiledTemplate(value: unknown): value is CompiledTemplate {
  return typeof value === 'object' && value !== null && compiled.has(value as CompiledTemplate);
}

/**
 * Parses `source` once for any number of evaluations.
 * @throws ExpressionSyntaxError with the offset of the problem in `source`.
 * @example compileTemplate('Hello {{ $trigger.body.name }}')
 */
export function compileTemplate(source: string): CompiledTemplate {
  if (typeof source !== 'string') throw new TypeError('compileTemplate expects a string');
  if (source.length > LIMITS.maxTemplateLength) {
    throw new ExpressionSyntaxError(`template is longer than ${LIMITS.maxTemplateLength} characters`, { position: 0 });
  }
  const parts: TemplatePart[] = [];
  let i = 0;
  for (;;) {
    const open = source.indexOf('{{', i);
    if (open < 0) break;
    if (open > i) parts.push(Object.freeze({ text: source.slice(i, open) }));
    const { tokens, end } = tokenize(source, open + 2);
    parts.push(Object.freeze({ expr: parseExpression(tokens) }));
    i = end;
  }
  if (i < source.length) parts.push(Object.freeze({ text: source.slice(i) }));
  const exprs = parts.filter((p) => 'expr' in p).length;
  const blankAround = parts.every((p) => 'expr' in p || p.text.trim() === '');
  const kind = exprs === 0 ? 'text' : exprs === 1 && blankAround ? 'single' : 'mixed';
  const template: CompiledTemplate = Object.freeze({ source, kind, parts: Object.freeze(parts) });
  compiled.add(template);
  return template;
}
