// n8n's JSON parameters (Set in JSON mode, HTTP Request's JSON query and headers) are text that
// may hold `{{ … }}` segments, inside strings or as whole values, and a trailing comma n8n
// forgives. The segments are masked, the text parsed as JSON, and the segments put back into
// the strings as n8n wrote them, for the expression translator.

const OPEN = '{{';
const CLOSE = '}}';
const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
const TOKEN = /\uE000(\d+)\uE001/g;

/** Segments masked by private-use marks; undefined when the text already holds those marks. */
function mask(body: string): { masked: string; segments: string[] } | undefined {
  if (body.includes(MARK_OPEN) || body.includes(MARK_CLOSE)) return undefined;
  const segments: string[] = [];
  let masked = '';
  let at = 0;
  for (;;) {
    const open = body.indexOf(OPEN, at);
    const close = open < 0 ? -1 : body.indexOf(CLOSE, open + OPEN.length);
    if (open < 0 || close < 0) {
      masked += body.slice(at);
      break;
    }
    masked += `${body.slice(at, open)}${MARK_OPEN}${segments.length}${MARK_CLOSE}`;
    segments.push(body.slice(open, close + CLOSE.length));
    at = close + CLOSE.length;
  }
  return { masked, segments };
}

/** Quotes the tokens that stand for whole values and drops trailing commas, outside strings. */
function normalise(masked: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < masked.length; i++) {
    const ch = masked[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') out += masked[++i] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    if (ch === MARK_OPEN) {
      const end = masked.indexOf(MARK_CLOSE, i);
      out += `"${masked.slice(i, end + 1)}"`;
      i = end;
      continue;
    }
    if (ch === ',' && /^\s*[}\]]/.test(masked.slice(i + 1, i + 200))) continue;
    out += ch;
  }
  return out;
}

function restore(value: unknown, segments: string[]): unknown {
  if (typeof value === 'string') return value.replace(TOKEN, (_m, i: string) => segments[Number(i)] ?? '');
  if (Array.isArray(value)) return value.map((v) => restore(v, segments));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k.replace(TOKEN, (_m, i: string) => segments[Number(i)] ?? ''), { value: restore(v, segments), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/**
 * The JSON value of n8n expression text (the part after `=`): strings hold the `{{ … }}` segments
 * as written; a segment standing for a whole value becomes a string that is just that segment.
 * Undefined when the text is not JSON even so.
 */
export function parseTemplatedJson(body: string): { value: unknown } | undefined {
  const m = mask(body);
  if (!m) return undefined;
  try {
    return { value: restore(JSON.parse(normalise(m.masked)), m.segments) };
  } catch {
    return undefined;
  }
}
