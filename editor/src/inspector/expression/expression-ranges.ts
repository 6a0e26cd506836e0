// Where the `{{ … }}` parts of a template are, for highlighting: the same closing rule as the
// engine's templates (`}}` closes only outside strings), kept simple — braces inside an
// expression's object literals are rare in fields and only shift the colour, never the value.

export interface ExpressionRange {
  /** Offset of `{{`. */
  from: number;
  /** Offset after `}}`, or the text's end when the expression is not closed yet. */
  to: number;
  closed: boolean;
}

export function expressionRanges(text: string): ExpressionRange[] {
  const out: ExpressionRange[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) break;
    let j = open + 2;
    let quote: string | null = null;
    let closed = false;
    for (; j < text.length; j++) {
      const c = text[j];
      if (quote) {
        if (c === '\\') j++;
        else if (c === quote) quote = null;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '}' && text[j + 1] === '}') {
        closed = true;
        j += 2;
        break;
      }
    }
    const to = Math.min(j, text.length);
    out.push({ from: open, to, closed });
    i = to;
  }
  return out;
}

/** `$trigger`, `$node`, … inside one expression range: offsets of each root identifier. */
export function rootRanges(text: string, range: ExpressionRange): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  const body = text.slice(range.from, range.to);
  for (const m of body.matchAll(/\$[A-Za-z_]\w*/g)) out.push({ from: range.from + m.index, to: range.from + m.index + m[0].length });
  return out;
}
