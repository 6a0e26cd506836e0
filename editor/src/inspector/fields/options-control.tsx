// A searchable dropdown for a field whose values come from the service (Slack channels, Notion
// databases, Trello boards and lists), loaded with the node's chosen credential. Typing searches
// on the server; "Load more" follows the service's cursor. Free text stays possible (an id, a
// #name), since the list may not show everything the credential can reach.
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useFormContext } from '../form-context.ts';
import type { ControlProps } from './field-props.ts';
import type { OptionListRef } from './option-lists.ts';
import { useDebounced } from '../../app/use-debounced.ts';

interface OptionItem {
  value: string;
  label: string;
}
interface OptionPage {
  items: OptionItem[];
  nextCursor?: string;
}

export function optionsUrl(nodeType: string, list: string, q: { credentialId?: string | undefined; search?: string; cursor?: string | undefined; params: Record<string, string> }): string {
  const search = new URLSearchParams();
  if (q.credentialId) search.set('credentialId', q.credentialId);
  if (q.search) search.set('search', q.search);
  if (q.cursor) search.set('cursor', q.cursor);
  for (const [k, v] of Object.entries(q.params)) search.set(k, v);
  const qs = search.toString();
  return `/api/nodes/${encodeURIComponent(nodeType)}/options/${encodeURIComponent(list)}${qs ? `?${qs}` : ''}`;
}

export function OptionsControl(p: ControlProps<string> & { options: OptionListRef }) {
  const { descriptor, readOnly } = useFormContext();
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const [active, setActive] = useState(-1);
  const term = useDebounced(search, 250);
  const credentialId = typeof p.siblings?.['credentialId'] === 'string' ? p.siblings['credentialId'] : undefined;
  const params: Record<string, string> = {};
  const missing: string[] = [];
  for (const dep of p.options.dependsOn) {
    const v = p.siblings?.[dep];
    if (typeof v === 'string' && v !== '' && !v.includes('{{')) params[dep] = v;
    else missing.push(dep);
  }
  const query = useInfiniteQuery({
    queryKey: ['node-options', descriptor.type, p.options.list, credentialId ?? null, params, term],
    queryFn: ({ pageParam, signal }) => api<OptionPage>('GET', optionsUrl(descriptor.type, p.options.list, { credentialId, search: term, cursor: pageParam, params }), undefined, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
    enabled: open && missing.length === 0,
    staleTime: 60_000,
    retry: false,
    // While a new search loads, the last answer stays on screen rather than flashing empty.
    placeholderData: (previous) => previous,
  });
  const items = useMemo(() => query.data?.pages.flatMap((pg) => pg.items) ?? [], [query.data]);
  const chosen = items.find((i) => i.value === p.value);
  const text = open ? search : (p.value ?? '');

  function choose(item: OptionItem) {
    p.onChange(item.value);
    setSearch('');
    setOpen(false);
    setActive(-1);
  }
  function onKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(items.length - 1, a + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Enter' && open && active >= 0 && items[active]) {
      e.preventDefault();
      choose(items[active]);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setOpen(false);
      setSearch('');
    }
  }

  return (
    <div className="kf-insp-options">
      <input
        id={p.id}
        className="kf-input"
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
        aria-describedby={p.describedBy}
        aria-invalid={p.invalid || undefined}
        aria-required={p.required || undefined}
        readOnly={readOnly}
        placeholder="Search or paste an id…"
        value={text}
        onFocus={() => {
          if (readOnly) return;
          setSearch('');
          setOpen(true);
        }}
        onChange={(e) => {
          setSearch(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onBlur={() => {
          // Free text typed and left: that is the value (an id or a #name the list did not show).
          if (open && search.trim() !== '') p.onChange(search.trim());
          setOpen(false);
          setSearch('');
        }}
        onKeyDown={onKey}
      />
      {!open && chosen && chosen.label !== chosen.value ? <p className="kf-insp-field__muted">{chosen.label}</p> : null}
      {open ? (
        <ul id={listId} role="listbox" aria-label={`${p.title} options`} className="kf-insp-options__list">
          {missing.length > 0 ? <li className="kf-insp-field__muted">Choose {missing.join(', ')} first.</li> : null}
          {query.isPending && missing.length === 0 ? <li className="kf-insp-field__muted">Loading…</li> : null}
          {query.isError ? (
            <li className="kf-insp-field__error" role="alert">
              {query.error.message}
            </li>
          ) : null}
          {query.isSuccess && items.length === 0 ? <li className="kf-insp-field__muted">Nothing found{term ? ` for “${term}”` : ''}.</li> : null}
          {items.map((item, i) => (
            <li
              key={item.value}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={item.value === p.value}
              className={`kf-insp-options__item${i === active ? ' kf-insp-options__item--active' : ''}`}
              // mousedown, not click: the input's blur would close the list first.
              onMouseDown={(e) => {
                e.preventDefault();
                choose(item);
              }}
            >
              <span>{item.label}</span>
              {item.label !== item.value ? <small className="kf-insp-field__muted"> {item.value}</small> : null}
            </li>
          ))}
          {query.hasNextPage ? (
            <li>
              <button type="button" className="kf-insp-link-button" onMouseDown={(e) => e.preventDefault()} onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
                {query.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            </li>
          ) : null}
        </ul>
      ) : null}
    </div>
  );
}
