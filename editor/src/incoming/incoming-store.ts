// A graph on its way in — generated from a description, or imported from n8n — held for review
// beside the canvas (not part of the working graph) until it is accepted or discarded.
import { create } from 'zustand';
import { useEditorStore } from '../store/editor-store.ts';
import { acceptPlan } from './accept.ts';
import { actionableError, generateWorkflow, importN8n, type Generated, type Imported } from './incoming-api.ts';

export type Pending = { kind: 'generate'; prompt: string; result: Generated } | { kind: 'n8n'; from: string; result: Imported };

interface IncomingState {
  pending: Pending | undefined;
  busy: 'generate' | 'import' | undefined;
  /** The last failure, as an actionable sentence. */
  error: { what: 'generate' | 'import'; message: string } | undefined;
  /** The description last sent (kept for "edit and retry"). */
  prompt: string;
  describeOpen: boolean;
  setDescribeOpen(open: boolean): void;
  generate(prompt: string): Promise<void>;
  importN8n(workflow: unknown, from: string): Promise<void>;
  accept(): void;
  discard(): void;
  clearError(): void;
}

const isTriggerType = (type: string) => {
  const d = [...useEditorStore.getState().descriptors.values()].find((x) => x.type === type);
  return d?.kind === 'trigger';
};

export const useIncoming = create<IncomingState>()((set, get) => ({
  pending: undefined,
  busy: undefined,
  error: undefined,
  prompt: '',
  describeOpen: false,
  setDescribeOpen: (open) => set({ describeOpen: open }),
  clearError: () => set({ error: undefined }),

  async generate(prompt) {
    if (get().busy) return;
    set({ busy: 'generate', error: undefined, prompt });
    try {
      const result = await generateWorkflow(prompt);
      set({ pending: { kind: 'generate', prompt, result }, describeOpen: false });
    } catch (error) {
      set({ error: { what: 'generate', message: actionableError(error, 'generate') } });
    } finally {
      set({ busy: undefined });
    }
  },

  async importN8n(workflow, from) {
    if (get().busy) return;
    set({ busy: 'import', error: undefined });
    try {
      set({ pending: { kind: 'n8n', from, result: await importN8n(workflow) } });
    } catch (error) {
      const message = actionableError(error, 'import');
      set({ error: { what: 'import', message } });
      useEditorStore.getState().toast('error', `Nothing imported from ${from}: ${message}`);
    } finally {
      set({ busy: undefined });
    }
  },

  accept() {
    const pending = get().pending;
    if (!pending) return;
    const s = useEditorStore.getState();
    if (s.readOnly) return;
    const graph = pending.result.graph;
    const label = pending.kind === 'generate' ? 'generate' : 'import from n8n';
    const plan = acceptPlan({ nodes: s.nodes, edges: s.edges }, graph, isTriggerType);
    if (plan.mode === 'replace') s.replaceGraph(graph, label);
    else s.paste(graph, plan.offset, label);
    set({ pending: undefined });
    const n = graph.nodes.length;
    s.toast('info', `${plan.mode === 'replace' ? 'Placed' : 'Added'} ${n} node${n === 1 ? '' : 's'} on the canvas. Save to keep them; Ctrl+Z takes them out again.`);
  },

  discard: () => set({ pending: undefined }),
}));
