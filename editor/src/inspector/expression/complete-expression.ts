// Autocomplete inside `{{ … }}`: roots ($trigger, $node, $run), upstream node ids after
// `$node[`, `output` after `$node["id"].`, and fields from output schemas and last-run data
// after any `.`. Outside an expression nothing is offered, so plain text stays plain.
import type { Completion, CompletionContext, CompletionResult, CompletionSource } from '@codemirror/autocomplete';
import { childShape, fieldsOf, nodeShape, preview, ROOTS, rootShape, type ScopeInfo, type Shape } from './expression-scope.ts';

/** Offset of the `{{` that opens the expression around `pos`, or -1 when `pos` is in plain text. */
export function openExpressionAt(text: string, pos: number): number {
  let open = -1;
  let quote: string | null = null;
  for (let i = 0; i < pos; i++) {
    const c = text[i];
    if (open < 0) {
      if (c === '{' && text[i + 1] === '{') {
        open = i;
        i++;
      }
      continue;
    }
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}' && text[i + 1] === '}' && i + 1 < pos) {
      open = -1;
      i++;
    }
  }
  return open;
}

// A member chain ending at the cursor: $root, then .name / ["key"] / [0], then what is being typed.
const CHAIN = /\$[A-Za-z_]*(?:\.[A-Za-z_$][\w$]*|\[\s*(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\d+)\s*\])*(?:\.[\w$]*|\[\s*["']?[^\]"']*)?$/;
const SEGMENT = /\.([A-Za-z_$][\w$]*)|\[\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(\d+))\s*\]/y;
const IDENT = /^[A-Za-z_$][\w$]*$/;

export interface ExpressionCompletions {
  from: number;
  options: Completion[];
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

function fieldOptions(shape: Shape, dotted: boolean): Completion[] {
  return fieldsOf(shape).map((f) => ({
    label: f.name,
    // A key that is not an identifier needs brackets (and replaces the dot).
    apply: IDENT.test(f.name) ? f.name : `["${f.name.replace(/["\\]/g, '\\$&')}"]`,
    detail: f.type,
    ...(f.sample !== undefined ? { info: `last run: ${f.sample}` } : {}),
    type: 'property',
    ...(dotted && !IDENT.test(f.name) ? { boost: -1 } : {}),
  }));
}

/** What to offer at `pos` in `text` (a field's whole value), or null outside `{{ … }}`. */
export function expressionCompletions(text: string, pos: number, info: ScopeInfo): ExpressionCompletions | null {
  const open = openExpressionAt(text, pos);
  if (open < 0) return null;
  const before = text.slice(open + 2, pos);
  const m = CHAIN.exec(before);
  const base = open + 2;
  if (!m) {
    // At the start of a word (or nothing typed): offer the roots.
    const word = /[A-Za-z_]*$/.exec(before)?.[0] ?? '';
    return { from: pos - word.length, options: rootOptions(info) };
  }
  const chain = m[0];
  const start = base + m.index;
  const root = /^\$[A-Za-z_]*/.exec(chain)![0];
  let rest = chain.slice(root.length);
  if (rest === '') return { from: start, options: rootOptions(info) };

  // Walk the complete segments; what is left is the partial one being typed.
  const keys: string[] = [];
  SEGMENT.lastIndex = 0;
  let consumed = 0;
  let lastDotAt = -1;
  for (;;) {
    SEGMENT.lastIndex = consumed;
    const s = SEGMENT.exec(rest);
    if (!s || s.index !== consumed) break;
    lastDotAt = s[1] !== undefined ? consumed : -1;
    keys.push(s[1] ?? (s[2] !== undefined ? unescape(s[2]) : s[3] !== undefined ? unescape(s[3]) : s[4]!));
    consumed = SEGMENT.lastIndex;
  }
  // A trailing `.name` is the word being typed, not a step to walk.
  if (consumed === rest.length && lastDotAt >= 0) {
    keys.pop();
    consumed = lastDotAt;
  }
  const partial = rest.slice(consumed);
  rest = rest.slice(0, consumed);
  const partialFrom = pos - partial.length;

  if (root === '$node') {
    if (keys.length === 0) {
      if (!partial.startsWith('[') && partial !== '.') return null;
      return { from: partialFrom, options: nodeOptions(info) };
    }
    const shape = nodeShape(keys[0]!, info);
    if (!shape) return null;
    return completeFields(walk(shape, keys.slice(1)), partial, partialFrom);
  }
  const shape = rootShape(root, info);
  if (!shape) return null;
  return completeFields(walk(shape, keys), partial, partialFrom);
}

function walk(shape: Shape, keys: string[]): Shape {
  return keys.reduce((s, k) => childShape(s, k), shape);
}

function completeFields(shape: Shape, partial: string, partialFrom: number): ExpressionCompletions | null {
  if (!partial.startsWith('.')) return null;
  const options = fieldOptions(shape, true).map((o) =>
    // A bracketed key replaces the dot as well.
    typeof o.apply === 'string' && o.apply.startsWith('[') ? { ...o, apply: bracketApply(o.apply, partialFrom) } : o,
  );
  if (options.length === 0) return null;
  return { from: partialFrom + 1, options };
}

// Completion.apply as a function, so `.` + `["a b"]` becomes `["a b"]` without the dot.
function bracketApply(text: string, dotAt: number): Completion['apply'] {
  return (view, _completion, _from, to) => {
    view.dispatch({ changes: { from: dotAt, to, insert: text }, selection: { anchor: dotAt + text.length } });
  };
}

function rootOptions(info: ScopeInfo): Completion[] {
  return ROOTS.map((r) => {
    const shape = rootShape(r.name, info);
    return {
      label: r.name,
      detail: r.detail,
      type: 'variable',
      ...(shape?.hasSample ? { info: `last run: ${preview(shape.sample)}` } : {}),
    };
  });
}

function nodeOptions(info: ScopeInfo): Completion[] {
  return info.upstream.map((n, i) => ({
    label: `["${n.id}"]`,
    apply: `["${n.id}"].output`,
    detail: n.name ?? n.descriptor?.title ?? n.type,
    type: 'variable',
    // Nearest first, as the canvas lists them.
    boost: -i,
  }));
}

/** The CodeMirror source over the field's whole document; `info` is read at each request. */
export function expressionCompletionSource(info: () => ScopeInfo): CompletionSource {
  return (context: CompletionContext): CompletionResult | null => {
    const text = context.state.doc.toString();
    const found = expressionCompletions(text, context.pos, info());
    if (!found) return null;
    // Typed "{{ " with nothing yet: offer only when asked (Ctrl+Space) or right after "{{".
    if (found.from === context.pos && !context.explicit && !/(\{\{\s*|\[|\.)$/.test(text.slice(0, context.pos))) return null;
    return { from: found.from, options: found.options, validFor: /^[\w$]*$/ };
  };
}
