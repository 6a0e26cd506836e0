// The line under an expression field: its value against the last run, or why it fails.
import { useMemo } from 'react';
import { resolvePreview } from './resolve-preview.ts';
import type { ScopeInfo } from './expression-scope.ts';

export function ExpressionPreview(props: { id: string; value: string; scope: ScopeInfo }) {
  const { value, scope } = props;
  const result = useMemo(() => resolvePreview(value, scope), [value, scope]);
  if (result.state === 'none') return null;
  if (result.state === 'no-run') {
    return (
      <p id={props.id} className="kf-insp-field__preview kf-insp-field__preview--muted">
        Preview: run the workflow once to see this value.
      </p>
    );
  }
  if (result.state === 'error') {
    return (
      <p id={props.id} className="kf-insp-field__preview kf-insp-field__preview--error" role="status">
        Preview: {result.message}
      </p>
    );
  }
  return (
    <div id={props.id} className="kf-insp-field__preview" role="status" aria-label="Preview with the last run's data">
      <span className="kf-insp-field__preview-label">Preview</span>
      <pre>{result.text}</pre>
    </div>
  );
}
