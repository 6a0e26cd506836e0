// Inline markdown-ish text → Notion rich text. Notion refuses a text object over 2000
// characters and a rich-text array over 100 items, so long text is cut here rather than
// failing at the API; the cut never splits a surrogate pair.

export const RICH_TEXT_MAX_CHARS = 2000;
export const RICH_TEXT_MAX_ITEMS = 100;

export interface Annotations {
  bold?: true;
  italic?: true;
  strikethrough?: true;
  code?: true;
}

/** A rich-text item as Notion's API takes it (type text only). */
export interface RichTextItem {
  type: 'text';
  text: { content: string; link?: { url: string } };
  annotations?: Annotations;
}

interface Segment {
  content: string;
  ann: Annotations;
  link: string | undefined;
}

/** Cuts `text` into pieces of at most `max` UTF-16 units without splitting a surrogate pair. */
export function splitText(text: string, max = RICH_TEXT_MAX_CHARS): string[] {
  if (text.length <= max) return [text];
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + max, text.length);
    // A high surrogate at the cut would leave its low half for the next piece.
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    out.push(text.slice(start, end));
    start = end;
  }
  return out;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Plain text (no markdown) as rich text, cut to Notion's limits. */
export function plainRichText(text: string): RichTextItem[] {
  if (text === '') return [];
  return splitText(text).map((content) => ({ type: 'text', text: { content } }));
}

/** Only http(s) and mailto links: Notion refuses relative and other URLs in a link. */
export function isLinkableUrl(url: string): boolean {
  if (url.length > RICH_TEXT_MAX_CHARS) return false;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'mailto:';
  } catch {
    return false;
  }
}

const WORD = /[\p{L}\p{N}]/u;

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && WORD.test(ch);
}

/**
 * Finds the closing `delim` for an opening at `from`. Emphasis must hug its text
 * (`* not italic *`), and `_` only counts at word edges so snake_case stays intact.
 */
function findClosing(text: string, from: number, delim: string): number {
  for (let i = from; i < text.length; i += 1) {
    if (text[i] === '\\') {
      i += 1;
      continue;
    }
    if (text[i] === '`') {
      const close = text.indexOf('`', i + 1);
      if (close !== -1) i = close;
      continue;
    }
    if (text.startsWith(delim, i) && i > from && !/\s/.test(text[i - 1]!)) {
      if (delim.length === 1 && text[i + 1] === delim) {
        i += 1; // part of a double delimiter, not ours
        continue;
      }
      if (delim[0] === '_' && isWordChar(text[i + delim.length])) continue;
      return i;
    }
  }
  return -1;
}

const EMPHASIS: [string, keyof Annotations][] = [
  ['**', 'bold'],
  ['__', 'bold'],
  ['~~', 'strikethrough'],
  ['*', 'italic'],
  ['_', 'italic'],
];

function parseInto(text: string, ann: Annotations, link: string | undefined, out: Segment[]): void {
  let literal = '';
  const flush = () => {
    if (literal !== '') out.push({ content: literal, ann, link });
    literal = '';
  };
  let i = 0;
  outer: while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length && /[\\`*_~[\]()#>+-]/.test(text[i + 1]!)) {
      literal += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '`') {
      const close = text.indexOf('`', i + 1);
      if (close > i + 1) {
        flush();
        out.push({ content: text.slice(i + 1, close), ann: { ...ann, code: true }, link });
        i = close + 1;
        continue;
      }
    }
    if (ch === '[' && link === undefined) {
      const mid = findLinkMiddle(text, i + 1);
      if (mid !== -1) {
        const end = text.indexOf(')', mid + 2);
        const url = end === -1 ? '' : text.slice(mid + 2, end).trim();
        if (end !== -1 && isLinkableUrl(url)) {
          flush();
          parseInto(text.slice(i + 1, mid), ann, url, out);
          i = end + 1;
          continue;
        }
      }
    }
    for (const [delim, key] of EMPHASIS) {
      if (!text.startsWith(delim, i) || ann[key]) continue;
      const after = text[i + delim.length];
      if (after === undefined || /\s/.test(after)) continue;
      if (delim[0] === '_' && isWordChar(text[i - 1])) continue;
      const close = findClosing(text, i + delim.length, delim);
      if (close === -1) continue;
      flush();
      parseInto(text.slice(i + delim.length, close), { ...ann, [key]: true }, link, out);
      i = close + delim.length;
      continue outer;
    }
    literal += ch;
    i += 1;
  }
  flush();
}

/** The index of `](` closing a link text that starts at `from`, respecting nested brackets. */
function findLinkMiddle(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '\\') i += 1;
    else if (ch === '[') depth += 1;
    else if (ch === ']') {
      if (depth === 0) return text[i + 1] === '(' ? i : -1;
      depth -= 1;
    }
  }
  return -1;
}

function sameStyle(a: Segment, b: Segment): boolean {
  return a.link === b.link && !!a.ann.bold === !!b.ann.bold && !!a.ann.italic === !!b.ann.italic && !!a.ann.code === !!b.ann.code && !!a.ann.strikethrough === !!b.ann.strikethrough;
}

function toItem(content: string, seg: Segment): RichTextItem {
  const item: RichTextItem = { type: 'text', text: { content, ...(seg.link !== undefined ? { link: { url: seg.link } } : {}) } };
  if (Object.keys(seg.ann).length > 0) item.annotations = { ...seg.ann };
  return item;
}

/**
 * Parses inline markdown: **bold**, __bold__, *italic*, _italic_, ~~strike~~, `code`,
 * [text](https://…) and backslash escapes. Anything else stays literal text.
 */
export function inlineRichText(text: string): RichTextItem[] {
  const segments: Segment[] = [];
  parseInto(text, {}, undefined, segments);
  const merged: Segment[] = [];
  for (const seg of segments) {
    const last = merged[merged.length - 1];
    if (last && sameStyle(last, seg)) last.content += seg.content;
    else merged.push({ ...seg });
  }
  return merged.flatMap((seg) => splitText(seg.content).map((piece) => toItem(piece, seg)));
}

/** Concatenated text of rich-text items (request or response shape). */
export function richTextToPlain(items: readonly unknown[]): string {
  let out = '';
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    const rec = item as { plain_text?: unknown; text?: { content?: unknown } };
    if (typeof rec.plain_text === 'string') out += rec.plain_text;
    else if (typeof rec.text?.content === 'string') out += rec.text.content;
  }
  return out;
}
