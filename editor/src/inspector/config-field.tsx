// One config field: its label (the schema title, else the key humanised), required mark, help
// text (the schema description), the control its schema calls for, and its validation errors.
import { useId } from 'react';
import { fieldKind, type FieldKind } from './field-kind.ts';
import { useFormContext } from './form-context.ts';
import type { JsonSchema, NodeDescriptor } from './types.ts';
import { emptyValue } from './empty-value.ts';
import { AnyControl } from './fields/any-control.tsx';
import { CredentialControl } from './fields/credential-control.tsx';
import { CronControl } from './fields/cron-control.tsx';
import { ExpressionControl } from './fields/expression-control.tsx';
import type { ControlProps } from './fields/field-props.ts';
import { JsonControl } from './fields/json-control.tsx';
import { ListControl } from './fields/list-control.tsx';
import { ModelControl } from './fields/model-control.tsx';
import { NumberControl } from './fields/number-control.tsx';
import { optionListFor } from './fields/option-lists.ts';
import { OptionsControl } from './fields/options-control.tsx';
import { RecordControl } from './fields/record-control.tsx';
import { SelectControl } from './fields/select-control.tsx';
import { SwitchControl } from './fields/switch-control.tsx';
import { TextControl } from './fields/text-control.tsx';
import { SchemaForm } from './schema-form.tsx';

export interface ConfigFieldProps {
  name: string;
  title: string;
  schema: JsonSchema;
  kind?: FieldKind;
  required: boolean;
  path: string;
  value: unknown;
  onChange(value: unknown): void;
  siblings?: Record<string, unknown>;
}

function Control(p: ControlProps<unknown> & { kind: FieldKind }) {
  const k = p.kind;
  switch (k.kind) {
    case 'select':
      return <SelectControl {...(p as ControlProps<string | number>)} options={k.options} />;
    case 'switch':
      return <SwitchControl {...(p as ControlProps<boolean>)} />;
    case 'number':
      return <NumberControl {...(p as ControlProps<number>)} kind={k} />;
    case 'text':
      return <TextControl {...(p as ControlProps<string>)} multiline={k.multiline} />;
    case 'expression':
      return <ExpressionControl {...(p as ControlProps<string>)} multiline={k.multiline} />;
    case 'cron':
      return <CronControl {...(p as ControlProps<string>)} />;
    case 'credential':
      return <CredentialControl {...p} multiple={k.multiple} />;
    case 'model':
      return <ModelControl {...(p as ControlProps<string>)} />;
    case 'list':
      return <ListControl {...(p as ControlProps<unknown[]>)} item={k.item} itemKind={k.itemKind} />;
    case 'record':
      return <RecordControl {...(p as ControlProps<Record<string, unknown>>)} valueSchema={k.value} {...(k.keyPattern !== undefined ? { keyPattern: k.keyPattern } : {})} />;
    case 'json':
      return <JsonControl {...p} />;
    case 'any':
      return <AnyControl {...p} />;
    case 'object':
      return null;
  }
}

// Kinds whose control is a group of several inputs: labelled as a group, not via htmlFor.
const GROUPS = new Set(['list', 'record', 'object']);
// Typed fields that may hold an expression instead (the server checks them once resolved).
const EXPRESSION_CAPABLE = new Set(['number', 'switch', 'select']);

/** Field kinds that depend on the node, not only on the schema. */
function kindFor(schema: JsonSchema, name: string, descriptor: NodeDescriptor): FieldKind {
  const kind = fieldKind(schema, name);
  if (descriptor.category === 'ai' && name === 'model' && (kind.kind === 'text' || kind.kind === 'expression')) return { kind: 'model' };
  return kind;
}

export function ConfigField(p: ConfigFieldProps) {
  const { issues, descriptor, readOnly } = useFormContext();
  const id = useId();
  const schemaKind = p.kind ?? kindFor(p.schema, p.name, descriptor);
  const canExpress = EXPRESSION_CAPABLE.has(schemaKind.kind);
  const expressed = canExpress && typeof p.value === 'string' && p.value.includes('{{');
  const kind: FieldKind = expressed ? { kind: 'expression', multiline: false } : schemaKind;
  const labelId = `${id}-label`;
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const errors = issues.get(p.path) ?? [];
  const description = typeof p.schema['description'] === 'string' ? p.schema['description'] : undefined;
  const describedBy = [description ? helpId : undefined, errors.length > 0 ? errorId : undefined].filter(Boolean).join(' ') || undefined;

  if (kind.kind === 'object') {
    return (
      <fieldset className="kf-insp-field kf-insp-field--object" aria-describedby={describedBy}>
        <legend id={labelId} className="kf-insp-field__label">
          {p.title}
          {p.required ? <RequiredMark /> : null}
        </legend>
        {description ? <p id={helpId} className="kf-insp-field__help">{description}</p> : null}
        <SchemaForm schema={kind.schema} value={p.value} path={p.path} onChange={p.onChange} />
        <Errors id={errorId} errors={errors} />
      </fieldset>
    );
  }

  const group = GROUPS.has(kind.kind) || (kind.kind === 'credential' && kind.multiple);
  const labelAttrs = group || kind.kind === 'expression' || kind.kind === 'any' ? {} : { htmlFor: id };
  const Tag = group ? 'span' : 'label';
  return (
    <div className={`kf-insp-field kf-insp-field--${kind.kind}${errors.length > 0 ? ' kf-insp-field--invalid' : ''}`} data-field-path={p.path}>
      <Tag id={labelId} className="kf-insp-field__label" {...labelAttrs}>
        {p.title}
        {p.required ? <RequiredMark /> : null}
      </Tag>
      {(kind.kind === 'text' || kind.kind === 'expression') && !kind.multiline && !(typeof p.value === 'string' && p.value.includes('{{')) && optionListFor(descriptor.credential?.provider, p.name) ? (
        // An integration field with a server-side option list: a searchable dropdown instead
        // (typing "{{" there and leaving the field turns it back into the expression editor).
        <OptionsControl
          id={id}
          labelId={labelId}
          {...(describedBy ? { describedBy } : {})}
          invalid={errors.length > 0}
          schema={p.schema}
          path={p.path}
          title={p.title}
          required={p.required}
          value={typeof p.value === 'string' ? p.value : undefined}
          onChange={p.onChange}
          {...(p.siblings ? { siblings: p.siblings } : {})}
          options={optionListFor(descriptor.credential?.provider, p.name)!}
        />
      ) : (
      <Control
        id={id}
        labelId={labelId}
        {...(describedBy ? { describedBy } : {})}
        invalid={errors.length > 0}
        schema={p.schema}
        path={p.path}
        title={p.title}
        required={p.required}
        value={p.value}
        onChange={p.onChange}
        {...(p.siblings ? { siblings: p.siblings } : {})}
        kind={kind}
      />
      )}
      {canExpress && !readOnly ? (
        <button
          type="button"
          className="kf-insp-link-button"
          aria-label={`${expressed ? 'Use a fixed value for' : 'Use an expression for'} ${p.title}`}
          onClick={() => p.onChange(expressed ? (p.required ? emptyValue(p.schema, p.name) : undefined) : '{{  }}')}
        >
          {expressed ? 'Use a fixed value' : 'Use an expression'}
        </button>
      ) : null}
      {description ? (
        <p id={helpId} className="kf-insp-field__help">
          {description}
        </p>
      ) : null}
      <Errors id={errorId} errors={errors} />
    </div>
  );
}

function RequiredMark() {
  return (
    <span className="kf-insp-field__required" aria-label="required" title="required">
      {' *'}
    </span>
  );
}

function Errors(props: { id: string; errors: string[] }) {
  if (props.errors.length === 0) return null;
  return (
    <p id={props.id} className="kf-insp-field__error" role="alert">
      {props.errors.join('; ')}
    </p>
  );
}
