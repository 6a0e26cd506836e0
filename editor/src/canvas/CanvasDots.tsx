// The canvas's dot grid, drawn so that panning costs the compositor a translation and nothing
// else. React Flow's <Background> moves an SVG pattern's origin on every pan frame, which
// re-rasterises the whole pane each frame: without a GPU (software raster) that alone kept pan
// frames at two vsyncs (`bench editor`: pan p95 33 ms at 50 and 1,000 nodes, one vsync with the
// background removed). Here the dots are a CSS gradient on a layer one cell larger than the pane
// on each side, promoted with `will-change: transform`, and a pan only moves that layer by the
// transform modulo one cell; it is rasterised again only when the zoom changes the cell size.
// The transform is written to the element directly from React Flow's store: no React render per frame.
import { useEffect, useRef } from 'react';
import { useStoreApi } from '@xyflow/react';

/** Cell size in flow units and dot diameter in flow units, as React Flow's dots defaults (gap 20, size 1). */
export function CanvasDots(props: { gap?: number; size?: number }) {
  const gap = props.gap ?? 20;
  const size = props.size ?? 1;
  const ref = useRef<HTMLDivElement>(null);
  const store = useStoreApi();
  useEffect(() => {
    let lastZoom = Number.NaN;
    const draw = (transform: readonly [number, number, number]) => {
      const el = ref.current;
      if (!el) return;
      const [x, y, zoom] = transform;
      const cell = gap * zoom || 1;
      if (zoom !== lastZoom) {
        lastZoom = zoom;
        const r = Math.max(0.5, (size * zoom) / 2);
        el.style.backgroundSize = `${cell}px ${cell}px`;
        el.style.backgroundImage = `radial-gradient(circle at ${cell / 2}px ${cell / 2}px, var(--kf-canvas-dot) ${r}px, transparent ${r + 0.5}px)`;
        el.style.inset = `${-cell}px`;
      }
      // Dots sit at the middle of each cell, as React Flow's pattern places them.
      const mod = (v: number) => ((v % cell) + cell) % cell;
      el.style.transform = `translate3d(${mod(x) - cell / 2}px, ${mod(y) - cell / 2}px, 0)`;
    };
    draw(store.getState().transform);
    return store.subscribe((s, prev) => {
      if (s.transform !== prev.transform) draw(s.transform);
    });
  }, [store, gap, size]);
  return <div ref={ref} className="kf-canvas-dots" aria-hidden="true" data-testid="canvas-dots" />;
}
