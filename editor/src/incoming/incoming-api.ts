// The generation and n8n import endpoints (server/src/routes/generate.routes.ts,
// n8n-import.routes.ts): both answer a graph to review; nothing is saved.
import { api, ApiError } from '../api/client.ts';
import type { Graph } from '@keyflow/engine/graph';

export interface Generated {
  graph: Graph;
  explanation: { nodeId: string; text: string }[];
  source: 'ai' | 'planner';
  unplaced: string[];
  credentials: { nodeId: string; provider: string }[];
  ai: { calls: number; inputTokens: number; outputTokens: number; costMicros: number; failure?: string } | null;
}

export interface N8nReport {
  nodes: { name: string; n8nType: string; keyflowType: string | null; status: 'mapped' | 'placeholder'; reason?: string; nodeId?: string }[];
  credentialsToConnect: { node: string; nodeId?: string; n8nCredentialType: string }[];
  expressions: { translated: number; kept: number };
  stickyNotes?: { text: string }[];
  warnings: string[];
}

export interface Imported {
  name?: string;
  graph: Graph;
  report: N8nReport;
}

export const generateWorkflow = (description: string) => api<Generated>('POST', '/api/workflows/generate', { description });
export const importN8n = (workflow: unknown) => api<Imported>('POST', '/api/workflows/import/n8n', workflow);

/** An API failure as something a person can act on. */
export function actionableError(error: unknown, what: 'generate' | 'import'): string {
  if (!(error instanceof ApiError)) return `Could not reach Keyflow (${(error as Error).message}). Check your connection and try again.`;
  const field = error.fields[0];
  if (error.status === 422 || error.status === 400) {
    const where = field ? `${field.path.replace(/^body\.?/, '') || 'the document'}: ${field.message}` : error.message;
    return what === 'generate' ? `The description was refused — ${where}. Edit it and try again.` : `This n8n workflow cannot be imported — ${where}.`;
  }
  if (error.status === 413) return 'That is larger than the server accepts. Import a smaller workflow.';
  if (error.status === 429) return `Too many requests just now (${error.message}). Wait a moment and try again.`;
  if (error.status === 402) return `${error.message}. Raise the monthly budget under Costs, or try again next month.`;
  return `${what === 'generate' ? 'Generation' : 'Import'} failed: ${error.message}. Try again; if it keeps failing, the server log has the details.`;
}
