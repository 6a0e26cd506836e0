// @vitest-environment jsdom
// The dot grid follows React Flow's viewport by a transform modulo one cell (a compositor move),
// and changes its raster (gradient, cell size) only when the zoom changes.
import { act, cleanup, render, screen } from '@testing-library/react';
import { ReactFlowProvider, useStoreApi } from '@xyflow/react';
import { afterEach, describe, expect, it } from 'vitest';
import { CanvasDots } from './CanvasDots.tsx';

afterEach(cleanup);

let api: ReturnType<typeof useStoreApi> | undefined;
function Capture() {
  api = useStoreApi();
  return null;
}

describe('CanvasDots', () => {
  it('pans by transform only, modulo one cell, and redraws the pattern on zoom', () => {
    render(
      <ReactFlowProvider>
        <Capture />
        <CanvasDots gap={20} />
      </ReactFlowProvider>,
    );
    const el = screen.getByTestId('canvas-dots');
    expect(el.style.backgroundSize).toBe('20px 20px');
    const image = el.style.backgroundImage;
    act(() => api!.setState({ transform: [250, -35, 1] }));
    // 250 mod 20 = 10, -35 mod 20 = 5; dots sit mid-cell (-10).
    expect(el.style.transform).toBe('translate3d(0px, -5px, 0px)');
    expect(el.style.backgroundImage).toBe(image);
    act(() => api!.setState({ transform: [250, -35, 2] }));
    expect(el.style.backgroundSize).toBe('40px 40px');
    expect(el.style.inset).toBe('-40px');
    // 250 mod 40 = 10, -35 mod 40 = 5; minus half a cell (20).
    expect(el.style.transform).toBe('translate3d(-10px, -15px, 0px)');
  });
});
