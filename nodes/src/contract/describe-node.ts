import { z } from 'zod';
import type { AnyNodeDefinition, CredentialRequirement, NodeCategory, NodeExample } from './define-node.ts';
import type { NodeKind } from './results.ts';

/** What the editor needs to draw a node and its form; JSON-serialisable. */
export interface NodeDescriptor {
  type: string;
  version: number;
  title: string;
  description: string;
  category: NodeCategory;
  kind: NodeKind;
  inputs: string[];
  /** 'dynamic' when the handles depend on config (core.switch: see its config schema). */
  outputs: string[] | 'dynamic';
  credential: CredentialRequirement | null;
  /** Words a description uses for this node; [] when the definition gives none (optional so hand-made descriptors compile). */
  keywords?: string[];
  examples?: NodeExample[];
  /** An app trigger's sample event (the editor's first test payload), when it declares one. */
  sampleEvent?: unknown;
  /** JSON Schema (draft 2020-12) of the config as the user writes it (defaults optional). */
  configSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown> | null;
}

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  // io 'input': the form edits what is stored, before defaults and transforms.
  // unrepresentable 'any': refinements and transforms degrade to {} instead of throwing.
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/** The editor's view of a node definition. */
export function describeNode(def: AnyNodeDefinition): NodeDescriptor {
  return {
    type: def.type,
    version: def.version,
    title: def.title,
    description: def.description,
    category: def.category,
    kind: def.kind,
    inputs: [...def.inputs],
    outputs: typeof def.outputs === 'function' ? 'dynamic' : [...def.outputs],
    credential: def.credential ? { ...def.credential } : null,
    keywords: [...(def.keywords ?? [])],
    examples: (def.examples ?? []).map((e) => ({ text: e.text, ...(e.config ? { config: { ...e.config } } : {}) })),
    ...(def.sampleEvent !== undefined ? { sampleEvent: structuredClone(def.sampleEvent) } : {}),
    configSchema: jsonSchema(def.config),
    outputSchema: def.output ? jsonSchema(def.output) : null,
  };
}
