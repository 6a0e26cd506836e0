// The node catalog the generator plans from: the latest version of each registered type, with
// the words that name it (title, description, keywords, examples). The same list, trimmed,
// is what the AI path sends the model.
import { describeNode, type AnyNodeDefinition, type NodeRegistry } from '@keyflow/nodes/contract';
import { UNSUPPORTED_TYPES } from '@keyflow/nodes';
import { kindOfType, type Kind } from './kinds.ts';

export interface CatalogEntry {
  def: AnyNodeDefinition;
  type: string;
  kind: Kind | null;
  /** Lower-case keyword phrases, from the definition and its title. */
  phrases: string[];
}

const STOP = new Set(['a', 'an', 'the', 'to', 'of', 'and', 'or', 'by', 'in', 'on', 'it', 'its', 'for', 'with', 'from', 'at', 'as']);

function titleWords(title: string): string[] {
  return title
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 2 && !STOP.has(w));
}

export function buildCatalog(registry: NodeRegistry): CatalogEntry[] {
  const seen = new Set<string>();
  const out: CatalogEntry[] = [];
  for (const def of registry.list()) seen.add(def.type);
  // An n8n import's stand-ins for nodes it could not map are never planned.
  for (const type of UNSUPPORTED_TYPES) seen.delete(type);
  for (const type of seen) {
    const def = registry.latest(type);
    if (!def) continue;
    const phrases = new Set<string>([...(def.keywords ?? []), ...titleWords(def.title)]);
    out.push({ def, type, kind: kindOfType(type), phrases: [...phrases] });
  }
  return out;
}

/** How well a clause names an entry: one point per keyword phrase it contains, as a word. */
export function scoreEntry(entry: CatalogEntry, clause: string): number {
  let score = 0;
  for (const p of entry.phrases) {
    if (p.length === 1) {
      if (clause.includes(p)) score += 1;
      continue;
    }
    const re = new RegExp(`(^|[^a-z0-9])${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z0-9])`);
    if (re.test(clause)) score += p.includes(' ') ? 2 : 1;
  }
  return score;
}

/** The catalog as the model reads it: type, version, what it does, its config's JSON Schema. */
export function catalogForPrompt(catalog: readonly CatalogEntry[]): unknown[] {
  return catalog.map(({ def }) => {
    const d = describeNode(def);
    return {
      type: d.type,
      version: d.version,
      kind: d.kind,
      title: d.title,
      description: d.description,
      inputs: d.inputs,
      outputs: d.outputs,
      ...(d.keywords?.length ? { keywords: d.keywords } : {}),
      ...(d.examples?.length ? { examples: d.examples } : {}),
      needsCredential: d.credential !== null && d.credential.optional !== true,
      config: d.configSchema,
    };
  });
}
