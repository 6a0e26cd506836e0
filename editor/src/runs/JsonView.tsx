// A JSON value as a collapsible tree or, for an array of objects, a table; with copy and
// "download full value". Built for step outputs of any size (5 MB and more): nothing is
// stringified or rendered until asked for. Containers open one level at a time and show their
// entries a page at a time, long strings are cut with a "show all", and the table pages rows,
// so the DOM holds a few hundred elements whatever the value's size.
import { useMemo, useState, type ReactNode } from 'react';
import { useEditorStore } from '../store/editor-store.ts';

export const PAGE = 100;
export const TABLE_PAGE = 50;
const STRING_CUT = 500;
const CELL_CUT = 120;
const MAX_COLUMNS = 20;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isContainer(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

function entriesOf(v: object): [string, unknown][] | { length: number; at: (i: number) => [string, unknown] } {
  if (Array.isArray(v)) return { length: v.length, at: (i) => [String(i), v[i]] };
  const keys = Object.keys(v);
  return { length: keys.length, at: (i) => [keys[i]!, (v as Record<string, unknown>)[keys[i]!]] };
}

function Primitive({ value }: { value: unknown }) {
  const [full, setFull] = useState(false);
  if (typeof value === 'string') {
    const cut = !full && value.length > STRING_CUT;
    return (
      <span className="kf-json-str">
        "{cut ? value.slice(0, STRING_CUT) : value}"
        {cut && (
          <button type="button" className="kf-button kf-button--small" onClick={() => setFull(true)}>
            show all {value.length.toLocaleString()} characters
          </button>
        )}
      </span>
    );
  }
  if (typeof value === 'number') return <span className="kf-json-num">{String(value)}</span>;
  if (value === undefined) return <span className="kf-muted">(none)</span>;
  return <span className="kf-json-lit">{JSON.stringify(value)}</span>;
}

function Entry({ name, value, open: initiallyOpen }: { name: string | undefined; value: unknown; open: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  const [shown, setShown] = useState(PAGE);
  const label = name !== undefined ? <span className="kf-json-key">{name}: </span> : null;
  if (!isContainer(value)) {
    return (
      <li>
        {label}
        <Primitive value={value} />
      </li>
    );
  }
  const list = entriesOf(value) as { length: number; at: (i: number) => [string, unknown] };
  const isArray = Array.isArray(value);
  const summary = isArray ? `[${list.length.toLocaleString()} item${list.length === 1 ? '' : 's'}]` : `{${list.length.toLocaleString()} key${list.length === 1 ? '' : 's'}}`;
  const rows: ReactNode[] = [];
  if (open) for (let i = 0; i < Math.min(shown, list.length); i++) {
    const [k, v] = list.at(i);
    rows.push(<Entry key={k} name={k} value={v} open={false} />);
  }
  return (
    <li>
      <button type="button" className="kf-json-toggle" aria-expanded={open} onClick={() => setOpen(!open)} aria-label={`${open ? 'Collapse' : 'Expand'} ${name ?? 'value'}`}>
        {open ? '▾' : '▸'}
      </button>
      {label}
      <span className="kf-muted">{summary}</span>
      {open && list.length > 0 && (
        <ul>
          {rows}
          {shown < list.length && (
            <li>
              <button type="button" className="kf-button kf-button--small" onClick={() => setShown(shown + PAGE)}>
                Show {Math.min(PAGE, list.length - shown)} more ({(list.length - shown).toLocaleString()} not shown)
              </button>
            </li>
          )}
        </ul>
      )}
    </li>
  );
}

/** An array whose first items are all plain objects: shown as a table. */
export function isTable(value: unknown): value is Record<string, unknown>[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  return value.slice(0, 50).every((r) => isContainer(r) && !Array.isArray(r));
}

function cell(v: unknown): string {
  if (v === undefined) return '';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > CELL_CUT ? `${text.slice(0, CELL_CUT)}…` : text;
}

function Table({ rows }: { rows: Record<string, unknown>[] }) {
  const [shown, setShown] = useState(TABLE_PAGE);
  const columns = useMemo(() => {
    const set = new Set<string>();
    for (const r of rows.slice(0, 50)) for (const k of Object.keys(r)) if (set.size < MAX_COLUMNS) set.add(k);
    return [...set];
  }, [rows]);
  return (
    <div className="kf-json">
      <table className="kf-json-table">
        <thead>
          <tr>
            <th>#</th>
            {columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, shown).map((r, i) => (
            <tr key={i}>
              <td>{i}</td>
              {columns.map((c) => (
                <td key={c}>{cell(r[c])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {shown < rows.length && (
        <button type="button" className="kf-button kf-button--small" onClick={() => setShown(shown + TABLE_PAGE)}>
          Show {Math.min(TABLE_PAGE, rows.length - shown)} more rows ({(rows.length - shown).toLocaleString()} not shown)
        </button>
      )}
    </div>
  );
}

function download(name: string, value: unknown): void {
  const blob = new Blob([JSON.stringify(value, null, 2) ?? 'null'], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 60) || 'value'}.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function JsonView({ value, label }: { value: unknown; label: string }) {
  const table = isTable(value);
  const [mode, setMode] = useState<'tree' | 'table'>('tree');
  async function copy() {
    try {
      await navigator.clipboard.writeText(JSON.stringify(value, null, 2) ?? 'null');
      useEditorStore.getState().toast('info', `${label} copied as JSON.`);
    } catch {
      useEditorStore.getState().toast('error', 'The browser refused to copy: use "Download" instead.');
    }
  }
  return (
    <section className="kf-json-view" aria-label={label}>
      <div className="kf-row">
        {table && (
          <div role="radiogroup" aria-label={`${label} view`} className="kf-row">
            <button type="button" role="radio" aria-checked={mode === 'tree'} className="kf-button kf-button--small" onClick={() => setMode('tree')}>
              Tree
            </button>
            <button type="button" role="radio" aria-checked={mode === 'table'} className="kf-button kf-button--small" onClick={() => setMode('table')}>
              Table
            </button>
          </div>
        )}
        <button type="button" className="kf-button kf-button--small" onClick={() => void copy()} aria-label={`Copy ${label.toLowerCase()}`}>
          Copy
        </button>
        <button type="button" className="kf-button kf-button--small" onClick={() => download(label, value)} aria-label={`Download full ${label.toLowerCase()}`}>
          Download
        </button>
      </div>
      {table && mode === 'table' ? (
        <Table rows={value} />
      ) : (
        <ul className="kf-json">
          <Entry name={undefined} value={value as Json} open />
        </ul>
      )}
    </section>
  );
}
