// Workflow versions are immutable, so a parsed graph and its index are cached by
// (workflow, version) for the life of the process.
import { indexGraph, isBackEdge, loopBody, type Graph, type GraphEdge, type GraphIndex } from '../graph/index.ts';
import { NotFound } from '../errors.ts';
import type { Db } from '../store/database.ts';

export interface PreparedGraph {
  graph: Graph;
  index: GraphIndex;
  /** loop node id → its body's node ids. */
  loopBodies: Map<string, Set<string>>;
  /** Every node inside some loop body (not part of the top-level walk). */
  inBody: Set<string>;
  /** node id → its incoming edges that are not back edges (the ones readiness and input look at), made once per version. */
  forwardIn: Map<string, readonly GraphEdge[]>;
}

export function prepareGraph(graph: Graph, loopTypes: (type: string, version: number) => boolean): PreparedGraph {
  const index = indexGraph(graph);
  const loopBodies = new Map<string, Set<string>>();
  const inBody = new Set<string>();
  for (const node of graph.nodes) {
    if (!loopTypes(node.type, node.version)) continue;
    const body = loopBody(index, node.id);
    loopBodies.set(node.id, body);
    for (const id of body) inBody.add(id);
  }
  const forwardIn = new Map<string, readonly GraphEdge[]>();
  for (const [id, edges] of index.incoming) forwardIn.set(id, edges.filter((e) => !isBackEdge(e)));
  return { graph, index, loopBodies, inBody, forwardIn };
}

export class GraphCache {
  readonly #entries = new Map<string, PreparedGraph>();
  readonly #max: number;
  readonly #isLoop: (type: string, version: number) => boolean;

  constructor(isLoop: (type: string, version: number) => boolean, max = 1000) {
    this.#isLoop = isLoop;
    this.#max = max;
  }

  async get(db: Db, ownerId: string, workflowId: string, version: number): Promise<PreparedGraph> {
    const key = `${workflowId}@${version}`;
    const hit = this.#entries.get(key);
    if (hit) return hit;
    const row = await db.selectFrom('workflow_versions').select('graph').where('owner_id', '=', ownerId).where('workflow_id', '=', workflowId).where('version', '=', version).executeTakeFirst();
    if (!row) throw new NotFound(`workflow version ${version}`);
    const prepared = prepareGraph(row.graph as Graph, this.#isLoop);
    if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, prepared);
    return prepared;
  }
}
