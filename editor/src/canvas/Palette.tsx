// Every node GET /api/nodes serves, grouped by category, with a search box. An entry is dragged
// onto the canvas with pointer events (mouse, pen and touch alike: pointerdown, move, up, then
// screenToFlowPosition), or picked with the keyboard: arrows move, Enter adds the node beside
// the selection or at the viewport's centre.
import { useMemo, useRef, useState, type KeyboardEvent, type PointerEvent as ReactPointerEvent } from 'react';
import { useReactFlow } from '@xyflow/react';
import { useEditorStore } from '../store/editor-store.ts';
import type { DescriptorLike } from '../store/types.ts';
import { CATEGORY_LABELS, CATEGORY_ORDER, categoryClass, glyphOf, SERVICE_TITLES, serviceOf } from './node-look.ts';
import { besideSelection } from './place-node.ts';

/** Pixels a pointer moves before a press becomes a drag. */
const DRAG_THRESHOLD = 4;

interface DragState {
  descriptor: DescriptorLike;
  startX: number;
  startY: number;
  x: number;
  y: number;
  active: boolean;
}

function matches(d: DescriptorLike, query: string): boolean {
  if (!query) return true;
  const q = query.toLowerCase();
  return d.title.toLowerCase().includes(q) || d.type.toLowerCase().includes(q) || (d.description ?? '').toLowerCase().includes(q);
}

/** Stand-ins an n8n import leaves for nodes it could not map (nodes/src/core/unsupported.node.ts): never added by hand. */
const IMPORT_PLACEHOLDERS = new Set(['core.unsupported', 'core.unsupported_trigger']);

/** True where a new service's nodes begin in a sorted list (the palette shows its name there). */
function serviceStarts(items: readonly DescriptorLike[], i: number): boolean {
  const service = serviceOf(items[i]!);
  return service !== undefined && (i === 0 || serviceOf(items[i - 1]!) !== service);
}

export function Palette(props: { descriptors: readonly DescriptorLike[] }) {
  const [query, setQuery] = useState('');
  const [drag, setDrag] = useState<DragState | undefined>();
  const dragRef = useRef<DragState | undefined>(undefined);
  const listRef = useRef<HTMLDivElement>(null);
  const { screenToFlowPosition, setCenter, getZoom } = useReactFlow();
  const readOnly = useEditorStore((s) => s.readOnly);

  const groups = useMemo(() => {
    const shown = props.descriptors.filter((d) => !IMPORT_PLACEHOLDERS.has(d.type) && matches(d, query.trim()));
    const byCat = new Map<string, DescriptorLike[]>();
    for (const d of shown) {
      const list = byCat.get(d.category) ?? [];
      list.push(d);
      byCat.set(d.category, list);
    }
    const cats = [...byCat.keys()].sort((a, b) => (CATEGORY_ORDER.indexOf(a) + 1 || 99) - (CATEGORY_ORDER.indexOf(b) + 1 || 99));
    // Integration nodes sit together by service (Google, Slack…), then by title.
    const serviceKey = (d: DescriptorLike) => SERVICE_TITLES[serviceOf(d) ?? ''] ?? serviceOf(d) ?? '';
    return cats.map((c) => ({ category: c, items: byCat.get(c)!.sort((a, b) => serviceKey(a).localeCompare(serviceKey(b)) || a.title.localeCompare(b.title)) }));
  }, [props.descriptors, query]);

  function addAt(descriptor: DescriptorLike, position: { x: number; y: number }) {
    const s = useEditorStore.getState();
    if (s.readOnly) return;
    s.addNode(descriptor, position);
  }

  function addByKeyboard(descriptor: DescriptorLike) {
    const s = useEditorStore.getState();
    let at = besideSelection(s.nodes);
    if (!at) {
      const pane = document.querySelector('.kf-canvas .react-flow');
      const r = pane?.getBoundingClientRect();
      at = r ? screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 }) : { x: 0, y: 0 };
      at = { x: at.x - 100, y: at.y - 32 };
    }
    addAt(descriptor, at);
    // Beside a node at the edge of the view, the new node may be out of sight: bring it in.
    const pane = document.querySelector('.kf-canvas .react-flow')?.getBoundingClientRect();
    if (pane) {
      const topLeft = screenToFlowPosition({ x: pane.left, y: pane.top });
      const bottomRight = screenToFlowPosition({ x: pane.right, y: pane.bottom });
      const inside = at.x >= topLeft.x && at.y >= topLeft.y && at.x + 200 <= bottomRight.x && at.y + 64 <= bottomRight.y;
      if (!inside) void setCenter(at.x + 100, at.y + 32, { zoom: getZoom(), duration: 200 });
    }
  }

  function entries(): HTMLElement[] {
    return [...(listRef.current?.querySelectorAll<HTMLElement>('[data-palette-entry]') ?? [])];
  }

  function onEntryKey(e: KeyboardEvent<HTMLElement>, descriptor: DescriptorLike) {
    const list = entries();
    const i = list.indexOf(e.currentTarget);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = e.key === 'ArrowDown' ? list[Math.min(i + 1, list.length - 1)] : i === 0 ? document.getElementById('kf-palette-search') : list[i - 1];
      next?.focus();
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      (e.key === 'Home' ? list[0] : list[list.length - 1])?.focus();
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      addByKeyboard(descriptor);
    }
  }

  function onSearchKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      entries()[0]?.focus();
    } else if (e.key === 'Enter') {
      const first = groups[0]?.items[0];
      if (first) {
        e.preventDefault();
        addByKeyboard(first);
      }
    } else if (e.key === 'Escape') {
      setQuery('');
    }
  }

  function onPointerDown(e: ReactPointerEvent<HTMLElement>, descriptor: DescriptorLike) {
    if (readOnly || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    dragRef.current = { descriptor, startX: e.clientX, startY: e.clientY, x: e.clientX, y: e.clientY, active: false };
  }

  function onPointerMove(e: ReactPointerEvent<HTMLElement>) {
    const d = dragRef.current;
    if (!d) return;
    const active = d.active || Math.hypot(e.clientX - d.startX, e.clientY - d.startY) > DRAG_THRESHOLD;
    dragRef.current = { ...d, x: e.clientX, y: e.clientY, active };
    if (active) setDrag(dragRef.current);
  }

  function onPointerUp(e: ReactPointerEvent<HTMLElement>) {
    const d = dragRef.current;
    dragRef.current = undefined;
    setDrag(undefined);
    if (!d?.active) return;
    const under = document.elementFromPoint(e.clientX, e.clientY);
    if (!under?.closest('.kf-canvas .react-flow__pane, .kf-canvas .react-flow__node, .kf-canvas .react-flow__renderer')) return;
    const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
    // The pointer holds the node by its middle.
    addAt(d.descriptor, { x: p.x - 100, y: p.y - 32 });
  }

  function onPointerCancel() {
    dragRef.current = undefined;
    setDrag(undefined);
  }

  return (
    <aside className="kf-palette" aria-label="Node palette">
      <input
        id="kf-palette-search"
        className="kf-palette-search"
        type="search"
        aria-label="Search nodes"
        placeholder="Search nodes"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onSearchKey}
      />
      <div className="kf-palette-list" ref={listRef}>
        {groups.length === 0 && <p className="kf-muted">No node matches “{query}”.</p>}
        {groups.map((g) => (
          <section key={g.category} aria-label={CATEGORY_LABELS[g.category] ?? g.category}>
            <h3 className="kf-palette-cat">{CATEGORY_LABELS[g.category] ?? g.category}</h3>
            <ul role="list">
              {g.items.map((d, i) => (
                <li key={`${d.type}@${d.version}`}>
                  {serviceStarts(g.items, i) ? <h4 className="kf-palette-service">{SERVICE_TITLES[serviceOf(d)!] ?? serviceOf(d)}</h4> : null}
                  <div
                    role="button"
                    tabIndex={0}
                    data-palette-entry={d.type}
                    aria-roledescription="draggable node"
                    aria-label={d.title}
                    aria-description={`${d.description ?? ''} Drag onto the canvas, or press Enter to add.`}
                    aria-disabled={readOnly || undefined}
                    className={`kf-palette-entry ${categoryClass(d.category)}`}
                    title={d.description}
                    onKeyDown={(e) => onEntryKey(e, d)}
                    onPointerDown={(e) => onPointerDown(e, d)}
                    onPointerMove={onPointerMove}
                    onPointerUp={onPointerUp}
                    onPointerCancel={onPointerCancel}
                    onDoubleClick={() => addByKeyboard(d)}
                  >
                    <span className="kf-node-glyph" aria-hidden="true">{glyphOf(d.type)}</span>
                    <span className="kf-palette-title">{d.title}</span>
                  </div>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
      {drag?.active && (
        <div className={`kf-drag-ghost ${categoryClass(drag.descriptor.category)}`} style={{ left: drag.x, top: drag.y }} aria-hidden="true">
          <span className="kf-node-glyph">{glyphOf(drag.descriptor.type)}</span> {drag.descriptor.title}
        </div>
      )}
    </aside>
  );
}
