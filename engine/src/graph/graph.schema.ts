// The pinned graph document (DESIGN.md "The graph document"). React Flow names, strict
// objects: a field we do not know is an error, so nothing unvalidated is stored and run.
import { z } from 'zod';

export const MAX_NODES = 500;
export const MAX_EDGES = 2000;
export const MAX_NAME_LENGTH = 200;
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const TYPE_PATTERN = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;
// React Flow positions are floats; keep them finite and on a sane canvas.
const coordinate = z.number().finite().min(-1e7).max(1e7);

const idSchema = z.string().regex(ID_PATTERN, 'an id is 1-64 letters, digits, _ or -');
const handleSchema = z.string().regex(ID_PATTERN, 'a handle is 1-64 letters, digits, _ or -').nullable().optional();

export const graphNodeSchema = z.strictObject({
  id: idSchema,
  type: z.string().max(100).regex(TYPE_PATTERN, "a node type looks like 'integration.action'"),
  version: z.int().min(1).max(1_000_000),
  name: z.string().max(MAX_NAME_LENGTH).optional(),
  config: z.record(z.string(), z.unknown()),
  position: z.strictObject({ x: coordinate, y: coordinate }),
  disabled: z.boolean().optional(),
});

export const graphEdgeSchema = z.strictObject({
  id: idSchema,
  source: idSchema,
  target: idSchema,
  /** null or absent means the node's 'main' output. */
  sourceHandle: handleSchema,
  /** null or absent means the node's 'main' input. */
  targetHandle: handleSchema,
});

/** The whole document. validateGraph adds everything a schema cannot say (types, edges, cycles). */
export const graphSchema = z.strictObject({
  nodes: z.array(graphNodeSchema).max(MAX_NODES, `a workflow has at most ${MAX_NODES} nodes`),
  edges: z.array(graphEdgeSchema).max(MAX_EDGES, `a workflow has at most ${MAX_EDGES} edges`),
});

export type Graph = z.output<typeof graphSchema>;
export type GraphNode = z.output<typeof graphNodeSchema>;
export type GraphEdge = z.output<typeof graphEdgeSchema>;
