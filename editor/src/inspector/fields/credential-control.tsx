// The owner's credentials for the node's provider: one (`credentialId`, a select) or a subset
// of AI keys (`credentialIds`, checkboxes). Only labels and masks are shown, never secrets.
import { useFormContext } from '../form-context.ts';
import { useCredentials, useModelCatalog, type CredentialSummary } from '../inspector-queries.ts';
import type { ControlProps } from './field-props.ts';
import { SelectControl } from './select-control.tsx';

function label(c: CredentialSummary): string {
  return `${c.label} (${c.provider}, ${c.hint})${c.status === 'invalid' ? ' — failed its last test' : ''}`;
}

export function CredentialControl(p: ControlProps<unknown> & { multiple: boolean }) {
  const { descriptor, readOnly } = useFormContext();
  const credentials = useCredentials();
  const catalog = useModelCatalog(p.multiple);
  if (credentials.isPending || (p.multiple && catalog.isPending)) return <p className="kf-insp-field__muted">Loading credentials…</p>;
  if (credentials.isError) return <p className="kf-insp-field__error" role="alert">Could not load credentials: {credentials.error.message}</p>;
  const providers: string[] = p.multiple ? (catalog.data?.providers ?? []) : descriptor.credential ? [descriptor.credential.provider] : [];
  const mine = credentials.data.items.filter((c) => providers.includes(c.provider));
  if (mine.length === 0) {
    return (
      <p id={p.id} className="kf-insp-field__muted" tabIndex={-1}>
        No {providers.join(' / ') || 'matching'} credential yet: add one under Keys.
      </p>
    );
  }
  if (!p.multiple) {
    return <SelectControl {...(p as ControlProps<string>)} value={typeof p.value === 'string' ? p.value : undefined} options={mine.map((c) => ({ value: c.id, label: label(c) }))} unsetLabel={descriptor.credential?.optional ? 'None' : 'Not set'} />;
  }
  const chosen = new Set(Array.isArray(p.value) ? p.value.filter((x): x is string => typeof x === 'string') : []);
  return (
    <fieldset id={p.id} className="kf-insp-checks" aria-labelledby={p.labelId} aria-describedby={p.describedBy} tabIndex={-1}>
      {mine.map((c) => (
        <label key={c.id} className="kf-insp-checks__item">
          <input
            type="checkbox"
            checked={chosen.has(c.id)}
            disabled={readOnly}
            onChange={(e) => {
              const next = new Set(chosen);
              if (e.target.checked) next.add(c.id);
              else next.delete(c.id);
              // Keep the credentials' order, and remove the key when none is chosen (any key may serve).
              const ids = mine.map((x) => x.id).filter((id) => next.has(id));
              p.onChange(ids.length === 0 ? undefined : ids);
            }}
          />
          {label(c)}
        </label>
      ))}
    </fieldset>
  );
}
