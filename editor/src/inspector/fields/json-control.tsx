// Any JSON value in a textarea: the draft is kept while it does not parse, with the parser's
// message under it; a value that parses is reported at once.
import { useEffect, useState } from 'react';
import { useFormContext } from '../form-context.ts';
import type { ControlProps } from './field-props.ts';

function show(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value, null, 2);
}

function sameJson(text: string, value: unknown): boolean {
  try {
    return JSON.stringify(JSON.parse(text)) === JSON.stringify(value);
  } catch {
    return false;
  }
}

export function JsonControl(p: ControlProps<unknown>) {
  const { readOnly } = useFormContext();
  const [draft, setDraft] = useState(() => show(p.value));
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setDraft((d) => ((d.trim() === '' && p.value === undefined) || sameJson(d, p.value) ? d : show(p.value)));
  }, [p.value]);
  const problemId = `${p.id}-json`;
  return (
    <>
      <textarea
        id={p.id}
        aria-labelledby={p.labelId}
        className="kf-input kf-insp-code kf-insp-textarea"
        rows={5}
        spellCheck={false}
        value={draft}
        readOnly={readOnly}
        aria-invalid={p.invalid || problem !== null || undefined}
        aria-describedby={[p.describedBy, problem ? problemId : undefined].filter(Boolean).join(' ') || undefined}
        onChange={(e) => {
          const text = e.target.value;
          setDraft(text);
          if (text.trim() === '') {
            setProblem(null);
            p.onChange(undefined);
            return;
          }
          try {
            const parsed: unknown = JSON.parse(text);
            setProblem(null);
            p.onChange(parsed);
          } catch (error) {
            setProblem((error as Error).message);
          }
        }}
      />
      {problem ? (
        <p id={problemId} className="kf-insp-field__error">
          Not valid JSON: {problem}
        </p>
      ) : null}
    </>
  );
}
