import type { AnyNodeDefinition } from './define-node.ts';

/** Every runnable node, by type and version. Read-only once built. */
export interface NodeRegistry {
  get(type: string, version: number): AnyNodeDefinition | undefined;
  /** The highest registered version of a type: what the editor offers for new nodes. */
  latest(type: string): AnyNodeDefinition | undefined;
  /** All definitions, sorted by type then version. */
  list(): readonly AnyNodeDefinition[];
  /** Registered versions of a type, ascending (empty when the type is unknown). */
  versions(type: string): readonly number[];
}

/** Builds a registry; throws on a repeated type@version so a clash fails at startup. */
export function createNodeRegistry(defs: readonly AnyNodeDefinition[]): NodeRegistry {
  const byType = new Map<string, Map<number, AnyNodeDefinition>>();
  for (const def of defs) {
    const versions = byType.get(def.type) ?? new Map<number, AnyNodeDefinition>();
    if (versions.has(def.version)) throw new Error(`node ${def.type}@${def.version} is registered twice`);
    versions.set(def.version, def);
    byType.set(def.type, versions);
  }
  const sorted = [...defs].sort((a, b) => (a.type === b.type ? a.version - b.version : a.type < b.type ? -1 : 1));
  const latest = new Map<string, AnyNodeDefinition>();
  for (const def of sorted) latest.set(def.type, def);
  const list = Object.freeze(sorted);
  return {
    get: (type, version) => byType.get(type)?.get(version),
    latest: (type) => latest.get(type),
    list: () => list,
    versions: (type) => [...(byType.get(type)?.keys() ?? [])].sort((a, b) => a - b),
  };
}
