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
  /** The phrase tests, built once: a definition's own keywords weigh more than its title's words. */
  matchers: { test: (clause: string) => boolean; weight: number }[];
}

const STOP = new Set(['a', 'an', 'the', 'to', 'of', 'and', 'or', 'by', 'in', 'on', 'it', 'its', 'for', 'with', 'from', 'at', 'as']);

function titleWords(title: string): string[] {
  return title
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 2 && !STOP.has(w));
}

/**
 * A phrase as a whole word or words; a keyword also inflected ("alert" matches "alerts",
 * "notification" "notifications"); a one-character phrase ("#") anywhere.
 */
function phraseTest(p: string, inflected: boolean): (clause: string) => boolean {
  if (p.length === 1) return (clause) => clause.includes(p);
  const escaped = p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(^|[^a-z0-9])${escaped}${inflected && /[a-z]$/.test(p) ? '(s|es|d|ed|ing)?' : ''}($|[^a-z0-9])`);
  return (clause) => re.test(clause);
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
    const own = [...new Set((def.keywords ?? []).map((k) => k.toLowerCase()))];
    const fromTitle = titleWords(def.title).filter((w) => !own.includes(w));
    const matchers = [
      ...own.map((p) => ({ test: phraseTest(p, true), weight: p.includes(' ') ? 3 : 2 })),
      ...fromTitle.map((p) => ({ test: phraseTest(p, false), weight: 1 })),
    ];
    out.push({ def, type, kind: kindOfType(type), phrases: [...own, ...fromTitle], matchers });
  }
  return out;
}

/**
 * How well a clause names an entry: the weights of the phrases it contains (keyword phrases 3,
 * keywords 2, words of the title 1), so the node that lists the service's name and the clause's
 * verb among its own keywords beats one that only shares the service's name in its title.
 * `minWeight` 2 counts the definition's own keywords only (the planner's tie-break).
 */
export function scoreEntry(entry: CatalogEntry, clause: string, minWeight = 0): number {
  let score = 0;
  for (const m of entry.matchers) if (m.weight >= minWeight && m.test(clause)) score += m.weight;
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
