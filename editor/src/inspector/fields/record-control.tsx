// Key/value pairs (a record such as headers or query): rows are kept locally, so a half-typed
// or empty key is not lost; the config receives the pairs with a key (a repeated key: last wins,
// and the row says so).
import { useEffect, useRef, useState } from 'react';
import { isObject } from '../field-kind.ts';
import { joinPath, useFormContext } from '../form-context.ts';
import type { JsonSchema } from '../types.ts';
import type { ControlProps } from './field-props.ts';

interface Row {
  id: number;
  key: string;
  value: string;
}

let nextRow = 0;

function toRows(value: unknown): Row[] {
  if (!isObject(value)) return [];
  return Object.entries(value).map(([key, v]) => ({ id: ++nextRow, key, value: typeof v === 'string' ? v : JSON.stringify(v) }));
}

// Values are text in the form; a record of numbers or booleans gets them back typed.
function typed(text: string, schema: JsonSchema): unknown {
  const t = schema['type'];
  const types = Array.isArray(t) ? t : [t];
  if (types.includes('string') || text.includes('{{')) return text;
  if ((types.includes('number') || types.includes('integer')) && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  if (types.includes('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

function toObject(rows: Row[], schema: JsonSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of rows) if (r.key !== '') out[r.key] = typed(r.value, schema);
  return out;
}

export function RecordControl(p: ControlProps<Record<string, unknown>> & { valueSchema: JsonSchema; keyPattern?: string }) {
  const { readOnly, issues } = useFormContext();
  const [rows, setRows] = useState<Row[]>(() => toRows(p.value));
  const last = useRef<string>(JSON.stringify(toObject(rows, p.valueSchema)));
  // Replaced from outside (undo): rebuild the rows; our own echo is recognised and ignored.
  useEffect(() => {
    const incoming = JSON.stringify(isObject(p.value) ? p.value : {});
    if (incoming !== last.current) {
      last.current = incoming;
      setRows(toRows(p.value));
    }
  }, [p.value]);

  const update = (next: Row[]) => {
    setRows(next);
    const obj = toObject(next, p.valueSchema);
    last.current = JSON.stringify(obj);
    p.onChange(Object.keys(obj).length === 0 && !p.required ? undefined : obj);
  };
  const keyRe = p.keyPattern ? safeRegExp(p.keyPattern) : null;

  return (
    <div className="kf-insp-record" role="group" aria-labelledby={p.labelId} aria-describedby={p.describedBy}>
      {rows.length === 0 ? <p className="kf-insp-field__muted">None yet.</p> : null}
      {rows.map((r, i) => {
        const duplicate = r.key !== '' && rows.findIndex((x) => x.key === r.key) !== i;
        const badKey = r.key !== '' && keyRe !== null && !keyRe.test(r.key);
        const valueIssues = r.key !== '' ? (issues.get(joinPath(p.path, r.key)) ?? []) : [];
        const problem = duplicate ? 'This key is repeated: the last one wins' : badKey ? 'Not a valid key' : valueIssues[0];
        const problemId = `${p.id}-row-${r.id}-problem`;
        return (
          <div key={r.id} className="kf-insp-record__row">
            <input
              className="kf-input"
              aria-label={`${p.title} ${i + 1} key`}
              value={r.key}
              readOnly={readOnly}
              aria-invalid={duplicate || badKey || undefined}
              aria-describedby={problem ? problemId : undefined}
              onChange={(e) => update(rows.map((x) => (x.id === r.id ? { ...x, key: e.target.value } : x)))}
            />
            <input
              className="kf-input"
              aria-label={`${p.title} ${i + 1} value`}
              value={r.value}
              readOnly={readOnly}
              aria-invalid={valueIssues.length > 0 || undefined}
              onChange={(e) => update(rows.map((x) => (x.id === r.id ? { ...x, value: e.target.value } : x)))}
            />
            {readOnly ? null : (
              <button type="button" className="kf-insp-icon-button kf-insp-icon-button--danger" aria-label={`Remove ${p.title} ${i + 1}`} onClick={() => update(rows.filter((x) => x.id !== r.id))}>
                ×
              </button>
            )}
            {problem ? (
              <p id={problemId} className="kf-insp-field__error kf-insp-record__problem">
                {problem}
              </p>
            ) : null}
          </div>
        );
      })}
      {readOnly ? null : (
        <button type="button" className="kf-button kf-button--small kf-insp-add" onClick={() => setRows([...rows, { id: ++nextRow, key: '', value: '' }])}>
          Add to {p.title}
        </button>
      )}
    </div>
  );
}

function safeRegExp(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return null;
  }
}
