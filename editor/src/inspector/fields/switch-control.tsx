// A boolean as a Radix switch; unset shows the schema's default.
import { Switch } from 'radix-ui';
import { useFormContext } from '../form-context.ts';
import type { ControlProps } from './field-props.ts';

export function SwitchControl(p: ControlProps<boolean>) {
  const { readOnly } = useFormContext();
  const checked = typeof p.value === 'boolean' ? p.value : p.schema['default'] === true;
  return (
    <Switch.Root
      id={p.id}
      className="kf-switch"
      checked={checked}
      disabled={readOnly}
      aria-describedby={p.describedBy}
      aria-invalid={p.invalid || undefined}
      onCheckedChange={(on) => p.onChange(on)}
    >
      <Switch.Thumb className="kf-switch__thumb" />
    </Switch.Root>
  );
}
