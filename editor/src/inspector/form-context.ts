// What every field of one node's form shares: read-only mode, validation issues by path, the
// expression scope, and the node's descriptor (its credential provider, its category).
import { createContext, useContext } from 'react';
import type { ScopeInfo } from './expression/expression-scope.ts';
import type { ConfigIssue, NodeDescriptor } from './types.ts';

export interface FormContextValue {
  descriptor: NodeDescriptor;
  readOnly: boolean;
  /** Issues by dotted path ("fields.0.name"). */
  issues: Map<string, string[]>;
  scope: ScopeInfo;
}

export const FormContext = createContext<FormContextValue | null>(null);

export function useFormContext(): FormContextValue {
  const ctx = useContext(FormContext);
  if (!ctx) throw new Error('a config field must be rendered inside the Inspector form');
  return ctx;
}

export function issuesByPath(issues: readonly ConfigIssue[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const i of issues) map.set(i.path, [...(map.get(i.path) ?? []), i.message]);
  return map;
}

export function joinPath(parent: string, key: string | number): string {
  return parent === '' ? String(key) : `${parent}.${key}`;
}
