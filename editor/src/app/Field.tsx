// A labelled input with its error beneath, wired for screen readers (aria-invalid, -describedby).
import { useId, type InputHTMLAttributes } from 'react';

export function Field(props: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string | undefined; hint?: string }) {
  const { label, error, hint, ...input } = props;
  const id = useId();
  const describedBy = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="kf-field">
      <label htmlFor={id}>{label}</label>
      <input id={id} className="kf-input" aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {hint && !error && (
        <span id={`${id}-hint`} className="kf-hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="kf-field-error">
          {error}
        </span>
      )}
    </div>
  );
}

/** A message for a failed request that a person can act on. */
export function errorMessage(err: unknown): string {
  if (err && typeof err === 'object' && 'message' in err && typeof err.message === 'string') return err.message;
  return 'Something went wrong; please try again.';
}
