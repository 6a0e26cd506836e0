// What every mapper shares: the context it reads, the outcome it gives, and small helpers.
import type { NodeRegistry } from '@keyflow/nodes/contract';
import { translateString, type ExpressionCounts, type ExpressionScope } from './expressions.ts';
import type { N8nNode } from './export.schema.ts';

export interface FoldedModel {
  /** The n8n model node's name. */
  name: string;
  provider?: string;
  model?: string;
}

export interface MapContext {
  node: N8nNode;
  params: Record<string, unknown>;
  scope: ExpressionScope;
  counts: ExpressionCounts;
  registry: NodeRegistry;
  minScheduleSeconds: number;
  timezone: string;
  /** A chat model wired into this node by an ai_languageModel connection. */
  model?: FoldedModel;
  /** Sub-nodes (tools, memory, parsers) wired into this node, by connection type. */
  subNodes: { name: string; connection: string }[];
}

export interface Mapped {
  type: string;
  config: Record<string, unknown>;
  /** Our output handle for n8n output `index`; undefined drops the connection (with a note). */
  handle: (index: number) => string | undefined;
  /** What does not carry over exactly (the node is still mapped). */
  notes: string[];
  /**
   * A second node right after this one that the n8n node's outputs leave from (a Text Classifier
   * is an AI call, then a switch on its answer); its config is built from the first node's id.
   */
  then?: { type: string; config: (firstId: string) => Record<string, unknown>; handle: (index: number) => string | undefined; /** Its name and id suffix (route by default). */ label?: string };
  /** The n8n node hands its input on unchanged: later nodes reading it read its input. */
  passThrough?: boolean;
  /** What n8n's node gave is the second node's output (`then`): later nodes reading it read that. */
  readsThen?: boolean;
  /** Where n8n's `.json` of this node sits in our output (`.fields` for a form), when not at its root. */
  itemPath?: string;
}

export type MapOutcome = Mapped | { failure: string };

export const main = (index: number): string | undefined => (index === 0 ? 'main' : undefined);

/** A parameter as our text: `=` expressions translated, literal text made inert. */
export function str(ctx: MapContext, value: unknown): string {
  return typeof value === 'string' ? translateString(value, ctx.scope, ctx.counts) : value === undefined || value === null ? '' : String(value);
}

export function requireType(ctx: MapContext, type: string): string | undefined {
  return ctx.registry.latest(type) ? undefined : `Keyflow has no ${type} node installed`;
}

export function mapped(type: string, config: Record<string, unknown>, notes: string[] = [], handle: Mapped['handle'] = main): Mapped {
  return { type, config, handle, notes };
}
