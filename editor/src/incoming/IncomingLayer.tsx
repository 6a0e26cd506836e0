// The editor's ways in for a graph from outside: the prompt card on a blank canvas, a .json
// file dropped on the canvas (an n8n workflow goes to the import API and its report, Keyflow
// nodes are pasted), and the shared reading of pasted or opened text.
import { useCallback, type DragEvent } from 'react';
import { useEditorStore } from '../store/editor-store.ts';
import { isBlankCanvas } from './accept.ts';
import { classifyText } from './detect.ts';
import { useIncoming } from './incoming-store.ts';
import { PromptBox } from './PromptBox.tsx';
import './incoming.css';

const MAX_FILE_BYTES = 8 * 1024 * 1024;

/**
 * Text from a paste, a dropped file or an opened file: an n8n workflow is imported (report, then
 * insert); Keyflow nodes go to `onKeyflow`; anything else is a toast naming `from`.
 */
export function takeIncomingText(text: string, from: string, onKeyflow: (graph: import('@keyflow/engine/graph').Graph) => void): void {
  const s = useEditorStore.getState();
  if (s.readOnly) return;
  const found = classifyText(text);
  if (found.kind === 'n8n') void useIncoming.getState().importN8n(found.workflow, from);
  else if (found.kind === 'keyflow') onKeyflow(found.graph);
  else s.toast('error', `Nothing imported from ${from}: ${found.message}.`);
}

/** Drop a .json file on the canvas. */
export function useFileDrop() {
  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);
  const onDrop = useCallback((e: DragEvent) => {
    const file = e.dataTransfer.files[0];
    if (!file) return;
    e.preventDefault();
    const s = useEditorStore.getState();
    if (file.size > MAX_FILE_BYTES) {
      s.toast('error', `${file.name} is larger than 8 MB: not a workflow.`);
      return;
    }
    void file.text().then((text) => takeIncomingText(text, file.name, (graph) => s.paste(graph, { x: 40, y: 40 }, 'import')));
  }, []);
  return { onDragOver, onDrop };
}

/** The prompt card over a canvas that holds nothing a person made yet. */
export function BlankCanvasPrompt() {
  const blank = useEditorStore((s) => !s.readOnly && isBlankCanvas({ nodes: s.nodes, edges: s.edges }, (type) => [...s.descriptors.values()].some((d) => d.type === type && d.kind === 'trigger')));
  if (!blank) return null;
  return (
    <div className="kf-blank-prompt">
      <PromptBox idSuffix="blank" />
      <p className="kf-muted">Or drag nodes from the palette, paste an n8n workflow (Ctrl+V), or drop its .json file here.</p>
    </div>
  );
}
