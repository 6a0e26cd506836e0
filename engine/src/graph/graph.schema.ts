// The pinned graph document (DESIGN.md "The graph document"). React Flow names, strict
// objects: a field we do not know is an error, so nothing unvalidated is stored and run.
import { z } from 'zod';

/** The default node limit; the API passes its configured one (KEYFLOW_MAX_WORKFLOW_NODES) to validateGraph. */
export const MAX_NODES = 2000;
/** The highest node limit a configuration may set. */
export const MAX_NODES_CEILING = 10_000;
export const MAX_EDGES = 4000;
export const MAX_NAME_LENGTH = 200;
export const MAX_NOTES = 200;
export const MAX_NOTE_TEXT = 5000;
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

/** A sticky note on the canvas: text only (rendered as text, never HTML), not part of a run. */
export const graphNoteSchema = z.strictObject({
  id: idSchema,
  text: z.string().max(MAX_NOTE_TEXT, `a note holds at most ${MAX_NOTE_TEXT} characters`),
  position: z.strictObject({ x: coordinate, y: coordinate }),
  width: z.number().finite().min(40).max(4000).optional(),
  height: z.number().finite().min(30).max(4000).optional(),
});

/** The whole document. validateGraph adds everything a schema cannot say (types, edges, cycles). */
export const graphSchema = z.strictObject({
  nodes: z.array(graphNodeSchema).max(MAX_NODES, `a workflow has at most ${MAX_NODES} nodes`),
  edges: z.array(graphEdgeSchema).max(MAX_EDGES, `a workflow has at most ${MAX_EDGES} edges`),
  notes: z.array(graphNoteSchema).max(MAX_NOTES, `a workflow has at most ${MAX_NOTES} notes`).optional(),
});

export type Graph = z.output<typeof graphSchema>;
export type GraphNode = z.output<typeof graphNodeSchema>;
export type GraphEdge = z.output<typeof graphEdgeSchema>;
export type GraphNote = z.output<typeof graphNoteSchema>;
