// The minimap of a big workflow. React Flow's <MiniMap> keeps one store subscription and one SVG
// element per node, so each drag frame costs time in proportion to the graph (about 0.7 ms and
// 1,000 elements at 1,000 nodes: bench/README.md). This one subscribes once and draws every node
// into one path: a click or drag on it moves the view there, the wheel zooms.
import { memo, useMemo, useRef, type PointerEvent, type WheelEvent } from 'react';
import { Panel, useReactFlow, useStore, type ReactFlowState, type Rect } from '@xyflow/react';
import { shallow } from 'zustand/shallow';
import type { KfNode } from '../store/types.ts';
import { NODE_HEIGHT, NODE_WIDTH, NOTE_SIZE } from './node-geometry.ts';

/** Above this many nodes the canvas shows this map instead of React Flow's. */
export const OVERVIEW_ABOVE = 300;
const W = 200;
const H = 150;
const PAD = 4;

const sizeOf = (n: KfNode) => ({
  width: n.measured?.width ?? n.width ?? (n.type === 'note' ? NOTE_SIZE.width : NODE_WIDTH),
  height: n.measured?.height ?? n.height ?? (n.type === 'note' ? NOTE_SIZE.height : NODE_HEIGHT),
});

/** The bounding box of the nodes. */
export function nodesBox(nodes: readonly KfNode[]): Rect | undefined {
  if (nodes.length === 0) return undefined;
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const n of nodes) {
    const { width, height } = sizeOf(n);
    x1 = Math.min(x1, n.position.x);
    y1 = Math.min(y1, n.position.y);
    x2 = Math.max(x2, n.position.x + width);
    y2 = Math.max(y2, n.position.y + height);
  }
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

/** Every node of one kind as rectangles of one SVG path, in flow units. */
export function nodesPath(nodes: readonly KfNode[], kind: KfNode['type']): string {
  let d = '';
  for (const n of nodes) {
    if (n.type !== kind) continue;
    const { width, height } = sizeOf(n);
    d += `M${Math.round(n.position.x)} ${Math.round(n.position.y)}h${Math.round(width)}v${Math.round(height)}h${-Math.round(width)}z`;
  }
  return d;
}

const select = (s: ReactFlowState) => ({ nodes: s.nodes as KfNode[], tx: s.transform[0], ty: s.transform[1], zoom: s.transform[2], width: s.width, height: s.height });

function OverviewMapView() {
  const { nodes, tx, ty, zoom, width, height } = useStore(select, shallow);
  const { setViewport } = useReactFlow();
  const dragging = useRef(false);
  const paths = useMemo(() => ({ workflow: nodesPath(nodes, 'workflow'), note: nodesPath(nodes, 'note') }), [nodes]);
  const nodesBounds = useMemo(() => nodesBox(nodes), [nodes]);
  const view: Rect = { x: -tx / zoom, y: -ty / zoom, width: width / zoom, height: height / zoom };
  const b = nodesBounds ?? view;
  const x1 = Math.min(b.x, view.x);
  const y1 = Math.min(b.y, view.y);
  const box = { x: x1, y: y1, width: Math.max(b.x + b.width, view.x + view.width) - x1, height: Math.max(b.y + b.height, view.y + view.height) - y1 };
  // Flow units per map pixel, the map's box centred in the panel.
  const scale = Math.max(box.width / (W - 2 * PAD), box.height / (H - 2 * PAD), 1e-6);
  const vb = { x: box.x - (W * scale - box.width) / 2, y: box.y - (H * scale - box.height) / 2, width: W * scale, height: H * scale };

  const centreOn = (e: PointerEvent<SVGSVGElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const fx = vb.x + ((e.clientX - r.left) / r.width) * vb.width;
    const fy = vb.y + ((e.clientY - r.top) / r.height) * vb.height;
    void setViewport({ x: width / 2 - fx * zoom, y: height / 2 - fy * zoom, zoom });
  };
  const onWheel = (e: WheelEvent<SVGSVGElement>) => {
    const next = Math.min(2, Math.max(0.05, zoom * Math.pow(1.2, -Math.sign(e.deltaY))));
    // Zoom about the view's centre.
    const cx = view.x + view.width / 2;
    const cy = view.y + view.height / 2;
    void setViewport({ x: width / 2 - cx * next, y: height / 2 - cy * next, zoom: next });
  };

  return (
    <Panel position="bottom-right" className="react-flow__minimap kf-overview">
      <svg
        width={W}
        height={H}
        viewBox={`${vb.x} ${vb.y} ${vb.width} ${vb.height}`}
        role="img"
        aria-label="Mini map"
        onPointerDown={(e) => {
          dragging.current = true;
          e.currentTarget.setPointerCapture(e.pointerId);
          centreOn(e);
        }}
        onPointerMove={(e) => dragging.current && centreOn(e)}
        onPointerUp={() => void (dragging.current = false)}
        onPointerCancel={() => void (dragging.current = false)}
        onWheel={onWheel}
      >
        <path className="kf-overview-nodes" d={paths.workflow} />
        <path className="kf-overview-notes" d={paths.note} />
        <path className="kf-overview-mask" fillRule="evenodd" d={`M${vb.x} ${vb.y}h${vb.width}v${vb.height}h${-vb.width}z M${view.x} ${view.y}h${view.width}v${view.height}h${-view.width}z`} />
      </svg>
    </Panel>
  );
}

export const OverviewMap = memo(OverviewMapView);
