// A canvas that shows a graph and lets nothing be edited: an old version, a version diff, or a
// generated or imported graph under review. Pan and zoom only. `cull` draws only the nodes on
// screen: for nodes that carry their declared geometry (withDeclaredGeometry), else they are never measured.
import { useEffect } from 'react';
import { Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { CanvasDots } from './CanvasDots.tsx';
import type { KfEdge, KfNode } from '../store/types.ts';
import { FIT_ALL } from './node-geometry.ts';
import { nodeTypes } from './node-types.ts';

/** A new graph in the same canvas (a retried generation, another version) is framed whole again. */
function RefitOnChange({ nodes }: { nodes: KfNode[] }) {
  const { fitView } = useReactFlow();
  useEffect(() => {
    void fitView(FIT_ALL);
  }, [nodes, fitView]);
  return null;
}

export function ReadOnlyCanvas({ nodes, edges, className, label, miniMap = false, cull = false }: { nodes: KfNode[]; edges: KfEdge[]; className?: string; label: string; miniMap?: boolean; cull?: boolean }) {
  return (
    <div className={`kf-canvas kf-canvas--readonly${className ? ` ${className}` : ''}`}>
      <ReactFlowProvider>
        <ReactFlow<KfNode, KfEdge>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          deleteKeyCode={null}
          onlyRenderVisibleElements={cull}
          fitView
          fitViewOptions={FIT_ALL}
          minZoom={0.05}
          proOptions={{ hideAttribution: true }}
          aria-label={label}
        >
          <CanvasDots gap={20} />
          {miniMap && <MiniMap<KfNode> pannable zoomable ariaLabel="Mini map" />}
          <Controls showInteractive={false} fitViewOptions={FIT_ALL} />
          <RefitOnChange nodes={nodes} />
        </ReactFlow>
      </ReactFlowProvider>
    </div>
  );
}
