// Cycles as strongly connected components (Tarjan, iterative so a 500-node chain cannot
// overflow the stack). O(n + e).

export interface Arc {
  /** Index of the edge in the document, to point the issue at. */
  edge: number;
  target: number;
}

export interface Cycle {
  /** Node indices in the component, ascending. */
  nodes: number[];
  /** The lowest edge index inside the component. */
  edge: number;
}

/** Every cycle of the graph `arcs[node]`: components of 2+ nodes, and self-loops. */
export function findCycles(arcs: readonly (readonly Arc[])[]): Cycle[] {
  const n = arcs.length;
  const order = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;

  for (let root = 0; root < n; root++) {
    if (order[root] !== -1) continue;
    // Each frame: node and the position of the next arc to look at.
    const frames: [number, number][] = [[root, 0]];
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const [v, next] = frame;
      const arc = arcs[v]![next];
      if (arc) {
        frame[1] = next + 1;
        const w = arc.target;
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = true;
          frames.push([w, 0]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v]!, order[w]!);
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]]!, low[v]!);
      if (low[v] === order[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          component.push(w);
        } while (w !== v);
        components.push(component);
      }
    }
  }

  const cycles: Cycle[] = [];
  for (const component of components) {
    const members = new Set(component);
    let edge = Infinity;
    for (const v of component) {
      for (const arc of arcs[v]!) {
        // A single-node component is a cycle only through a self-loop.
        if (members.has(arc.target) && (component.length > 1 || arc.target === v)) edge = Math.min(edge, arc.edge);
      }
    }
    if (edge !== Infinity) cycles.push({ nodes: component.sort((a, b) => a - b), edge });
  }
  return cycles.sort((a, b) => a.edge - b.edge);
}
