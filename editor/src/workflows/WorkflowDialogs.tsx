// The list's dialogs: a name prompt (create, rename) and the delete confirmation.
import { useEffect, useState, type FormEvent } from 'react';
import { AlertDialog, Dialog } from 'radix-ui';
import { ApiError } from '../api/client.ts';
import { errorMessage, Field } from '../app/Field.tsx';
import type { WorkflowListItem } from './workflows.api.ts';

export function NameDialog(props: {
  open: boolean;
  title: string;
  description: string;
  submitLabel: string;
  initial: string;
  onOpenChange(open: boolean): void;
  onSubmit(name: string): Promise<void>;
}) {
  const [name, setName] = useState(props.initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (props.open) {
      setName(props.initial);
      setError(null);
      setBusy(false);
    }
  }, [props.open, props.initial]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setError('Must not be empty.');
    if (trimmed.length > 200) return setError('Must be at most 200 characters.');
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(trimmed);
    } catch (err) {
      setError(err instanceof ApiError ? (err.fieldMessage('body.name') ?? err.message) : errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <Dialog.Root open={props.open} onOpenChange={props.onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="kf-overlay" />
        <Dialog.Content className="kf-dialog">
          <Dialog.Title className="kf-dialog__title">{props.title}</Dialog.Title>
          <Dialog.Description className="kf-dialog__description">{props.description}</Dialog.Description>
          <form onSubmit={submit} noValidate>
            <Field label="Name" value={name} onChange={(e) => setName(e.target.value)} error={error ?? undefined} autoFocus maxLength={200} />
            <div className="kf-dialog__actions">
              <Dialog.Close asChild>
                <button type="button" className="kf-button">
                  Cancel
                </button>
              </Dialog.Close>
              <button type="submit" className="kf-button kf-button--primary" disabled={busy}>
                {props.submitLabel}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

export function ConfirmDeleteDialog(props: { workflow: WorkflowListItem | null; onOpenChange(open: boolean): void; onConfirm(wf: WorkflowListItem): Promise<void> }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const wf = props.workflow;
  useEffect(() => {
    setError(null);
    setBusy(false);
  }, [wf]);

  return (
    <AlertDialog.Root open={wf !== null} onOpenChange={props.onOpenChange}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="kf-overlay" />
        <AlertDialog.Content className="kf-dialog">
          <AlertDialog.Title className="kf-dialog__title">Delete workflow?</AlertDialog.Title>
          <AlertDialog.Description className="kf-dialog__description">
            “{wf?.name}” and all its versions and runs are deleted for good{wf?.active ? '; its triggers stop at once' : ''}.
          </AlertDialog.Description>
          {error && (
            <p className="kf-alert" role="alert">
              {error}
            </p>
          )}
          <div className="kf-dialog__actions">
            <AlertDialog.Cancel asChild>
              <button type="button" className="kf-button">
                Cancel
              </button>
            </AlertDialog.Cancel>
            <AlertDialog.Action asChild>
              <button
                type="button"
                className="kf-button kf-button--danger"
                disabled={busy}
                onClick={async (e) => {
                  e.preventDefault();
                  if (!wf) return;
                  setBusy(true);
                  try {
                    await props.onConfirm(wf);
                  } catch (err) {
                    setError(errorMessage(err));
                    setBusy(false);
                  }
                }}
              >
                Delete
              </button>
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
