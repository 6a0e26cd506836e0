// A cron field with its reading under it, in the time zone of the sibling `timezone` field.
import { useFormContext } from '../form-context.ts';
import { describeCron } from './describe-cron.ts';
import type { ControlProps } from './field-props.ts';

export function CronControl(p: ControlProps<string>) {
  const { readOnly } = useFormContext();
  const tz = p.siblings?.['timezone'];
  const timezone = typeof tz === 'string' && tz.trim() !== '' ? tz : 'UTC';
  const value = typeof p.value === 'string' ? p.value : '';
  const reading = describeCron(value, timezone);
  const readingId = `${p.id}-reading`;
  return (
    <>
      <input
        id={p.id}
        type="text"
        className="kf-input kf-insp-code"
        value={value}
        readOnly={readOnly}
        spellCheck={false}
        placeholder="0 9 * * 1-5"
        aria-invalid={p.invalid || (value !== '' && !reading.ok) || undefined}
        aria-describedby={[readingId, p.describedBy].filter(Boolean).join(' ')}
        aria-required={p.required || undefined}
        onChange={(e) => p.onChange(e.target.value === '' && !p.required ? undefined : e.target.value)}
      />
      <p id={readingId} className={reading.ok ? 'kf-insp-field__reading' : 'kf-insp-field__error'} aria-live="polite">
        {reading.ok ? reading.text : value === '' ? null : reading.problem}
      </p>
    </>
  );
}
