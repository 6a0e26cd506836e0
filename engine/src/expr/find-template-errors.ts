import { visitAst } from './ast.ts';
import { compileCached } from './template-cache.ts';
import type { ExpressionPath } from './expression-error.ts';
import { ExpressionError } from './expression-error.ts';
import { EXPRESSION_ROOTS } from './limits.ts';
import { walkTemplates } from './walk-templates.ts';

export type TemplateIssue = { path: ExpressionPath; message: string; position?: number };

/**
 * Syntax-checks every template inside a config value without evaluating anything, and flags
 * identifiers outside `roots` (default: the roots the engine provides).
 * @example findTemplateErrors({ url: '{{ $trigger.body.url' }) // [{ path: ['url'], … }]
 */
export function findTemplateErrors(
  value: unknown,
  opts?: { roots?: readonly string[] },
): TemplateIssue[] {
  const roots = new Set(opts?.roots ?? EXPRESSION_ROOTS);
  const issues: TemplateIssue[] = [];
  const issue = (path: ExpressionPath, message: string, position: number | undefined): void => {
    issues.push(position === undefined ? { path, message } : { path, message, position });
  };
  try {
    walkTemplates(value, (source, path) => {
      try {
        for (const part of compileCached(source).parts) {
          if (!('expr' in part)) continue;
          visitAst(part.expr, (node) => {
            if (node.type === 'Identifier' && !roots.has(node.name)) {
              issue(path, `unknown identifier "${node.name}"`, node.start);
            }
          });
        }
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        issue(path, error.reason, error.position);
      }
    });
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    issue(error.path, error.reason, undefined);
  }
  return issues;
}
