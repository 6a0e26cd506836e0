// The editable canvas. React Flow draws; every change goes to the store, which records edits
// for undo. Deletion is the store's (one step for nodes and their edges), so React Flow's own
// delete key is off. Only visible elements render, and nodes not drawn yet come with their size
// and handles declared (node-geometry.ts), so opening 1,000 nodes mounts only the ones on screen.
import { useCallback, useMemo, useState } from 'react';
import { Controls, MiniMap, ReactFlow, SelectionMode, type Connection, type IsValidConnection, type OnConnectEnd } from '@xyflow/react';
import { CanvasDots } from './CanvasDots.tsx';
import { useShallow } from 'zustand/react/shallow';
import { useEditorStore } from '../store/editor-store.ts';
import { connectionProblem } from '../store/connection-rules.ts';
import { descriptorKey, type DescriptorMap, type KfEdge, type KfNode, type KfWorkflowNode } from '../store/types.ts';
import { FIT_ALL, withDeclaredGeometry } from './node-geometry.ts';
import { nodeTypes, runEdgeTypes } from './node-types.ts';
import { OVERVIEW_ABOVE, OverviewMap } from './OverviewMap.tsx';

const minimapColor = (n: KfNode) => (n.type === 'note' ? '#f6e58d' : '#8aa4c8');
// Module constants: React Flow copies changed props into its store, and a new defaultEdgeOptions
// object on a render re-rendered every edge (each reads it from the store).
const PRO_OPTIONS = { hideAttribution: true };
const DEFAULT_EDGE_OPTIONS = { interactionWidth: 16 };

/** Above this many nodes the first view shows the start of the workflow, not all of it at a tiny zoom. */
export const FIT_ALL_LIMIT = 150;
/** The region around the trigger shown first in a big workflow, in flow units. */
const FIRST_VIEW = { left: 100, right: 1400, up: 300, down: 700 };

function firstView(nodes: readonly KfNode[], descriptors: DescriptorMap) {
  if (nodes.length <= FIT_ALL_LIMIT) return FIT_ALL;
  const flow = nodes.filter((n): n is KfWorkflowNode => n.type === 'workflow');
  const start = flow.find((n) => descriptors.get(descriptorKey(n.data.type, n.data.version))?.kind === 'trigger') ?? flow[0];
  if (!start) return FIT_ALL;
  const { x, y } = start.position;
  const near = flow.filter((n) => n.position.x >= x - FIRST_VIEW.left && n.position.x <= x + FIRST_VIEW.right && n.position.y >= y - FIRST_VIEW.up && n.position.y <= y + FIRST_VIEW.down);
  return { ...FIT_ALL, minZoom: 0.4, nodes: near.map((n) => ({ id: n.id })) };
}

export function FlowCanvas() {
  const { nodes: docNodes, edges, descriptors, onNodesChange, onEdgesChange, connect, readOnly } = useEditorStore(
    useShallow((s) => ({ nodes: s.nodes, edges: s.edges, descriptors: s.descriptors, onNodesChange: s.onNodesChange, onEdgesChange: s.onEdgesChange, connect: s.connect, readOnly: s.readOnly })),
  );

  // One decorated object per stored node, kept while the stored node is the same object: a drag
  // hands React Flow the same objects for every node but the moved one (it skips those).
  const declared = useMemo(() => new WeakMap<KfNode, KfNode>(), [descriptors]);
  const nodes = useMemo(() => docNodes.map((n) => {
    let out = declared.get(n);
    if (!out) declared.set(n, (out = withDeclaredGeometry(n, descriptors)));
    return out;
  }), [docNodes, declared, descriptors]);

  // Decided once, when the canvas opens.
  const [fitViewOptions] = useState(() => firstView(useEditorStore.getState().nodes, useEditorStore.getState().descriptors));
  const onConnect = useCallback((c: Connection) => void connect(c), [connect]);
  // While dragging, a refused handle does not light up; dropped on it, the reason is shown.
  const isValidConnection = useCallback<IsValidConnection<KfEdge>>((c) => {
    const s = useEditorStore.getState();
    return connectionProblem({ nodes: s.nodes, edges: s.edges }, c, s.descriptors) === undefined;
  }, []);
  const onConnectEnd = useCallback<OnConnectEnd>((_event, state) => {
    if (state.isValid !== false || !state.fromHandle || !state.toHandle) return;
    const [from, to] = state.fromHandle.type === 'source' ? [state.fromHandle, state.toHandle] : [state.toHandle, state.fromHandle];
    // connect() refuses it again and shows why.
    useEditorStore.getState().connect({ source: from.nodeId, sourceHandle: from.id ?? null, target: to.nodeId, targetHandle: to.id ?? null });
  }, []);

  return (
    <ReactFlow<KfNode, KfEdge>
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      // Edges that carried data in the run shown are drawn marked by the edge itself (RunEdge.tsx).
      edgeTypes={runEdgeTypes}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      onConnect={onConnect}
      onConnectEnd={onConnectEnd}
      isValidConnection={isValidConnection}
      connectionRadius={24}
      deleteKeyCode={null}
      selectionKeyCode="Shift"
      multiSelectionKeyCode={['Meta', 'Control']}
      selectionMode={SelectionMode.Partial}
      nodesDraggable={!readOnly}
      nodesConnectable={!readOnly}
      onlyRenderVisibleElements
      elevateNodesOnSelect={false}
      fitView
      fitViewOptions={fitViewOptions}
      minZoom={0.05}
      proOptions={PRO_OPTIONS}
      defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
      aria-label="Workflow canvas"
    >
      <CanvasDots gap={20} />
      {nodes.length > OVERVIEW_ABOVE ? <OverviewMap /> : <MiniMap<KfNode> pannable zoomable nodeColor={minimapColor} ariaLabel="Mini map" />}
      <Controls showInteractive={false} fitViewOptions={FIT_ALL} aria-label="Zoom controls" />
    </ReactFlow>
  );
}
