// The Inspector panel: the selected node's name, type and description, its config form
// generated from the schema `GET /api/nodes` serves, validation issues on each field, and for AI
// nodes the model and estimated cost. Every edit hands the whole new config to onChange.
import { useEffect, useMemo, useRef, useState } from 'react';
import { MAX_NAME_LENGTH } from '@keyflow/engine/graph';
import { AiSummary } from './ai-summary.tsx';
import { resolvePreview } from './expression/resolve-preview.ts';
import type { ScopeInfo } from './expression/expression-scope.ts';
import { humanise, propertiesOf } from './field-kind.ts';
import { FormContext, issuesByPath, type FormContextValue } from './form-context.ts';
import { SchemaForm } from './schema-form.tsx';
import type { InspectorProps } from './types.ts';
import { validateNodeConfig } from './validate-node-config.ts';
import './inspector.css';

export function Inspector(props: InspectorProps) {
  const { node, descriptor, upstream, lastRun, readOnly = false } = props;
  const issues = useMemo(() => validateNodeConfig(descriptor, node.config), [descriptor, node.config]);
  const scope = useMemo<ScopeInfo>(() => (lastRun ? { upstream, lastRun } : { upstream }), [upstream, lastRun]);
  const ctx = useMemo<FormContextValue>(() => ({ descriptor, readOnly, issues: issuesByPath(issues), scope }), [descriptor, readOnly, issues, scope]);
  // Issues no field shows: on the config itself, or on a key the schema does not know.
  const known = new Set(propertiesOf(descriptor.configSchema).map(([k]) => k));
  const loose = issues.filter((i) => i.path === '' || !known.has(i.path.split('.')[0]!));
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;
  const resolvedPrompt = useMemo(() => {
    if (descriptor.category !== 'ai' || typeof node.config['prompt'] !== 'string') return undefined;
    const r = resolvePreview(node.config['prompt'], scope);
    return r.state === 'value' && typeof r.value === 'string' ? r.value : undefined;
  }, [descriptor.category, node.config, scope]);

  return (
    <FormContext.Provider value={ctx}>
      <section className="kf-inspector" aria-label="Inspector" data-node-id={node.id}>
        <header className="kf-inspector__head">
          <NodeName key={node.id} name={node.name ?? ''} placeholder={descriptor.title} readOnly={readOnly} onRename={props.onRename} />
          <p className="kf-inspector__type">
            {descriptor.title} <span className="kf-insp-field__muted">· {descriptor.type} v{descriptor.version}</span>
            {readOnly ? <span className="kf-inspector__badge">read-only</span> : null}
          </p>
          {descriptor.description ? <p className="kf-inspector__description">{descriptor.description}</p> : null}
        </header>
        {issues.length > 0 ? (
          <div className="kf-inspector__issues" role="status">
            <p>
              {issues.length === 1 ? '1 problem' : `${issues.length} problems`} to fix before this node can run.
            </p>
            {loose.length > 0 ? (
              <ul>
                {loose.map((i) => (
                  <li key={`${i.path}:${i.message}`}>{i.path === '' ? i.message : `${humanise(i.path.split('.')[0]!)}: ${i.message}`}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        {descriptor.category === 'ai' ? <AiSummary config={node.config} {...(resolvedPrompt !== undefined ? { resolvedPrompt } : {})} /> : null}
        {propertiesOf(descriptor.configSchema).length === 0 ? (
          <p className="kf-insp-field__muted">This node has nothing to configure.</p>
        ) : (
          <SchemaForm key={node.id} schema={descriptor.configSchema} value={node.config} path="" onChange={(c) => onChange.current(c)} />
        )}
      </section>
    </FormContext.Provider>
  );
}

// The name is committed on blur or Enter (one rename, one undo step); Escape puts it back.
function NodeName(p: { name: string; placeholder: string; readOnly: boolean; onRename(name: string): void }) {
  const [draft, setDraft] = useState(p.name);
  useEffect(() => setDraft(p.name), [p.name]);
  const commit = () => {
    const next = draft.trim();
    if (next !== p.name) p.onRename(next);
    if (next !== draft) setDraft(next);
  };
  return (
    <label className="kf-inspector__name">
      <span className="kf-insp-field__label">Name</span>
      <input
        className="kf-input kf-insp-title"
        value={draft}
        placeholder={p.placeholder}
        readOnly={p.readOnly}
        maxLength={MAX_NAME_LENGTH}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          } else if (e.key === 'Escape') {
            setDraft(p.name);
          }
        }}
      />
    </label>
  );
}
