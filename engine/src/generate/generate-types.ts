// What generation answers (POST /api/workflows/generate): a graph to review, never saved here.
import type { Graph } from '../graph/graph.schema.ts';

export interface NodeExplanation {
  nodeId: string;
  text: string;
}

/** A placed node that needs a connection the user picks: credentials are never guessed. */
export interface CredentialToPick {
  nodeId: string;
  provider: string;
}

export interface GenerateResult {
  graph: Graph;
  explanation: NodeExplanation[];
  source: 'ai' | 'planner';
  /** What the description asked for that no node could take, in plain words. */
  unplaced: string[];
  credentials: CredentialToPick[];
}

export const MAX_DESCRIPTION_LENGTH = 4_000;
