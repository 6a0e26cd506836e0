// Auto-layout with elkjs (layered, left to right), loaded only when asked for: it is large and
// not needed to paint the canvas. Ports keep a node's outputs in their order, so a condition's
// 'true' branch stays above its 'false' branch. Sticky notes keep their place.
import type { ELK, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import { MAIN_HANDLE } from '@keyflow/nodes/contract';
import { inputsOf, outputsOf } from '../store/handles.ts';
import { descriptorKey, type DescriptorMap, type Doc, type KfWorkflowNode } from '../store/types.ts';

type ElkConstructor = new () => ELK;

/** elk.bundled is CommonJS: bundlers and Node hand its constructor over as default, or as default.default. */
async function loadElk(): Promise<ElkConstructor> {
  const mod = (await import('elkjs/lib/elk.bundled.js')) as unknown as { default: ElkConstructor | { default: ElkConstructor } };
  return typeof mod.default === 'function' ? mod.default : mod.default.default;
}

export const DEFAULT_NODE_SIZE = { width: 200, height: 64 };

export async function layoutPositions(doc: Doc, descriptors: DescriptorMap): Promise<Map<string, { x: number; y: number }>> {
  const elk = new (await loadElk())();
  const nodes = doc.nodes.filter((n): n is KfWorkflowNode => n.type === 'workflow');
  const ids = new Set(nodes.map((n) => n.id));
  const children: ElkNode[] = nodes.map((n) => {
    const d = descriptors.get(descriptorKey(n.data.type, n.data.version));
    const outs = outputsOf(d, n.data);
    const ins = inputsOf(d);
    return {
      id: n.id,
      width: n.measured?.width ?? DEFAULT_NODE_SIZE.width,
      height: n.measured?.height ?? DEFAULT_NODE_SIZE.height,
      layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' },
      ports: [
        ...ins.map((h, i) => ({ id: `${n.id}\0in\0${h}`, layoutOptions: { 'elk.port.side': 'WEST', 'elk.port.index': String(ins.length - i) } })),
        ...outs.map((h, i) => ({ id: `${n.id}\0out\0${h}`, layoutOptions: { 'elk.port.side': 'EAST', 'elk.port.index': String(i) } })),
      ],
    };
  });
  const ports = new Set(children.flatMap((c) => (c.ports ?? []).map((p) => p.id)));
  const edges: ElkExtendedEdge[] = doc.edges
    .filter((e) => ids.has(e.source) && ids.has(e.target))
    .map((e) => {
      const s = `${e.source}\0out\0${e.sourceHandle ?? MAIN_HANDLE}`;
      const t = `${e.target}\0in\0${e.targetHandle ?? MAIN_HANDLE}`;
      return { id: e.id, sources: [ports.has(s) ? s : e.source], targets: [ports.has(t) ? t : e.target] };
    });
  const result = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '90',
      'elk.spacing.nodeNode': '40',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
      'elk.separateConnectedComponents': 'true',
    },
    children,
    edges,
  });
  const positions = new Map<string, { x: number; y: number }>();
  for (const c of result.children ?? []) positions.set(c.id, { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) });
  return positions;
}
