// The screen's keyboard shortcuts (listed in shortcuts.ts) and the system clipboard: copy,
// cut and paste use the clipboard events, so they work in every browser without a permission
// prompt, between workflows and between tabs.
import { useEffect } from 'react';
import { useReactFlow } from '@xyflow/react';
import { useEditorStore } from '../store/editor-store.ts';
import { parseFragment } from '../store/clipboard.ts';
import { isTyping } from './shortcuts.ts';
import { classifyText } from '../incoming/detect.ts';
import { useIncoming } from '../incoming/incoming-store.ts';
import { FIT_ALL } from './node-geometry.ts';

export function useEditorKeys(actions: { save(): void; autoLayout(): void }) {
  const { fitView, screenToFlowPosition } = useReactFlow();

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const s = useEditorStore.getState();
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      // Save works from anywhere, fields included.
      if (mod && key === 's') {
        e.preventDefault();
        actions.save();
        return;
      }
      if (isTyping(e.target)) return;
      if (mod && key === 'z') {
        e.preventDefault();
        if (e.shiftKey) s.redo();
        else s.undo();
      } else if (mod && key === 'y') {
        e.preventDefault();
        s.redo();
      } else if (mod && key === 'd') {
        e.preventDefault();
        s.duplicateSelected();
      } else if (mod && key === 'a') {
        e.preventDefault();
        s.selectAll();
      } else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) {
        e.preventDefault();
        s.deleteSelected();
      } else if (e.key === '?') {
        e.preventDefault();
        s.setHelpOpen(true);
      } else if (e.key === '/' && !mod) {
        e.preventDefault();
        document.getElementById('kf-palette-search')?.focus();
      } else if (e.shiftKey && !mod && key === 'l') {
        e.preventDefault();
        actions.autoLayout();
      } else if (e.shiftKey && !mod && key === 'f') {
        e.preventDefault();
        void fitView({ ...FIT_ALL, duration: 200 });
      } else if (e.shiftKey && !mod && key === 'n') {
        e.preventDefault();
        const pane = document.querySelector('.kf-canvas .react-flow')?.getBoundingClientRect();
        const at = pane ? screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 }) : { x: 0, y: 0 };
        s.addNote({ x: at.x - 110, y: at.y - 60 });
      } else if (e.key === 'Escape') {
        s.onNodesChange(s.nodes.filter((n) => n.selected).map((n) => ({ type: 'select', id: n.id, selected: false })));
        s.onEdgesChange(s.edges.filter((x) => x.selected).map((x) => ({ type: 'select', id: x.id, selected: false })));
      }
    }

    function onCopy(e: ClipboardEvent, cut: boolean) {
      if (isTyping(e.target) || hasTextSelection()) return;
      const s = useEditorStore.getState();
      const fragment = s.copy();
      if (!fragment || !e.clipboardData) return;
      e.preventDefault();
      e.clipboardData.setData('text/plain', JSON.stringify(fragment, null, 2));
      if (cut) s.deleteSelected();
      s.toast('info', `${cut ? 'Cut' : 'Copied'} ${fragment.nodes.length} node${fragment.nodes.length === 1 ? '' : 's'}.`);
    }

    function onPaste(e: ClipboardEvent) {
      if (isTyping(e.target)) return;
      const text = e.clipboardData?.getData('text/plain');
      if (!text) return;
      e.preventDefault();
      const s = useEditorStore.getState();
      if (s.readOnly) return;
      // An n8n workflow (export or n8n's canvas copy) goes to the import and its report.
      const found = classifyText(text);
      if (found.kind === 'n8n') {
        void useIncoming.getState().importN8n(found.workflow, 'the clipboard');
        return;
      }
      const parsed = parseFragment(text);
      if (!parsed.ok) {
        s.toast('error', `Nothing pasted: ${parsed.message}.`);
        return;
      }
      s.paste(parsed.graph);
    }

    const copy = (e: ClipboardEvent) => onCopy(e, false);
    const cut = (e: ClipboardEvent) => onCopy(e, true);
    window.addEventListener('keydown', onKey);
    document.addEventListener('copy', copy);
    document.addEventListener('cut', cut);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', copy);
      document.removeEventListener('cut', cut);
      document.removeEventListener('paste', onPaste);
    };
  }, [actions, fitView, screenToFlowPosition]);
}

function hasTextSelection(): boolean {
  const sel = window.getSelection();
  return sel !== null && !sel.isCollapsed && sel.toString().length > 0;
}
