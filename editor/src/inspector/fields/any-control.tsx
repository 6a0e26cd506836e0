// A field whose schema allows any value (`{}`: a condition, a body, a switch value): text with
// expressions by default, or a JSON value (number, list, object) when the person switches.
import { useState } from 'react';
import { useFormContext } from '../form-context.ts';
import type { ControlProps } from './field-props.ts';
import { ExpressionControl } from './expression-control.tsx';
import { JsonControl } from './json-control.tsx';

export function AnyControl(p: ControlProps<unknown>) {
  const { readOnly } = useFormContext();
  const [mode, setMode] = useState<'text' | 'json'>(p.value === undefined || typeof p.value === 'string' ? 'text' : 'json');
  const toggle = () => {
    if (mode === 'text') {
      // "42" typed as text becomes the number 42 when it reads as JSON; other text stays a string.
      if (typeof p.value === 'string') {
        try {
          p.onChange(JSON.parse(p.value));
        } catch {
          /* keeps the string, shown as a JSON string */
        }
      }
      setMode('json');
    } else {
      if (p.value !== undefined && typeof p.value !== 'string') p.onChange(JSON.stringify(p.value));
      setMode('text');
    }
  };
  return (
    <div className="kf-insp-any">
      {mode === 'text' ? <ExpressionControl {...(p as ControlProps<string>)} value={typeof p.value === 'string' ? p.value : undefined} multiline={false} /> : <JsonControl {...p} />}
      {readOnly ? null : (
        <button type="button" className="kf-insp-link-button" onClick={toggle} aria-label={`${mode === 'text' ? 'Use a JSON value for' : 'Use text for'} ${p.title}`}>
          {mode === 'text' ? 'Use a JSON value' : 'Use text'}
        </button>
      )}
    </div>
  );
}
