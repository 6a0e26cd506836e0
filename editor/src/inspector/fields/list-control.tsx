// A list (array) of values or of objects: add, remove, move up and down. Each item keeps a
// stable React key across reorders, so an item being edited is never remounted.
import { useRef } from 'react';
import { emptyValue } from '../empty-value.ts';
import type { FieldKind } from '../field-kind.ts';
import { joinPath, useFormContext } from '../form-context.ts';
import type { JsonSchema } from '../types.ts';
import { ConfigField } from '../config-field.tsx';
import type { ControlProps } from './field-props.ts';

let nextKey = 0;
const newKey = () => `item-${++nextKey}`;

/** Keys parallel to `length` items; kept when the list changes from outside at its end. */
function useItemKeys(length: number): string[] {
  const keys = useRef<string[]>([]);
  while (keys.current.length < length) keys.current.push(newKey());
  if (keys.current.length > length) keys.current = keys.current.slice(0, length);
  return keys.current;
}

export function ListControl(p: ControlProps<unknown[]> & { item: JsonSchema; itemKind: FieldKind }) {
  const { readOnly } = useFormContext();
  const items = Array.isArray(p.value) ? p.value : [];
  const keys = useItemKeys(items.length);
  const maxItems = typeof p.schema['maxItems'] === 'number' ? p.schema['maxItems'] : Infinity;
  const itemTitle = typeof p.item['title'] === 'string' ? p.item['title'] : 'item';

  const emit = (next: unknown[]) => p.onChange(next.length === 0 && !p.required ? undefined : next);
  const move = (from: number, to: number) => {
    const next = [...items];
    const [moved] = next.splice(from, 1);
    next.splice(to, 0, moved);
    const k = [...keys];
    const [mk] = k.splice(from, 1);
    k.splice(to, 0, mk!);
    keys.splice(0, keys.length, ...k);
    emit(next);
  };
  const remove = (i: number) => {
    keys.splice(i, 1);
    emit(items.filter((_, j) => j !== i));
  };
  const add = () => {
    keys.push(newKey());
    emit([...items, emptyValue(p.item)]);
  };

  return (
    <div className="kf-insp-list" role="group" aria-labelledby={p.labelId} aria-describedby={p.describedBy}>
      {items.length === 0 ? <p className="kf-insp-field__muted">None yet.</p> : null}
      <ol className="kf-insp-list__items">
        {items.map((item, i) => (
          <li key={keys[i]} className="kf-insp-list__item">
            <div className="kf-insp-list__body">
              <ConfigField
                name={String(i)}
                title={`${p.title} ${i + 1}`}
                schema={p.item}
                kind={p.itemKind}
                required
                path={joinPath(p.path, i)}
                value={item}
                onChange={(v) => emit(items.map((x, j) => (j === i ? v : x)))}
              />
            </div>
            {readOnly ? null : (
              <div className="kf-insp-list__tools">
                <button type="button" className="kf-insp-icon-button" aria-label={`Move ${p.title} ${i + 1} up`} disabled={i === 0} onClick={() => move(i, i - 1)}>
                  ↑
                </button>
                <button type="button" className="kf-insp-icon-button" aria-label={`Move ${p.title} ${i + 1} down`} disabled={i === items.length - 1} onClick={() => move(i, i + 1)}>
                  ↓
                </button>
                <button type="button" className="kf-insp-icon-button kf-insp-icon-button--danger" aria-label={`Remove ${p.title} ${i + 1}`} onClick={() => remove(i)}>
                  ×
                </button>
              </div>
            )}
          </li>
        ))}
      </ol>
      {readOnly ? null : (
        <button type="button" className="kf-button kf-button--small kf-insp-add" onClick={add} disabled={items.length >= maxItems}>
          Add {itemTitle === 'item' ? `to ${p.title}` : itemTitle}
        </button>
      )}
    </div>
  );
}
