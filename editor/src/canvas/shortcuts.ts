// Every keyboard shortcut of the editing screen: the help panel lists this table, and
// useEditorKeys handles the ones that are not React Flow's own.
export interface Shortcut {
  keys: string;
  what: string;
}

export const SHORTCUTS: { group: string; items: Shortcut[] }[] = [
  {
    group: 'Editing',
    items: [
      { keys: 'Ctrl/⌘ + S', what: 'Save' },
      { keys: 'Ctrl/⌘ + Z', what: 'Undo' },
      { keys: 'Ctrl/⌘ + Shift + Z  or  Ctrl + Y', what: 'Redo' },
      { keys: 'Ctrl/⌘ + C', what: 'Copy the selection (as graph JSON)' },
      { keys: 'Ctrl/⌘ + X', what: 'Cut the selection' },
      { keys: 'Ctrl/⌘ + V', what: 'Paste nodes (also from another workflow or tab)' },
      { keys: 'Ctrl/⌘ + D', what: 'Duplicate the selection' },
      { keys: 'Delete  or  Backspace', what: 'Delete the selection' },
      { keys: 'Shift + N', what: 'Add a sticky note' },
      { keys: 'Shift + L', what: 'Auto-layout' },
    ],
  },
  {
    group: 'Selecting and moving',
    items: [
      { keys: 'Click', what: 'Select a node or connection' },
      { keys: 'Ctrl/⌘ + click', what: 'Add to the selection' },
      { keys: 'Shift + drag', what: 'Box-select' },
      { keys: 'Ctrl/⌘ + A', what: 'Select everything' },
      { keys: 'Escape', what: 'Clear the selection' },
      { keys: 'Drag a handle to a handle', what: 'Connect two nodes' },
    ],
  },
  {
    group: 'View',
    items: [
      { keys: 'Shift + F', what: 'Fit the workflow in view' },
      { keys: 'Ctrl/⌘ + scroll  or  pinch', what: 'Zoom' },
      { keys: 'Drag the background', what: 'Pan' },
      { keys: '?', what: 'Show this help' },
    ],
  },
  {
    group: 'Palette',
    items: [
      { keys: '/', what: 'Search nodes' },
      { keys: '↑ ↓', what: 'Move through the nodes' },
      { keys: 'Enter', what: 'Add the node beside the selection (or in the middle of the view)' },
    ],
  },
];

/** Whether a key event comes from a place where typing means text (fields, CodeMirror, notes). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'range'].includes(type);
  }
  return target.closest('[role="textbox"], .cm-editor, [role="dialog"] input') !== null;
}
