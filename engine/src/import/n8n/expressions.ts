// n8n expressions → ours. An n8n parameter is an expression when its text starts with '=';
// each `{{ … }}` inside is JavaScript over n8n's data proxies. We rewrite the data accesses
// we can name exactly ($json, $input.item.json, $('Node').item.json, $node["Node"].json,
// $execution.id, $workflow.id) and keep a segment only if the result parses in our language
// with nothing but our roots; anything else (arrow functions, Luxon, $env…) is kept as n8n
// wrote it and counted, so the report says how much needs a hand.
import { findTemplateErrors } from '../../expr/index.ts';

export interface ExpressionScope {
  /** n8n node name → what its `.json` is in ours (`$node["id"].output`, or `.output.body` for HTTP). */
  refOf(name: string): string | undefined;
  /** What `$json` means for the node being translated: its single predecessor's output, a loop item, or the trigger payload. */
  current: string;
}

export interface ExpressionCounts {
  translated: number;
  kept: number;
}

const OPEN = '{{';
/** A plain path ($node["x"].output.a[0]) needs no parentheses as an operand. */
const SIMPLE_PATH = /^\$[A-Za-z_]+(?:\[(?:"[^"]*"|\d+)\]|\??\.[A-Za-z_$][\w$]*)*$/;
const CLOSE = '}}';

function quoted(inner: string): string {
  return inner.replace(/\\(['"\\])/g, '$1');
}

/** Rewrites one n8n JavaScript segment; undefined when the result is not an expression of ours. */
export function translateSegment(js: string, scope: ExpressionScope): string | undefined {
  let unknownNode = false;
  const ref = (name: string): string => {
    const found = scope.refOf(name);
    if (found === undefined) {
      unknownNode = true;
      return '$node["?"].output';
    }
    return found;
  };
  let out = js
    // $('Name').item.json / .first().json / .last().json / .all()[0].json
    .replace(/\$\(\s*(['"])((?:\\.|(?!\1)[^\\])*)\1\s*\)\s*\.\s*(?:item|first\(\s*\)|last\(\s*\)|all\(\s*\)\s*\[\s*0\s*\])\s*\.\s*json\b/g, (_m, _q, name: string) => ref(quoted(name)))
    // $node["Name"].json and $node['Name'].json (also behind n8n's legacy $item("0") prefix)
    .replace(/\$item\(\s*['"]?\d+['"]?\s*\)\s*\.\s*(?=\$node)/g, '')
    .replace(/\$node\s*\[\s*(['"])((?:\\.|(?!\1)[^\\])*)\1\s*\]\s*\.\s*json\b/g, (_m, _q, name: string) => ref(quoted(name)))
    // $node.Name.json (an identifier-like name)
    .replace(/\$node\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*json\b/g, (_m, name: string) => ref(name))
    .replace(/\$input\s*\.\s*(?:item|first\(\s*\)|last\(\s*\)|all\(\s*\)\s*\[\s*0\s*\])\s*\.\s*json\b/g, () => scope.current)
    .replace(/\$json(?![A-Za-z0-9_$])/g, () => scope.current)
    .replace(/\$execution\s*\.\s*id\b/g, '$run.id')
    .replace(/\$workflow\s*\.\s*id\b/g, '$run.workflowId')
    // Same meaning in ours: json(x) is JSON text (arity is checked below), $now is an ISO string.
    .replace(/\bJSON\s*\.\s*stringify\s*\(/g, 'json(')
    .replace(/\$now\s*\.\s*toISO\s*\(\s*\)/g, '$now')
    .replace(/\.\s*substring\s*\(/g, '.slice(')
    // Boolean(x) of a plain operand (no calls inside): our ! is JavaScript's truthiness.
    .replace(/(?<![\w$.])Boolean\s*\(([^()]*)\)/g, (_m, inner: string) => `!!(${inner.trim()})`);
  if (unknownNode) return undefined;
  out = out.trim();
  if (out === '' || out.includes(OPEN) || out.includes(CLOSE)) return undefined;
  const candidate = `{{ ${out} }}`;
  if (findTemplateErrors(candidate).length > 0) return undefined;
  return out;
}

/** Our template for a literal n8n text: `{{` would open an expression of ours, so it is written as one. */
export function literalText(text: string): string {
  return text.includes(OPEN) ? text.split(OPEN).join(`${OPEN} "${OPEN}" ${CLOSE}`) : text;
}

/** Splits n8n expression text into literal runs and `{{ … }}` segments (n8n closes at the first `}}`). */
function segments(body: string): ({ text: string } | { js: string; raw: string })[] {
  const parts: ({ text: string } | { js: string; raw: string })[] = [];
  let at = 0;
  while (at < body.length) {
    const open = body.indexOf(OPEN, at);
    const close = open < 0 ? -1 : body.indexOf(CLOSE, open + OPEN.length);
    if (open < 0 || close < 0) {
      parts.push({ text: body.slice(at) });
      break;
    }
    if (open > at) parts.push({ text: body.slice(at, open) });
    parts.push({ js: body.slice(open + OPEN.length, close), raw: body.slice(open, close + CLOSE.length) });
    at = close + CLOSE.length;
  }
  return parts;
}

/** One n8n parameter string → ours, counting segments translated and kept. */
export function translateString(value: string, scope: ExpressionScope, counts: ExpressionCounts): string {
  if (!value.startsWith('=')) return literalText(value);
  return segments(value.slice(1))
    .map((part) => {
      if ('text' in part) return literalText(part.text);
      const t = translateSegment(part.js, scope);
      if (t === undefined) {
        counts.kept++;
        return part.raw;
      }
      counts.translated++;
      return `${OPEN} ${t} ${CLOSE}`;
    })
    .join('');
}

/**
 * An n8n operand as one expression of ours (for conditions): a single `={{ … }}` segment,
 * or a literal. Undefined when it mixes text and expressions or does not translate.
 */
export function operandExpression(value: unknown, scope: ExpressionScope, counts: ExpressionCounts, as: 'string' | 'number' | 'boolean' | 'any' = 'any'): string | undefined {
  if (typeof value === 'string' && value.startsWith('=')) {
    const parts = segments(value.slice(1)).filter((p) => !('text' in p) || p.text.trim() !== '');
    if (parts.length === 0) return JSON.stringify('');
    if (parts.length === 1 && 'text' in parts[0]!) return literalOperand(parts[0].text, as);
    if (parts.length !== 1) {
      counts.kept++;
      return undefined;
    }
    const t = translateSegment((parts[0] as { js: string }).js, scope);
    if (t === undefined) {
      counts.kept++;
      return undefined;
    }
    counts.translated++;
    return SIMPLE_PATH.test(t) ? t : `(${t})`;
  }
  return literalOperand(value, as);
}

function literalOperand(value: unknown, as: 'string' | 'number' | 'boolean' | 'any'): string {
  if (value === undefined || value === null || value === '') return as === 'string' ? '""' : 'null';
  if (as === 'number' && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return String(Number(value));
  if (as === 'boolean' && typeof value === 'string' && (value === 'true' || value === 'false')) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return JSON.stringify(typeof value === 'string' ? value : JSON.stringify(value));
}

/** Translates every string in a parameter value (objects and arrays walked; keys kept). */
export function translateDeep(value: unknown, scope: ExpressionScope, counts: ExpressionCounts): unknown {
  if (typeof value === 'string') return translateString(value, scope, counts);
  if (Array.isArray(value)) return value.map((v) => translateDeep(v, scope, counts));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: translateDeep(v, scope, counts), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}
