// Account actions from the user menu: change password, revoke every API token, export my data,
// delete the account. Radix dialogs.
import { useState, type FormEvent, type ReactNode } from 'react';
import { AlertDialog, Dialog } from 'radix-ui';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api/client.ts';
import { errorMessage, Field } from '../app/Field.tsx';
import { meKey, signedOut, type Me } from './session.ts';

interface DialogProps {
  open: boolean;
  onOpenChange(open: boolean): void;
}

interface PasswordChanged extends Me {
  tokensRevoked: number;
  tokensKept: number;
}

export function ChangePasswordDialog({ open, onOpenChange }: DialogProps) {
  const qc = useQueryClient();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [revokeTokens, setRevokeTokens] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [done, setDone] = useState<PasswordChanged | null>(null);
  const [busy, setBusy] = useState(false);

  function reset(o: boolean) {
    if (!o) {
      setCurrent('');
      setNext('');
      setRevokeTokens(false);
      setError(null);
      setDone(null);
    }
    onOpenChange(o);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (next.length < 10) {
      setError(new ApiError(422, 'the new password is too short', 'invalid', [{ path: 'body.newPassword', message: 'Must be at least 10 characters.' }]));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await api<PasswordChanged>('POST', '/api/auth/password', { currentPassword: current, newPassword: next, revokeTokens });
      qc.setQueryData(meKey, { user: res.user, ...(res.csrfToken ? { csrfToken: res.csrfToken } : {}) });
      setDone(res);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? new ApiError(401, 'The current password is wrong.', 'unauthorized', [{ path: 'body.currentPassword', message: 'The current password is wrong.' }]) : (err as Error));
    } finally {
      setBusy(false);
    }
  }

  const fieldErr = (p: string) => (error instanceof ApiError ? error.fieldMessage(p) : undefined);
  const general = error && !(error instanceof ApiError && error.fields.length > 0) ? errorMessage(error) : null;
  return (
    <Dialog.Root open={open} onOpenChange={reset}>
      <Dialog.Portal>
        <Dialog.Overlay className="kf-overlay" />
        <Dialog.Content className="kf-dialog">
          <Dialog.Title className="kf-dialog__title">Change password</Dialog.Title>
          <Dialog.Description className="kf-dialog__description">Every other session is signed out; this one continues.</Dialog.Description>
          {done ? (
            <>
              <p role="status" className="kf-alert kf-alert--info">
                Password changed.{' '}
                {done.tokensRevoked > 0
                  ? `${done.tokensRevoked} API token${done.tokensRevoked === 1 ? ' was' : 's were'} revoked.`
                  : done.tokensKept > 0
                    ? `${done.tokensKept} API token${done.tokensKept === 1 ? ' still works' : 's still work'}; revoke them from the account menu if they may be known to someone else.`
                    : ''}
              </p>
              <div className="kf-dialog__actions">
                <Dialog.Close asChild>
                  <button type="button" className="kf-button kf-button--primary">
                    Done
                  </button>
                </Dialog.Close>
              </div>
            </>
          ) : (
            <form onSubmit={submit} noValidate>
              {general && (
                <p className="kf-alert" role="alert">
                  {general}
                </p>
              )}
              <Field label="Current password" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} error={fieldErr('body.currentPassword')} />
              <Field label="New password" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} hint="At least 10 characters." error={fieldErr('body.newPassword')} />
              <label className="kf-check">
                <input type="checkbox" checked={revokeTokens} onChange={(e) => setRevokeTokens(e.target.checked)} /> Also revoke every API token
              </label>
              <div className="kf-dialog__actions">
                <Dialog.Close asChild>
                  <button type="button" className="kf-button">
                    Cancel
                  </button>
                </Dialog.Close>
                <button type="submit" className="kf-button kf-button--primary" disabled={busy || !current || !next}>
                  {busy ? 'Changing…' : 'Change password'}
                </button>
              </div>
            </form>
          )}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

export function RevokeTokensDialog({ open, onOpenChange }: DialogProps) {
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function revoke(e: React.MouseEvent) {
    e.preventDefault(); // keep the dialog open to show the result
    setBusy(true);
    setError(null);
    try {
      const { revoked } = await api<{ revoked: number }>('DELETE', '/api/tokens');
      setResult(revoked === 0 ? 'There were no API tokens to revoke.' : `${revoked} API token${revoked === 1 ? '' : 's'} revoked.`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AlertDialog.Root
      open={open}
      onOpenChange={(o) => {
        if (!o) {
          setResult(null);
          setError(null);
        }
        onOpenChange(o);
      }}
    >
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="kf-overlay" />
        <AlertDialog.Content className="kf-dialog">
          <AlertDialog.Title className="kf-dialog__title">Revoke all API tokens?</AlertDialog.Title>
          <AlertDialog.Description className="kf-dialog__description">Scripts and integrations using your API tokens stop working at once. Your browser session is not affected.</AlertDialog.Description>
          {error && (
            <p className="kf-alert" role="alert">
              {error}
            </p>
          )}
          {result && (
            <p className="kf-alert kf-alert--info" role="status">
              {result}
            </p>
          )}
          <div className="kf-dialog__actions">
            <AlertDialog.Cancel asChild>
              <button type="button" className="kf-button">
                {result ? 'Close' : 'Cancel'}
              </button>
            </AlertDialog.Cancel>
            {!result && (
              <AlertDialog.Action asChild>
                <button type="button" className="kf-button kf-button--danger" disabled={busy} onClick={revoke}>
                  Revoke all tokens
                </button>
              </AlertDialog.Action>
            )}
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}

/** The frame of a confirmation: title, what it does, an error line, then the form or the buttons. */
function AlertShell(props: DialogProps & { title: string; description: string; error: string | null; children: ReactNode }) {
  return (
    <AlertDialog.Root open={props.open} onOpenChange={props.onOpenChange}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="kf-overlay" />
        <AlertDialog.Content className="kf-dialog">
          <AlertDialog.Title className="kf-dialog__title">{props.title}</AlertDialog.Title>
          <AlertDialog.Description className="kf-dialog__description">{props.description}</AlertDialog.Description>
          {props.error && (
            <p className="kf-alert" role="alert">
              {props.error}
            </p>
          )}
          {props.children}
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}

export function ExportDataDialog({ open, onOpenChange }: DialogProps) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function download(e: React.MouseEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const data = await api<{ exportedAt: string }>('GET', '/api/account/export');
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `keyflow-export-${data.exportedAt.slice(0, 10)}.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      onOpenChange(false);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AlertShell
      open={open}
      onOpenChange={(o) => (setError(null), onOpenChange(o))}
      title="Export my data"
      description="One JSON file with your workflows and their versions, your runs with their steps, your usage and settings. Keys and tokens appear only by name and masked hint, never their secret."
      error={error}
    >
      <div className="kf-dialog__actions">
        <AlertDialog.Cancel asChild>
          <button type="button" className="kf-button">
            Cancel
          </button>
        </AlertDialog.Cancel>
        <AlertDialog.Action asChild>
          <button type="button" className="kf-button kf-button--primary" disabled={busy} onClick={download}>
            {busy ? 'Preparing…' : 'Download'}
          </button>
        </AlertDialog.Action>
      </div>
    </AlertShell>
  );
}

export function DeleteAccountDialog({ open, onOpenChange }: DialogProps) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('DELETE', '/api/account', { password });
      signedOut();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? new ApiError(401, 'The password is wrong.', 'unauthorized', [{ path: 'body.password', message: 'The password is wrong.' }]) : (err as Error));
      setBusy(false);
    }
  }

  const general = error && !(error instanceof ApiError && error.fields.length > 0) ? errorMessage(error) : null;
  return (
    <AlertShell
      open={open}
      onOpenChange={(o) => {
        if (!o) {
          setPassword('');
          setError(null);
        }
        onOpenChange(o);
      }}
      title="Delete your account?"
      description="Everything goes at once and cannot be undone: workflows, runs, usage, keys, connections, webhooks, schedules, API tokens and sessions. Export your data first if you want a copy."
      error={general}
    >
      <form onSubmit={submit} noValidate>
        <Field label="Your password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} error={error instanceof ApiError ? error.fieldMessage('body.password') : undefined} />
        <div className="kf-dialog__actions">
          <AlertDialog.Cancel asChild>
            <button type="button" className="kf-button">
              Cancel
            </button>
          </AlertDialog.Cancel>
          <button type="submit" className="kf-button kf-button--danger" disabled={busy || !password}>
            {busy ? 'Deleting…' : 'Delete my account'}
          </button>
        </div>
      </form>
    </AlertShell>
  );
}
