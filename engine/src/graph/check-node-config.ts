// A node's stored config against its schema. Stored config still holds `{{ … }}`
// expressions, whose values are known only at run time: an issue that sits on (or under) a
// string holding an expression is deferred — the executor parses the resolved config again.
import { zodIssues, type AnyNodeDefinition, type ConfigIssue } from '@keyflow/nodes/contract';
import type { z } from 'zod';

export function hasExpression(value: unknown): value is string {
  return typeof value === 'string' && value.includes('{{');
}

/** Whether the path crosses a string expression in `config` (so its value is not known yet). */
function crossesExpression(config: unknown, path: readonly PropertyKey[]): boolean {
  let node = config;
  for (const key of path) {
    if (hasExpression(node)) return true;
    if (typeof node !== 'object' || node === null || typeof key === 'symbol' || !Object.hasOwn(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return hasExpression(node);
}

export interface ConfigCheck {
  issues: ConfigIssue[];
  /** The parsed config when it fits the schema (defaults applied). */
  parsed?: { value: unknown };
}

export function checkNodeConfig(def: AnyNodeDefinition, config: Record<string, unknown>): ConfigCheck {
  const result = def.config.safeParse(config);
  if (result.success) return { issues: [], parsed: { value: result.data } };
  const kept: z.ZodError['issues'] = result.error.issues.filter(
    // An unknown key is wrong whatever its value.
    (issue) => issue.code === 'unrecognized_keys' || !crossesExpression(config, issue.path),
  );
  return { issues: zodIssues(kept) };
}
