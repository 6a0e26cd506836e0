// A string that may hold `{{ … }}`: the CodeMirror editor, loaded on first use, and the
// resolved preview under it. Until CodeMirror arrives a read-only input holds the place.
import { lazy, Suspense } from 'react';
import { useFormContext } from '../form-context.ts';
import { ExpressionPreview } from '../expression/expression-preview.tsx';
import type { ControlProps } from './field-props.ts';

const ExpressionEditor = lazy(() => import('../expression/expression-editor.tsx'));

export function ExpressionControl(p: ControlProps<string> & { multiline: boolean }) {
  const { readOnly, scope } = useFormContext();
  const value = typeof p.value === 'string' ? p.value : '';
  const previewId = `${p.id}-preview`;
  const describedBy = [p.describedBy, value.includes('{{') ? previewId : undefined].filter(Boolean).join(' ') || undefined;
  const def = p.schema['default'];
  return (
    <>
      <Suspense fallback={<input className="kf-input" readOnly value={value} aria-labelledby={p.labelId} aria-busy="true" />}>
        <ExpressionEditor
          labelId={p.labelId}
          {...(describedBy ? { describedBy } : {})}
          value={value}
          multiline={p.multiline}
          readOnly={readOnly}
          invalid={p.invalid}
          required={p.required}
          placeholder={typeof def === 'string' ? def : 'Text, or {{ an expression }}'}
          scope={scope}
          onChange={(text) => p.onChange(text === '' && !p.required ? undefined : text)}
        />
      </Suspense>
      <ExpressionPreview id={previewId} value={value} scope={scope} />
    </>
  );
}
