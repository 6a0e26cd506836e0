// The editing screen's toolbar: save (with the unsaved marker), undo and redo, auto-layout,
// sticky note, fit view, activate, export/import as JSON (file and clipboard), help.
import { useRef } from 'react';
import { DropdownMenu, Switch } from 'radix-ui';
import { useShallow } from 'zustand/react/shallow';
import { useEditorStore } from '../store/editor-store.ts';

export interface ToolbarProps {
  name: string;
  active: boolean;
  activeVersion: number | null;
  saving: boolean;
  layingOut: boolean;
  onSave(): void;
  onAutoLayout(): void;
  onFitView(): void;
  onAddNote(): void;
  /** Opens "Describe a workflow" (generation). */
  onDescribe(): void;
  onToggleActive(active: boolean): void;
  onExportFile(): void;
  onExportClipboard(): void;
  onImportFile(file: File): void;
  onImportClipboard(): void;
}

export function Toolbar(p: ToolbarProps) {
  const { dirty, canUndo, canRedo, undo, redo, readOnly, baseVersion, setHelpOpen } = useEditorStore(
    useShallow((s) => ({ dirty: s.dirty, canUndo: s.history.past.length > 0, canRedo: s.history.future.length > 0, undo: s.undo, redo: s.redo, readOnly: s.readOnly, baseVersion: s.baseVersion, setHelpOpen: s.setHelpOpen })),
  );
  const file = useRef<HTMLInputElement>(null);

  return (
    <div className="kf-toolbar" role="toolbar" aria-label="Workflow tools">
      <div className="kf-toolbar-title">
        <h1 title={p.name}>{p.name}</h1>
        <span className="kf-muted">v{baseVersion}</span>
        {dirty ? (
          <span className="kf-unsaved" role="status" title="There are edits not saved yet (a draft is kept in this browser)">
            ● Unsaved changes
          </span>
        ) : (
          <span className="kf-saved" role="status">
            Saved
          </span>
        )}
      </div>
      <div className="kf-toolbar-group">
        <button type="button" className="kf-button kf-button--primary" onClick={p.onSave} disabled={readOnly || p.saving} aria-keyshortcuts="Control+S">
          {p.saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="kf-button" onClick={undo} disabled={readOnly || !canUndo} aria-label="Undo" title="Undo (Ctrl+Z)" aria-keyshortcuts="Control+Z">
          ↶
        </button>
        <button type="button" className="kf-button" onClick={redo} disabled={readOnly || !canRedo} aria-label="Redo" title="Redo (Ctrl+Shift+Z)" aria-keyshortcuts="Control+Shift+Z">
          ↷
        </button>
      </div>
      <div className="kf-toolbar-group">
        <button type="button" className="kf-button" onClick={p.onAutoLayout} disabled={readOnly || p.layingOut} title="Auto-layout (Shift+L)">
          {p.layingOut ? 'Laying out…' : 'Auto-layout'}
        </button>
        <button type="button" className="kf-button" onClick={p.onAddNote} disabled={readOnly} title="Add a sticky note (Shift+N)">
          Note
        </button>
        <button type="button" className="kf-button" onClick={p.onFitView} title="Fit view (Shift+F)">
          Fit view
        </button>
        <button type="button" className="kf-button" onClick={p.onDescribe} disabled={readOnly} title="Generate nodes from a sentence">
          Describe a workflow
        </button>
      </div>
      <div className="kf-toolbar-group">
        <label className="kf-toolbar-switch">
          <Switch.Root className="kf-switch" checked={p.active} onCheckedChange={p.onToggleActive} aria-label="Active">
            <Switch.Thumb className="kf-switch__thumb" />
          </Switch.Root>
          <span>{p.active ? `Active (v${p.activeVersion ?? '?'})` : 'Inactive'}</span>
        </label>
        <DropdownMenu.Root>
          <DropdownMenu.Trigger asChild>
            <button type="button" className="kf-button">
              Export / import
            </button>
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content className="kf-menu" align="end" sideOffset={6}>
              <DropdownMenu.Item className="kf-menu__item" onSelect={p.onExportFile}>
                Download as JSON file
              </DropdownMenu.Item>
              <DropdownMenu.Item className="kf-menu__item" onSelect={p.onExportClipboard}>
                Copy as JSON
              </DropdownMenu.Item>
              <DropdownMenu.Separator className="kf-menu__separator" />
              <DropdownMenu.Item className="kf-menu__item" disabled={readOnly} onSelect={() => file.current?.click()}>
                Import from a JSON file…
              </DropdownMenu.Item>
              <DropdownMenu.Item className="kf-menu__item" disabled={readOnly} onSelect={p.onImportClipboard}>
                Import JSON from the clipboard
              </DropdownMenu.Item>
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
        <input
          ref={file}
          type="file"
          accept="application/json,.json"
          hidden
          aria-label="Import file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) p.onImportFile(f);
            e.target.value = '';
          }}
        />
        <button type="button" className="kf-button" onClick={() => setHelpOpen(true)} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">
          ?
        </button>
      </div>
    </div>
  );
}
