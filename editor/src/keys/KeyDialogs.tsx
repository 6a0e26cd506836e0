// Dialogs of the keys page: rename, replace the key (and, for Azure, its connection details),
// and the delete / disconnect confirmation. Field errors are the API's own, beside the field.
import { useEffect, useState, type FormEvent } from 'react';
import { AlertDialog, Dialog } from 'radix-ui';
import { ApiError } from '../api/client.ts';
import { errorMessage, Field } from '../app/Field.tsx';
import { parseDeployments, type Credential } from './keys.api.ts';

export type FieldErrors = Record<string, string>;

/** The API's field issues ("body.secret") keyed by field name, and the rest as one message. */
export function splitErrors(err: unknown, fields: readonly string[]): { fields: FieldErrors; message: string | null } {
  if (!(err instanceof ApiError)) return { fields: {}, message: errorMessage(err) };
  const out: FieldErrors = {};
  const rest: string[] = [];
  for (const f of err.fields) {
    const path = f.path.replace(/^body\./, '');
    // A nested issue (deployments.prod-mini) is shown at its field, naming the part.
    const name = fields.includes(path) ? path : (path.split('.')[0] ?? path);
    const message = name === path ? f.message : `${path.slice(name.length + 1)}: ${f.message}`;
    if (fields.includes(name) && !out[name]) out[name] = message;
    else rest.push(f.path ? `${f.path.replace(/^body\./, '')}: ${f.message}` : f.message);
  }
  const message = Object.keys(out).length > 0 && rest.length === 0 ? null : rest.length > 0 ? rest.join('; ') : err.message;
  return { fields: out, message };
}

/** A dialog form's end: the error that names no field, Cancel, and the submit button. */
function FormFooter(props: { message: string | null; busy: boolean; submitLabel: string }) {
  return (
    <>
      {props.message ? (
        <p role="alert" className="kf-alert">
          {props.message}
        </p>
      ) : null}
      <div className="kf-dialog__actions">
        <Dialog.Close asChild>
          <button type="button" className="kf-button">
            Cancel
          </button>
        </Dialog.Close>
        <button type="submit" className="kf-button kf-button--primary" disabled={props.busy}>
          {props.submitLabel}
        </button>
      </div>
    </>
  );
}

function useResetOnOpen(open: boolean, reset: () => void) {
  useEffect(() => {
    if (open) reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);
}

export function RenameDialog(props: { credential: Credential | null; onOpenChange(open: boolean): void; onSubmit(label: string): Promise<void> }) {
  const [label, setLabel] = useState('');
  const [errors, setErrors] = useState<{ fields: FieldErrors; message: string | null }>({ fields: {}, message: null });
  const [busy, setBusy] = useState(false);
  const open = props.credential !== null;
  useResetOnOpen(open, () => {
    setLabel(props.credential?.label ?? '');
    setErrors({ fields: {}, message: null });
    setBusy(false);
  });
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      await props.onSubmit(label);
    } catch (err) {
      setErrors(splitErrors(err, ['label']));
      setBusy(false);
    }
  }
  return (
    <Dialog.Root open={open} onOpenChange={props.onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="kf-overlay" />
        <Dialog.Content className="kf-dialog">
          <Dialog.Title className="kf-dialog__title">Rename key</Dialog.Title>
          <Dialog.Description className="kf-dialog__description">The name is only for you; nodes refer to the key by its id.</Dialog.Description>
          <form onSubmit={submit} noValidate>
            <Field label="Name" value={label} onChange={(e) => setLabel(e.target.value)} error={errors.fields.label} autoFocus maxLength={100} />
            <FormFooter message={errors.message} busy={busy} submitLabel="Rename" />
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

export function ReplaceDialog(props: { credential: Credential | null; onOpenChange(open: boolean): void; onSubmit(body: { secret: string; endpoint?: string; apiVersion?: string }): Promise<void> }) {
  const c = props.credential;
  const azure = c?.provider === 'azure_openai';
  const [secret, setSecret] = useState('');
  const [endpoint, setEndpoint] = useState('');
  const [apiVersion, setApiVersion] = useState('');
  const [errors, setErrors] = useState<{ fields: FieldErrors; message: string | null }>({ fields: {}, message: null });
  const [busy, setBusy] = useState(false);
  useResetOnOpen(c !== null, () => {
    setSecret('');
    setEndpoint(c?.meta.endpoint ?? '');
    setApiVersion(c?.meta.apiVersion ?? '');
    setErrors({ fields: {}, message: null });
    setBusy(false);
  });
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!secret.trim()) return setErrors({ fields: { secret: 'paste the new key' }, message: null });
    setBusy(true);
    try {
      await props.onSubmit({ secret: secret.trim(), ...(azure ? { endpoint: endpoint.trim(), apiVersion: apiVersion.trim() } : {}) });
    } catch (err) {
      setErrors(splitErrors(err, ['secret', 'endpoint', 'apiVersion']));
      setBusy(false);
    }
  }
  return (
    <Dialog.Root open={c !== null} onOpenChange={props.onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="kf-overlay" />
        <Dialog.Content className="kf-dialog">
          <Dialog.Title className="kf-dialog__title">Replace key</Dialog.Title>
          <Dialog.Description className="kf-dialog__description">
            The new key takes the place of {c ? `${c.label} (${c.hint})` : 'this key'} in every workflow that uses it.
          </Dialog.Description>
          <form onSubmit={submit} noValidate autoComplete="off">
            <Field label="New key" type="password" value={secret} onChange={(e) => setSecret(e.target.value)} error={errors.fields.secret} autoFocus autoComplete="off" spellCheck={false} />
            {azure ? (
              <>
                <Field label="Endpoint" value={endpoint} onChange={(e) => setEndpoint(e.target.value)} error={errors.fields.endpoint} placeholder="https://<resource>.openai.azure.com" />
                <Field label="API version" value={apiVersion} onChange={(e) => setApiVersion(e.target.value)} error={errors.fields.apiVersion} placeholder="2024-10-21" />
              </>
            ) : null}
            <FormFooter message={errors.message} busy={busy} submitLabel="Replace" />
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** The deployments text of a map: one "deployment = model" a line. */
export const deploymentsText = (map: Record<string, string> | undefined): string =>
  Object.entries(map ?? {})
    .map(([name, model]) => `${name} = ${model}`)
    .join('\n');

/** Edits an Azure key's deployment → model map without re-entering the key; empty removes it. */
export function DeploymentsDialog(props: { credential: Credential | null; onOpenChange(open: boolean): void; onSubmit(deployments: Record<string, string> | null): Promise<void> }) {
  const c = props.credential;
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<{ fields: FieldErrors; message: string | null }>({ fields: {}, message: null });
  const [busy, setBusy] = useState(false);
  useResetOnOpen(c !== null, () => {
    setText(deploymentsText(c?.meta.deployments));
    setErrors({ fields: {}, message: null });
    setBusy(false);
  });
  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = parseDeployments(text);
    if ('error' in parsed) return setErrors({ fields: { deployments: parsed.error }, message: null });
    setBusy(true);
    try {
      await props.onSubmit(Object.keys(parsed.map).length > 0 ? parsed.map : null);
    } catch (err) {
      setErrors(splitErrors(err, ['deployments']));
      setBusy(false);
    }
  }
  return (
    <Dialog.Root open={c !== null} onOpenChange={props.onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="kf-overlay" />
        <Dialog.Content className="kf-dialog">
          <Dialog.Title className="kf-dialog__title">Azure deployments</Dialog.Title>
          <Dialog.Description className="kf-dialog__description">
            One “deployment = model” a line. Calls are priced by the model and sent only to these deployments; empty, each deployment must be named after its model.
          </Dialog.Description>
          <form onSubmit={submit} noValidate>
            <div className="kf-field">
              <label htmlFor="kf-deployments-edit">Deployments</label>
              <textarea id="kf-deployments-edit" className="kf-input" rows={4} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} autoFocus aria-invalid={errors.fields.deployments ? true : undefined} />
              {errors.fields.deployments ? <span className="kf-field-error">{errors.fields.deployments}</span> : null}
            </div>
            <FormFooter message={errors.message} busy={busy} submitLabel="Save deployments" />
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

export function ConfirmRemoveDialog(props: { target: { title: string; description: string; action: string } | null; onOpenChange(open: boolean): void; onConfirm(): Promise<void> }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useResetOnOpen(props.target !== null, () => {
    setError(null);
    setBusy(false);
  });
  return (
    <AlertDialog.Root open={props.target !== null} onOpenChange={props.onOpenChange}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="kf-overlay" />
        <AlertDialog.Content className="kf-dialog">
          <AlertDialog.Title className="kf-dialog__title">{props.target?.title}</AlertDialog.Title>
          <AlertDialog.Description className="kf-dialog__description">{props.target?.description}</AlertDialog.Description>
          {error ? (
            <p role="alert" className="kf-alert">
              {error}
            </p>
          ) : null}
          <div className="kf-dialog__actions">
            <AlertDialog.Cancel asChild>
              <button type="button" className="kf-button">
                Cancel
              </button>
            </AlertDialog.Cancel>
            <button
              type="button"
              className="kf-button kf-button--danger"
              disabled={busy}
              onClick={() => {
                setBusy(true);
                props.onConfirm().catch((err: unknown) => {
                  setError(errorMessage(err));
                  setBusy(false);
                });
              }}
            >
              {props.target?.action}
            </button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
