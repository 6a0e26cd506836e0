// A sticky note: plain text (a textarea, never HTML), resizable and movable; each finished
// edit, resize or move is one undoable step through the store.
import { memo, useEffect, useState } from 'react';
import { NodeResizer, type NodeProps } from '@xyflow/react';
import { useEditorStore } from '../store/editor-store.ts';
import type { KfNoteNode } from '../store/types.ts';

function NoteNodeView({ id, data, selected }: NodeProps<KfNoteNode>) {
  const editNote = useEditorStore((s) => s.editNote);
  const readOnly = useEditorStore((s) => s.readOnly);
  const [text, setText] = useState(data.text);
  // Undo and redo change the text from outside.
  useEffect(() => setText(data.text), [data.text]);

  return (
    <div className={`kf-note${selected ? ' is-selected' : ''}`} data-note-id={id}>
      <NodeResizer isVisible={selected && !readOnly} minWidth={120} minHeight={60} />
      <textarea
        className="kf-note-text nodrag nowheel"
        aria-label="Sticky note"
        value={text}
        maxLength={5000}
        readOnly={readOnly}
        placeholder="Write a note…"
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          if (text !== data.text) editNote(id, text);
        }}
      />
    </div>
  );
}

export const NoteNode = memo(NoteNodeView);
