// The keyboard help: a Radix dialog listing every shortcut (opened with '?' or the Help button).
import { Dialog } from 'radix-ui';
import { useEditorStore } from '../store/editor-store.ts';
import { SHORTCUTS } from './shortcuts.ts';

export function HelpDialog() {
  const open = useEditorStore((s) => s.helpOpen);
  const setOpen = useEditorStore((s) => s.setHelpOpen);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Portal>
        <Dialog.Overlay className="kf-overlay" />
        <Dialog.Content className="kf-dialog kf-help">
          <Dialog.Title className="kf-dialog__title">Keyboard shortcuts</Dialog.Title>
          <Dialog.Description className="kf-dialog__description">On a Mac, use ⌘ where Ctrl is written.</Dialog.Description>
          <div className="kf-help-groups">
            {SHORTCUTS.map((g) => (
              <section key={g.group}>
                <h3>{g.group}</h3>
                <dl>
                  {g.items.map((s) => (
                    <div key={s.keys} className="kf-help-row">
                      <dt>
                        <kbd>{s.keys}</kbd>
                      </dt>
                      <dd>{s.what}</dd>
                    </div>
                  ))}
                </dl>
              </section>
            ))}
          </div>
          <div className="kf-dialog__actions">
            <Dialog.Close className="kf-button">Close</Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
