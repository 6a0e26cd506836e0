// Decorations for the `{{ … }}` parts of a field: the expression, its delimiters and its
// `$roots` get classes (styled in expression-editor.css), recomputed when the text changes.
import { StateField, type EditorState, type Range } from '@codemirror/state';
import { Decoration, EditorView, type DecorationSet } from '@codemirror/view';
import { expressionRanges, rootRanges } from './expression-ranges.ts';

const expr = Decoration.mark({ class: 'kf-expr' });
const delim = Decoration.mark({ class: 'kf-expr-delim' });
const root = Decoration.mark({ class: 'kf-expr-root' });
const unclosed = Decoration.mark({ class: 'kf-expr kf-expr-open' });

function build(state: EditorState): DecorationSet {
  const text = state.doc.toString();
  const marks: Range<Decoration>[] = [];
  for (const r of expressionRanges(text)) {
    if (r.to <= r.from) continue;
    marks.push((r.closed ? expr : unclosed).range(r.from, r.to));
    marks.push(delim.range(r.from, r.from + 2));
    for (const x of rootRanges(text, r)) marks.push(root.range(x.from, x.to));
    if (r.closed) marks.push(delim.range(r.to - 2, r.to));
  }
  return Decoration.set(marks, true);
}

export const expressionHighlight = StateField.define<DecorationSet>({
  create: build,
  update: (value, tr) => (tr.docChanged ? build(tr.state) : value),
  provide: (field) => EditorView.decorations.from(field),
});
