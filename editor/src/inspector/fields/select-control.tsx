// An enum (or oneOf consts) as a Radix select. An optional field offers "Default (…)" / "Not
// set", which removes the key, so the node's own default applies.
import { Select } from 'radix-ui';
import { useFormContext } from '../form-context.ts';
import type { ControlProps } from './field-props.ts';

// Radix reserves '' for "no value"; this stands for "remove the key".
const UNSET = '\u0000unset';

export interface SelectOption {
  value: string | number;
  label: string;
}

export function SelectControl(p: ControlProps<string | number> & { options: SelectOption[]; unsetLabel?: string }) {
  const { readOnly } = useFormContext();
  const def = p.schema['default'];
  const encoded = p.value === undefined ? (p.required ? '' : UNSET) : `${typeof p.value}:${String(p.value)}`;
  const unsetLabel = p.unsetLabel ?? (def !== undefined ? `Default (${String(def)})` : 'Not set');
  return (
    <Select.Root
      value={encoded}
      disabled={readOnly}
      onValueChange={(v) => {
        if (v === UNSET) return p.onChange(undefined);
        const option = p.options.find((o) => `${typeof o.value}:${String(o.value)}` === v);
        if (option) p.onChange(option.value);
      }}
    >
      <Select.Trigger id={p.id} className="kf-insp-select" aria-describedby={p.describedBy} aria-invalid={p.invalid || undefined} aria-required={p.required || undefined}>
        <Select.Value placeholder="Choose…" />
        <Select.Icon className="kf-insp-select__icon">▾</Select.Icon>
      </Select.Trigger>
      <Select.Portal>
        <Select.Content className="kf-insp-select__content" position="popper" sideOffset={4}>
          <Select.Viewport>
            {p.required ? null : (
              <Select.Item value={UNSET} className="kf-insp-select__item">
                <Select.ItemText>{unsetLabel}</Select.ItemText>
              </Select.Item>
            )}
            {p.options.map((o) => (
              <Select.Item key={`${typeof o.value}:${String(o.value)}`} value={`${typeof o.value}:${String(o.value)}`} className="kf-insp-select__item">
                <Select.ItemText>{o.label}</Select.ItemText>
              </Select.Item>
            ))}
          </Select.Viewport>
        </Select.Content>
      </Select.Portal>
    </Select.Root>
  );
}
