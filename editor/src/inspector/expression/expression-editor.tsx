// The CodeMirror 6 editor of an expression field (loaded lazily: CodeMirror is not on the first
// screen). One EditorView per field for the field's life: typing never remounts it, and a value
// coming from outside (undo, another panel) is dispatched into the same view.
import { useEffect, useRef } from 'react';
import { autocompletion, closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { Annotation, Compartment, EditorState, Prec } from '@codemirror/state';
import { EditorView, keymap, placeholder as placeholderExt } from '@codemirror/view';
import { expressionCompletionSource } from './complete-expression.ts';
import { expressionHighlight } from './expression-highlight.ts';
import type { ScopeInfo } from './expression-scope.ts';
import './expression-editor.css';

export interface ExpressionEditorProps {
  /** id of the element that labels the editor (the field's <label>). */
  labelId: string;
  describedBy?: string;
  value: string;
  onChange(value: string): void;
  multiline: boolean;
  readOnly?: boolean;
  invalid?: boolean;
  required?: boolean;
  placeholder?: string;
  scope: ScopeInfo;
}

// Marks the transactions that mirror a new value from props, so they are not echoed back.
const fromProps = Annotation.define<boolean>();

// One line: Enter does nothing and pasted newlines become spaces.
const singleLine = [
  EditorState.transactionFilter.of((tr) => {
    if (!tr.docChanged || tr.newDoc.lines === 1) return tr;
    const text = tr.newDoc.toString().replace(/\r?\n/g, ' ');
    return [{ changes: { from: 0, to: tr.startState.doc.length, insert: text }, selection: { anchor: Math.min(tr.newSelection.main.head, text.length) } }];
  }),
  // Above the default keymap (which would insert a newline); completion's own Enter is higher still.
  Prec.high(keymap.of([{ key: 'Enter', run: () => true }])),
];

function attrs(p: ExpressionEditorProps): Record<string, string> {
  const a: Record<string, string> = { 'aria-labelledby': p.labelId, 'aria-multiline': String(p.multiline) };
  if (p.describedBy) a['aria-describedby'] = p.describedBy;
  if (p.invalid) a['aria-invalid'] = 'true';
  if (p.required) a['aria-required'] = 'true';
  return a;
}

export default function ExpressionEditor(props: ExpressionEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const dynamic = useRef({ readOnly: new Compartment(), attrs: new Compartment() });

  useEffect(() => {
    const p = latest.current;
    const c = dynamic.current;
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: p.value,
        extensions: [
          history(),
          closeBrackets(),
          // autocompletion() adds its keymap (arrows, Enter, Escape) at the highest precedence.
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap]),
          autocompletion({ override: [expressionCompletionSource(() => latest.current.scope)], icons: false }),
          expressionHighlight,
          p.multiline ? EditorView.lineWrapping : singleLine,
          p.placeholder ? placeholderExt(p.placeholder) : [],
          c.readOnly.of([EditorState.readOnly.of(Boolean(p.readOnly)), EditorView.editable.of(!p.readOnly)]),
          c.attrs.of(EditorView.contentAttributes.of(attrs(p))),
          EditorView.updateListener.of((u) => {
            if (u.docChanged && !u.transactions.some((t) => t.annotation(fromProps))) latest.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
  }, []);

  // A value changed elsewhere (undo on the canvas, a reset): mirror it without losing the view.
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const current = v.state.doc.toString();
    if (current !== props.value) {
      v.dispatch({ changes: { from: 0, to: current.length, insert: props.value }, annotations: fromProps.of(true) });
    }
  }, [props.value]);

  useEffect(() => {
    view.current?.dispatch({
      effects: [
        dynamic.current.readOnly.reconfigure([EditorState.readOnly.of(Boolean(props.readOnly)), EditorView.editable.of(!props.readOnly)]),
        dynamic.current.attrs.reconfigure(EditorView.contentAttributes.of(attrs(props))),
      ],
    });
  }, [props.readOnly, props.invalid, props.required, props.labelId, props.describedBy, props.multiline]);

  return <div ref={host} className={`kf-expr-editor${props.multiline ? ' kf-expr-editor--multi' : ''}${props.invalid ? ' kf-expr-editor--invalid' : ''}`} />;
}
