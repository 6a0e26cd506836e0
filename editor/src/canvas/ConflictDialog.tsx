// A save answered 409: someone (another tab, another person) saved first. The person chooses:
// reload theirs (an undoable edit, so Ctrl+Z still brings these edits back) or overwrite with
// mine (saved over the newest version). Nothing is lost either way.
import { AlertDialog } from 'radix-ui';

export function ConflictDialog(props: { open: boolean; busy: boolean; onReloadTheirs(): void; onOverwrite(): void; onCancel(): void }) {
  return (
    <AlertDialog.Root open={props.open} onOpenChange={(o) => !o && props.onCancel()}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="kf-overlay" />
        <AlertDialog.Content className="kf-dialog">
          <AlertDialog.Title className="kf-dialog__title">This workflow was saved elsewhere</AlertDialog.Title>
          <AlertDialog.Description className="kf-dialog__description">
            Someone saved a newer version since you opened it (perhaps you, in another tab). Your edits are still here. Load their version (you can undo back to yours with Ctrl+Z), or save yours over it.
          </AlertDialog.Description>
          <div className="kf-dialog__actions">
            <AlertDialog.Cancel className="kf-button" disabled={props.busy}>
              Decide later
            </AlertDialog.Cancel>
            <button type="button" className="kf-button" disabled={props.busy} onClick={props.onReloadTheirs}>
              Reload theirs
            </button>
            <button type="button" className="kf-button kf-button--primary" disabled={props.busy} onClick={props.onOverwrite}>
              Overwrite with mine
            </button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
