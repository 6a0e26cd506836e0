// Keyflow's expression language: `{{ … }}` templates over a small grammar of our own, parsed
// once and evaluated by a tree walker that can only read plain data and call an allow-list of
// pure functions. See README.md beside this file for the language and its limits.
export { compileTemplate } from './compile-template.ts';
export type { CompiledTemplate } from './compile-template.ts';
export { evaluateTemplate } from './evaluate-template.ts';
export type { EvaluateOptions } from './evaluate-template.ts';
export { renderValue } from './render-value.ts';
export { findTemplateErrors } from './find-template-errors.ts';
export type { TemplateIssue } from './find-template-errors.ts';
export { referencedNodes } from './referenced-nodes.ts';
export { ExpressionError, ExpressionSyntaxError, formatPath } from './expression-error.ts';
export type { ExpressionPath } from './expression-error.ts';
export { EXPRESSION_ROOTS, LIMITS } from './limits.ts';
