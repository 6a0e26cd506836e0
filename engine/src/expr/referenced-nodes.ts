import { visitAst } from './ast.ts';
import { compileCached } from './template-cache.ts';
import { walkTemplates } from './walk-templates.ts';

/**
 * Node ids a config value reads through `$node["id"]` or `$node.id`, in first-seen order.
 * Best effort: computed ids and templates that do not parse are skipped.
 */
export function referencedNodes(value: unknown): string[] {
  const ids = new Set<string>();
  try {
    walkTemplates(value, (source) => {
      let template;
      try {
        template = compileCached(source);
      } catch {
        return;
      }
      for (const part of template.parts) {
        if (!('expr' in part)) continue;
        visitAst(part.expr, (node) => {
          if (node.type === 'Member' && node.key !== null && node.object.type === 'Identifier' && node.object.name === '$node') {
            ids.add(node.key);
          }
        });
      }
    });
  } catch {
    // Too deep to walk: report what was found so far.
  }
  return [...ids];
}
