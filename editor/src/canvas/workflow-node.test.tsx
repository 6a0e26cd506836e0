// @vitest-environment jsdom
// A run's status change redraws a canvas node's box and run line, not its React Flow handles
// (each handle reads React Flow's store: a 200-step run turning 70 drawn nodes "queued" at once
// re-rendered every one of them in the run's first frame).
import { act, cleanup, render } from '@testing-library/react';
import type { NodeProps } from '@xyflow/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useEditorStore } from '../store/editor-store.ts';
import { descriptor } from '../store/test-descriptors.ts';
import type { KfNodeData, KfWorkflowNode } from '../store/types.ts';
import { WorkflowNode } from './WorkflowNode.tsx';

const handles = vi.hoisted(() => ({ renders: 0 }));
vi.mock('@xyflow/react', async (importOriginal) => {
  const xy = await importOriginal<typeof import('@xyflow/react')>();
  // Counts renders; outside a React Flow node a real handle has no node to belong to.
  const Handle = ({ className, children, 'aria-label': label }: { className?: string; children?: React.ReactNode; 'aria-label'?: string }) => {
    handles.renders++;
    return <div className={className} aria-label={label}>{children}</div>;
  };
  return { ...xy, Handle };
});

afterEach(cleanup);
beforeEach(() => {
  handles.renders = 0;
  useEditorStore.getState().setDescriptors([descriptor('core.transform')]);
  useEditorStore.setState({ runViews: {} });
});

const props = (data: KfNodeData) => ({ id: 'n1', type: 'workflow', data, selected: false }) as unknown as NodeProps<KfWorkflowNode>;
const showStatus = (status: 'queued' | 'running' | 'succeeded') => act(() => useEditorStore.setState({ runViews: { n1: { status, attempts: status === 'queued' ? 0 : 1, costMicros: 0 } } }));

describe('WorkflowNode', () => {
  it('shows each run status on its box and run line without redrawing its handles', () => {
    const data: KfNodeData = { type: 'core.transform', version: 1, name: 'Shape', config: {} };
    const { container } = render(<WorkflowNode {...props(data)} />);
    const node = container.querySelector('.kf-node')!;
    const drawn = handles.renders;
    expect(drawn).toBeGreaterThan(0);
    for (const status of ['queued', 'running', 'succeeded'] as const) {
      showStatus(status);
      expect(node.getAttribute('data-status')).toBe(status);
      expect(node.classList.contains(`kf-run-${status}`)).toBe(true);
      expect(node.querySelector('.kf-run-badge')?.textContent).toBe(status);
    }
    expect(handles.renders).toBe(drawn);
    // A change they show still redraws them: their labels name the node's type by its title.
    act(() => useEditorStore.getState().setDescriptors([{ ...descriptor('core.transform'), title: 'Reshape' }]));
    expect(handles.renders).toBeGreaterThan(drawn);
    expect(container.querySelector('[aria-label="Reshape input main"]')).not.toBeNull();
  });
});
