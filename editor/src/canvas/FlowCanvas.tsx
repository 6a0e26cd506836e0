// The editable canvas. React Flow draws; every change goes to the store, which records edits
// for undo. Deletion is the store's (one step for nodes and their edges), so React Flow's own
// delete key is off. Only visible elements render, so 1,000 nodes stay usable.
import { useCallback } from 'react';
import { Background, Controls, MiniMap, ReactFlow, SelectionMode, type Connection, type IsValidConnection, type OnConnectEnd } from '@xyflow/react';
import { useShallow } from 'zustand/react/shallow';
import { useEditorStore } from '../store/editor-store.ts';
import { connectionProblem } from '../store/connection-rules.ts';
import type { KfEdge, KfNode } from '../store/types.ts';
import { nodeTypes } from './node-types.ts';

const minimapColor = (n: KfNode) => (n.type === 'note' ? '#f6e58d' : '#8aa4c8');

export function FlowCanvas() {
  const { nodes, edges, onNodesChange, onEdgesChange, connect, readOnly } = useEditorStore(
    useShallow((s) => ({ nodes: s.nodes, edges: s.edges, onNodesChange: s.onNodesChange, onEdgesChange: s.onEdgesChange, connect: s.connect, readOnly: s.readOnly })),
  );

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
      fitViewOptions={{ maxZoom: 1.2 }}
      minZoom={0.05}
      proOptions={{ hideAttribution: true }}
      defaultEdgeOptions={{ interactionWidth: 16 }}
      aria-label="Workflow canvas"
    >
      <Background gap={20} />
      <MiniMap<KfNode> pannable zoomable nodeColor={minimapColor} ariaLabel="Mini map" />
      <Controls showInteractive={false} aria-label="Zoom controls" />
    </ReactFlow>
  );
}
