// The canvas node: title and name, category colour, one handle per input and output (a loop's
// 'next' input included), a badge counting config problems (schema checks before saving and the
// server's 422 issues after), a disabled look, and the automation hooks data-node-id/-type.
// Memoized and registered once in nodeTypes: a drag re-renders only the nodes that moved.
import { memo, useMemo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { validateNodeConfig } from '../inspector/validate-node-config.ts';
import { useEditorStore } from '../store/editor-store.ts';
import { inputsOf, outputsOf } from '../store/handles.ts';
import { descriptorKey, type KfWorkflowNode } from '../store/types.ts';
import { categoryClass, glyphOf } from './node-look.ts';
import { handleFraction } from './node-geometry.ts';
import { RunBadge } from '../runs/RunBadge.tsx';

// node-geometry.ts declares these places to React Flow before the node is drawn: keep them one rule.
function handleTop(index: number, count: number): string {
  return `${handleFraction(index, count) * 100}%`;
}

function WorkflowNodeView({ id, data, selected }: NodeProps<KfWorkflowNode>) {
  const descriptor = useEditorStore((s) => s.descriptors.get(descriptorKey(data.type, data.version)));
  const serverIssues = useEditorStore((s) => s.serverIssues[id]);
  const diffKind = useEditorStore((s) => s.diffKinds?.[id]);
  const run = useEditorStore((s) => s.runViews[id]);
  const pinned = data.pinned !== undefined;
  // An imported node Keyflow cannot run (core.unsupported): marked until it is replaced.
  const placeholder = data.type === 'core.unsupported' ? String((data.config as { originalType?: unknown }).originalType ?? 'unknown') : undefined;
  const issues = useMemo(() => (descriptor && !data.disabled ? validateNodeConfig(descriptor, data.config) : []), [descriptor, data.config, data.disabled]);
  const inputs = inputsOf(descriptor);
  const outputs = useMemo(() => outputsOf(descriptor, data), [descriptor, data]);
  const count = issues.length + (serverIssues?.length ?? 0);
  const title = descriptor?.title ?? data.type;
  const problems = [...issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)), ...(serverIssues ?? [])];
  const classes = ['kf-node', categoryClass(descriptor?.category), selected ? 'is-selected' : '', data.disabled ? 'is-disabled' : '', count > 0 ? 'has-issues' : '', diffKind ? `kf-diff-${diffKind}` : '', descriptor ? '' : 'is-unknown', run ? `kf-run-${run.status}` : '', placeholder ? 'is-placeholder' : ''];

  return (
    <div className={classes.filter(Boolean).join(' ')} data-node-id={id} data-node-type={data.type} data-status={run?.status} data-placeholder={placeholder} title={problems.length > 0 ? problems.join('\n') : undefined}>
      {inputs.map((h, i) => (
        <Handle key={`in-${h}`} type="target" position={Position.Left} id={h} style={{ top: handleTop(i, inputs.length) }} className={`kf-handle kf-handle-in kf-handle-${h}`} aria-label={`${title} input ${h}`}>
          {inputs.length > 1 && <span className="kf-handle-label kf-handle-label-in">{h}</span>}
        </Handle>
      ))}
      <div className="kf-node-glyph" aria-hidden="true">{glyphOf(data.type)}</div>
      <div className="kf-node-text">
        <div className="kf-node-title">{data.name || title}</div>
        <div className="kf-node-sub">{data.name ? title : data.type}{data.disabled ? ' · disabled' : ''}</div>
      </div>
      {count > 0 && (
        <span className="kf-node-badge" role="status" aria-label={`${count} problem${count === 1 ? '' : 's'}`}>
          {count}
        </span>
      )}
      {diffKind && <span className="kf-diff-tag">{diffKind}</span>}
      {placeholder && <span className="kf-placeholder-tag" title={`A placeholder for ${placeholder}, which Keyflow cannot run: replace it before activating`}>placeholder</span>}
      {pinned && <span className="kf-pin-tag" title="Test runs use the pinned output instead of running this node">pinned</span>}
      {run && <RunBadge view={run} />}
      {outputs.map((h, i) => (
        <Handle key={`out-${h}`} type="source" position={Position.Right} id={h} style={{ top: handleTop(i, outputs.length) }} className={`kf-handle kf-handle-out kf-handle-${h}`} aria-label={`${title} output ${h}`}>
          {outputs.length > 1 && <span className="kf-handle-label kf-handle-label-out">{h}</span>}
        </Handle>
      ))}
    </div>
  );
}

export const WorkflowNode = memo(WorkflowNodeView);
