// Bounds on an n8n export, checked before anything else reads it: an export is a person's
// workflow, so these are generous for real ones and small enough that a hostile one costs little.
import { MAX_NODES } from '../../graph/index.ts';

export const IMPORT_LIMITS = Object.freeze({
  /** Raw text, when the export arrives as text. */
  maxTextBytes: 5 * 1024 * 1024,
  /** Nesting of objects and arrays. */
  maxDepth: 64,
  /** Objects, arrays and scalars in the whole document. */
  maxValues: 250_000,
  /** One string (a Code node's source, a long prompt). */
  maxStringLength: 1_000_000,
  /** Nodes, sticky notes included; the graph keeps at most MAX_NODES. */
  maxNodes: MAX_NODES,
  /** Connection targets over all nodes. */
  maxConnections: 5_000,
});

/** Keys that reach an object's prototype when copied naively; refused wherever they appear. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
