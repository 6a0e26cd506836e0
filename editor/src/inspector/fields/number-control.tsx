// A number input that keeps what is being typed ("-", "1.") as a draft and reports a number
// only when the text reads as one; bounds from the schema become min/max and an error.
import { useEffect, useState } from 'react';
import { useFormContext } from '../form-context.ts';
import type { FieldKind } from '../field-kind.ts';
import type { ControlProps } from './field-props.ts';

type NumberKind = Extract<FieldKind, { kind: 'number' }>;

export function NumberControl(p: ControlProps<number> & { kind: NumberKind }) {
  const { readOnly } = useFormContext();
  const [draft, setDraft] = useState(typeof p.value === 'number' ? String(p.value) : '');
  // A new value from outside (undo) replaces the draft unless the draft already means it.
  useEffect(() => {
    setDraft((d) => (d.trim() !== '' && Number(d) === p.value ? d : typeof p.value === 'number' ? String(p.value) : ''));
  }, [p.value]);
  const def = p.schema['default'];
  const min = p.kind.min ?? p.kind.exclusiveMin;
  const max = p.kind.max ?? p.kind.exclusiveMax;
  const notNumber = draft.trim() !== '' && (!Number.isFinite(Number(draft)) || (p.kind.integer && !Number.isInteger(Number(draft))));
  return (
    <>
      <input
        id={p.id}
        type="number"
        inputMode={p.kind.integer ? 'numeric' : 'decimal'}
        className="kf-input kf-insp-number"
        value={draft}
        readOnly={readOnly}
        step={p.kind.integer ? 1 : 'any'}
        min={min}
        max={max}
        placeholder={typeof def === 'number' ? String(def) : undefined}
        aria-invalid={p.invalid || notNumber || undefined}
        aria-describedby={p.describedBy}
        aria-required={p.required || undefined}
        onChange={(e) => {
          const text = e.target.value;
          setDraft(text);
          if (text.trim() === '') p.onChange(undefined);
          else if (Number.isFinite(Number(text))) p.onChange(Number(text));
        }}
      />
      {notNumber ? <p className="kf-insp-field__error">{p.kind.integer ? 'Must be a whole number' : 'Must be a number'}</p> : null}
    </>
  );
}
