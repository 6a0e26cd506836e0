// The Inspector's pinned interface (EDITOR-SHARED.md): what the canvas hands it and what it
// hands back. The descriptor is exactly what `GET /api/nodes` serves (nodes' describeNode).
import type { NodeDescriptor } from '@keyflow/nodes/contract';

export type { NodeDescriptor };

export interface ConfigIssue {
  /** Dotted path inside the config ("fields.0.name"); '' for the config itself. */
  path: string;
  message: string;
}

export interface UpstreamNode {
  id: string;
  name?: string;
  type: string;
  descriptor?: NodeDescriptor;
}

export interface LastRun {
  trigger?: unknown;
  outputs: Record<string, unknown>;
}

export interface InspectorProps {
  node: { id: string; type: string; name?: string; config: Record<string, unknown> };
  descriptor: NodeDescriptor;
  /** nodes upstream of this one (transitively), nearest first */
  upstream: UpstreamNode[];
  /** last run's data when known: trigger payload and outputs by node id */
  lastRun?: LastRun;
  readOnly?: boolean;
  /** every config edit: the canvas store records it as one undoable edit (debounce typing into one edit per field focus) */
  onChange(config: Record<string, unknown>): void;
  onRename(name: string): void;
}

/** A JSON Schema node as describeNode emits it (draft 2020-12, from zod). */
export type JsonSchema = Record<string, unknown>;
