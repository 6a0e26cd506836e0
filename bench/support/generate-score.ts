// Scores a generated graph against a corpus row (shared/corpus/nl2graph-README.md): valid
// with the API's validator, its trigger class, and recall/precision of the required kinds.
// `must_include` is a hand-checked lower bound, so precision here is a floor: a kind the
// graph adds that the prompt implies but the row does not list counts against it.
import { generate } from '@keyflow/engine';
import { validateGraph, type Graph } from '@keyflow/engine/graph';


export interface CorpusRow {
  id: string;
  prompt: string;
  trigger: generate.TriggerClass;
  must_include: generate.Kind[];
  /** The n8n export the description was taken from (shared/corpus/n8n/…). */
  source?: string;
}

export interface RowScore {
  valid: boolean;
  trigger: generate.TriggerClass | null;
  triggerOk: boolean;
  required: number;
  found: number;
  placed: number;
  placedRight: number;
  missing: string[];
}

export function parseCorpus(text: string): CorpusRow[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      const row = JSON.parse(l) as Partial<CorpusRow>;
      if (typeof row.id !== 'string' || typeof row.prompt !== 'string' || typeof row.trigger !== 'string' || !Array.isArray(row.must_include)) throw new Error(`corpus line ${i + 1} is not { id, prompt, trigger, must_include }`);
      return row as CorpusRow;
    });
}

/** The kinds a graph holds (scored vocabulary only) and its trigger's class. */
export function graphKinds(graph: Graph, registry: generate.NodeRegistry): { kinds: Set<generate.Kind>; trigger: generate.TriggerClass | null } {
  const kinds = new Set<generate.Kind>();
  let trigger: generate.TriggerClass | null = null;
  for (const n of graph.nodes) {
    const k = generate.kindOfType(n.type);
    if (k) kinds.add(k);
    const def = registry.get(n.type, n.version);
    if (def && def.kind === 'trigger') trigger = generate.triggerClassOf(def);
  }
  return { kinds, trigger };
}

export function scoreRow(row: CorpusRow, graph: unknown, registry: generate.NodeRegistry, minScheduleSeconds?: number): RowScore {
  const v = validateGraph(graph, registry, minScheduleSeconds ? { minScheduleSeconds } : {});
  if (!v.ok) return { valid: false, trigger: null, triggerOk: false, required: row.must_include.length, found: 0, placed: 0, placedRight: 0, missing: [...row.must_include] };
  const { kinds, trigger } = graphKinds(v.graph, registry);
  const required = new Set(row.must_include);
  const missing = [...required].filter((k) => !kinds.has(k));
  return {
    valid: true,
    trigger,
    triggerOk: trigger === row.trigger,
    required: required.size,
    found: required.size - missing.length,
    placed: kinds.size,
    placedRight: [...kinds].filter((k) => required.has(k)).length,
    missing,
  };
}

export interface Totals {
  rows: number;
  valid: number;
  triggerOk: number;
  recall: number;
  precision: number;
}

export function totals(scores: RowScore[]): Totals {
  const sum = (f: (s: RowScore) => number) => scores.reduce((a, s) => a + f(s), 0);
  const required = sum((s) => s.required);
  const placed = sum((s) => s.placed);
  return {
    rows: scores.length,
    valid: sum((s) => Number(s.valid)),
    triggerOk: sum((s) => Number(s.triggerOk)),
    recall: required ? sum((s) => s.found) / required : 1,
    precision: placed ? sum((s) => s.placedRight) / placed : 1,
  };
}
