// A plain text input (identifiers, zones, patterns): controlled, so typing keeps focus and caret.
import { useFormContext } from '../form-context.ts';
import type { ControlProps } from './field-props.ts';

export function TextControl(p: ControlProps<string> & { multiline?: boolean }) {
  const { readOnly } = useFormContext();
  const common = {
    id: p.id,
    value: typeof p.value === 'string' ? p.value : '',
    readOnly,
    'aria-invalid': p.invalid || undefined,
    'aria-describedby': p.describedBy,
    'aria-required': p.required || undefined,
    placeholder: typeof p.schema['default'] === 'string' ? p.schema['default'] : undefined,
    maxLength: typeof p.schema['maxLength'] === 'number' ? p.schema['maxLength'] : undefined,
    className: 'kf-input',
  };
  const emit = (text: string) => p.onChange(text === '' && !p.required ? undefined : text);
  return p.multiline ? (
    <textarea {...common} className="kf-input kf-insp-textarea" rows={4} onChange={(e) => emit(e.target.value)} />
  ) : (
    <input type="text" {...common} onChange={(e) => emit(e.target.value)} />
  );
}
