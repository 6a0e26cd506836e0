// The canvas node: title and name, category colour, one handle per input and output (a loop's
// 'next' input included), a badge counting config problems (schema checks before saving and the
// server's 422 issues after), a disabled look, and the automation hooks data-node-id/-type.
// Memoized and registered once in nodeTypes: a drag re-renders only the nodes that moved. The
// handles and the text are memoized parts of their own: a run's status change re-renders the
// node's box and its run line, not its React Flow handles (each one reads React Flow's store).
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

interface HandleListProps {
  type: 'target' | 'source';
  handles: readonly string[];
  title: string;
}

function HandleListView({ type, handles, title }: HandleListProps) {
  const side = type === 'target' ? 'in' : 'out';
  return handles.map((h, i) => (
    <Handle key={`${side}-${h}`} type={type} position={type === 'target' ? Position.Left : Position.Right} id={h} style={{ top: handleTop(i, handles.length) }} className={`kf-handle kf-handle-${side} kf-handle-${h}`} aria-label={`${title} ${type === 'target' ? 'input' : 'output'} ${h}`}>
      {handles.length > 1 && <span className={`kf-handle-label kf-handle-label-${side}`}>{h}</span>}
    </Handle>
  ));
}

const HandleList = memo(HandleListView);

function NodeTextView({ type, name, title, disabled }: { type: string; name: string | undefined; title: string; disabled: boolean }) {
  return (
    <>
      <div className="kf-node-glyph" aria-hidden="true">{glyphOf(type)}</div>
      <div className="kf-node-text">
        <div className="kf-node-title">{name || title}</div>
        <div className="kf-node-sub">{name ? title : type}{disabled ? ' · disabled' : ''}</div>
      </div>
    </>
  );
}

const NodeText = memo(NodeTextView);

function WorkflowNodeView({ id, data, selected }: NodeProps<KfWorkflowNode>) {
  const descriptor = useEditorStore((s) => s.descriptors.get(descriptorKey(data.type, data.version)));
  const serverIssues = useEditorStore((s) => s.serverIssues[id]);
  const diffKind = useEditorStore((s) => s.diffKinds?.[id]);
  const run = useEditorStore((s) => s.runViews[id]);
  const pinned = data.pinned !== undefined;
  // An imported node Keyflow cannot run (core.unsupported): marked until it is replaced.
  const placeholder = data.type === 'core.unsupported' ? String((data.config as { originalType?: unknown }).originalType ?? 'unknown') : undefined;
  const issues = useMemo(() => (descriptor && !data.disabled ? validateNodeConfig(descriptor, data.config) : []), [descriptor, data.config, data.disabled]);
  const inputs = useMemo(() => inputsOf(descriptor), [descriptor]);
  const outputs = useMemo(() => outputsOf(descriptor, data), [descriptor, data]);
  const count = issues.length + (serverIssues?.length ?? 0);
  const title = descriptor?.title ?? data.type;
  const problems = [...issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)), ...(serverIssues ?? [])];
  const classes = ['kf-node', categoryClass(descriptor?.category), selected ? 'is-selected' : '', data.disabled ? 'is-disabled' : '', count > 0 ? 'has-issues' : '', diffKind ? `kf-diff-${diffKind}` : '', descriptor ? '' : 'is-unknown', run ? `kf-run-${run.status}` : '', placeholder ? 'is-placeholder' : ''];

  return (
    <div className={classes.filter(Boolean).join(' ')} data-node-id={id} data-node-type={data.type} data-status={run?.status} data-placeholder={placeholder} title={problems.length > 0 ? problems.join('\n') : undefined}>
      <HandleList type="target" handles={inputs} title={title} />
      <NodeText type={data.type} name={data.name} title={title} disabled={data.disabled === true} />
      {count > 0 && (
        <span className="kf-node-badge" role="status" aria-label={`${count} problem${count === 1 ? '' : 's'}`}>
          {count}
        </span>
      )}
      {diffKind && <span className="kf-diff-tag">{diffKind}</span>}
      {placeholder && <span className="kf-placeholder-tag" title={`A placeholder for ${placeholder}, which Keyflow cannot run: replace it before activating`}>placeholder</span>}
      {pinned && <span className="kf-pin-tag" title="Test runs use the pinned output instead of running this node">pinned</span>}
      {run && <RunBadge view={run} />}
      <HandleList type="source" handles={outputs} title={title} />
    </div>
  );
}

export const WorkflowNode = memo(WorkflowNodeView);
