// The working canvas's edge: React Flow's bezier, marked when it carried data in the run shown.
// Each edge reads its own flag from the store, so a live run's batch of events re-renders only
// the edges that started carrying; the edges handed to React Flow never change while a run
// streams (a new array each batch made React Flow rebuild its edge lookups and redraw every
// carried edge on every frame).
import { memo } from 'react';
import { BaseEdge, getBezierPath, Position, type EdgeProps } from '@xyflow/react';
import { useEditorStore } from '../store/editor-store.ts';

function RunEdgeView({ id, sourceX, sourceY, targetX, targetY, sourcePosition = Position.Right, targetPosition = Position.Left, label, labelStyle, labelShowBg, labelBgStyle, labelBgPadding, labelBgBorderRadius, style, markerEnd, markerStart, interactionWidth }: EdgeProps) {
  const carried = useEditorStore((s) => s.runEdges.has(id));
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  return (
    <BaseEdge
      path={path}
      labelX={labelX}
      labelY={labelY}
      label={label}
      labelStyle={labelStyle}
      labelShowBg={labelShowBg}
      labelBgStyle={labelBgStyle}
      labelBgPadding={labelBgPadding}
      labelBgBorderRadius={labelBgBorderRadius}
      style={style}
      markerEnd={markerEnd}
      markerStart={markerStart}
      interactionWidth={interactionWidth}
      className={carried ? 'kf-edge-carried' : undefined}
    />
  );
}

export const RunEdge = memo(RunEdgeView);
