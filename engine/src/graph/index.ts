// The graph face of the engine: browser-safe (the editor imports it), no Node-only imports.
export { graphEdgeSchema, graphNodeSchema, graphNoteSchema, graphSchema, ID_PATTERN, MAX_EDGES, MAX_NAME_LENGTH, MAX_NODES, MAX_NODES_CEILING, MAX_NOTE_TEXT, MAX_NOTES } from './graph.schema.ts';
export type { Graph, GraphEdge, GraphNode, GraphNote } from './graph.schema.ts';
export { validateGraph } from './validate-graph.ts';
export { checkLoopNesting, loopDepths, MAX_LOOP_NESTING } from './check-loop-nesting.ts';
export type { GraphIssue, GraphValidation, ValidateGraphOptions } from './validate-graph.ts';
export { indexGraph, isBackEdge, loopBody, predecessors, successors, topologicalOrder } from './graph-index.ts';
export type { GraphIndex } from './graph-index.ts';
export { hasExpression } from './check-node-config.ts';
export { gapUnderFloor, scheduleFloorProblem } from './check-schedule-floor.ts';
