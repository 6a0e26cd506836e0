// Workflows of a given size for the editor bench: a manual trigger then transforms on a grid
// (columns of ROWS, laid out left to right like auto-layout would), a chain through every node
// plus forward "skip" edges (i → i+2) until the edge count is reached: no duplicate, no cycle,
// every config valid, so the canvas shows no badges and the server accepts it.
export const ROWS = 10;
const DX = 260;
const DY = 110;

export interface BenchGraph {
  nodes: { id: string; type: string; version: number; name?: string; config: Record<string, unknown>; position: { x: number; y: number } }[];
  edges: { id: string; source: string; target: string }[];
}

export const nodeId = (i: number) => (i === 0 ? 'start' : `n${i}`);

/** `nodes` nodes and `edges` edges (default: a plain chain, nodes − 1). */
export function benchGraph(nodes: number, edges = nodes - 1): BenchGraph {
  if (nodes < 2) throw new Error('benchGraph: at least 2 nodes');
  const maxEdges = nodes - 1 + Math.max(0, nodes - 2);
  if (edges < nodes - 1 || edges > maxEdges) throw new Error(`benchGraph: ${nodes} nodes take between ${nodes - 1} and ${maxEdges} edges, not ${edges}`);
  const list: BenchGraph['nodes'] = [];
  for (let i = 0; i < nodes; i++) {
    const position = { x: Math.floor(i / ROWS) * DX, y: (i % ROWS) * DY };
    if (i === 0) list.push({ id: 'start', type: 'core.manual', version: 1, name: 'Start', config: {}, position });
    else list.push({ id: nodeId(i), type: 'core.transform', version: 1, name: `Step ${i}`, config: { fields: [{ name: 'step', value: `${i}` }] }, position });
  }
  const out: BenchGraph['edges'] = [];
  for (let i = 1; i < nodes; i++) out.push({ id: `c${i}`, source: nodeId(i - 1), target: nodeId(i) });
  // Skip edges spread evenly over the graph rather than bunched at its start.
  const extra = edges - (nodes - 1);
  for (let k = 0; k < extra; k++) {
    const i = 1 + Math.floor((k * (nodes - 2)) / extra);
    out.push({ id: `s${i}`, source: nodeId(i - 1), target: nodeId(i + 1) });
  }
  return { nodes: list, edges: out };
}
