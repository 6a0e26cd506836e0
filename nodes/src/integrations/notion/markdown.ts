// Markdown-ish text → Notion blocks, for the common cases an AI answer uses: paragraphs,
// headings 1–3, bulleted/numbered/to-do lists (nested by indentation), quotes, dividers and
// fenced code. Unknown syntax stays readable as paragraph text rather than being dropped.
import { inlineRichText, plainRichText, RICH_TEXT_MAX_ITEMS, type RichTextItem } from './rich-text.ts';

/** Notion takes at most 100 children per request, and nests at most two levels per request. */
export const BLOCKS_PER_REQUEST = 100;
export const MAX_NESTING = 2;

type TextBlockType = 'paragraph' | 'heading_1' | 'heading_2' | 'heading_3' | 'bulleted_list_item' | 'numbered_list_item' | 'quote' | 'to_do';

export type NotionBlock =
  | { object: 'block'; type: 'divider'; divider: Record<string, never> }
  | { object: 'block'; type: 'code'; code: { rich_text: RichTextItem[]; language: string } }
  | ({ object: 'block'; type: TextBlockType } & { [K in TextBlockType]?: { rich_text: RichTextItem[]; checked?: boolean; children?: NotionBlock[] } });

/** Languages Notion's code block accepts that people write after ```, with common aliases. */
const LANGUAGES: Record<string, string> = {
  bash: 'bash', sh: 'shell', shell: 'shell', zsh: 'shell', c: 'c', cpp: 'c++', 'c++': 'c++', csharp: 'c#', cs: 'c#', 'c#': 'c#',
  css: 'css', diff: 'diff', docker: 'docker', dockerfile: 'docker', go: 'go', graphql: 'graphql', html: 'html', java: 'java',
  javascript: 'javascript', js: 'javascript', jsx: 'javascript', json: 'json', kotlin: 'kotlin', markdown: 'markdown', md: 'markdown',
  php: 'php', python: 'python', py: 'python', ruby: 'ruby', rb: 'ruby', rust: 'rust', rs: 'rust', scala: 'scala', sql: 'sql',
  swift: 'swift', typescript: 'typescript', ts: 'typescript', tsx: 'typescript', xml: 'xml', yaml: 'yaml', yml: 'yaml',
  text: 'plain text', txt: 'plain text', plaintext: 'plain text', mermaid: 'mermaid', powershell: 'powershell', r: 'r',
};

export function codeLanguage(info: string): string {
  return LANGUAGES[info.trim().split(/\s+/)[0]!.toLowerCase()] ?? 'plain text';
}

function textBlock(type: TextBlockType, richText: RichTextItem[], extra: { checked?: boolean } = {}): NotionBlock {
  return { object: 'block', type, [type]: { rich_text: richText, ...extra } } as NotionBlock;
}

/** One logical block may need several Notion blocks when its text has over 100 rich-text items. */
function textBlocks(type: TextBlockType, richText: RichTextItem[], extra: { checked?: boolean } = {}): NotionBlock[] {
  if (richText.length <= RICH_TEXT_MAX_ITEMS) return [textBlock(type, richText, extra)];
  const out: NotionBlock[] = [];
  for (let i = 0; i < richText.length; i += RICH_TEXT_MAX_ITEMS) out.push(textBlock(type, richText.slice(i, i + RICH_TEXT_MAX_ITEMS), extra));
  return out;
}

function codeBlocks(code: string, language: string): NotionBlock[] {
  const rich = plainRichText(code);
  const out: NotionBlock[] = [];
  for (let i = 0; i === 0 || i < rich.length; i += RICH_TEXT_MAX_ITEMS) out.push({ object: 'block', type: 'code', code: { rich_text: rich.slice(i, i + RICH_TEXT_MAX_ITEMS), language } });
  return out;
}

// A closing run of #s counts only after a space, so "# Learn C#" keeps its C#.
const HEADING = /^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const BULLET = /^(\s*)[-*+]\s+(.*)$/;
const NUMBERED = /^(\s*)\d{1,9}[.)]\s+(.*)$/;
const TODO = /^\[([ xX])\]\s+(.*)$/;
const FENCE = /^\s*(```+|~~~+)(.*)$/;
const DIVIDER = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;

type BlockBody = { rich_text: RichTextItem[]; children?: NotionBlock[] };

/** The type-named body of a block (`block.paragraph` for a paragraph). */
function bodyOf(block: NotionBlock): BlockBody | undefined {
  return (block as unknown as Record<string, BlockBody | undefined>)[block.type];
}

interface ListFrame {
  indent: number;
  block: NotionBlock;
}

/** Converts markdown-ish text to blocks. An empty or blank text gives no blocks. */
export function markdownToBlocks(markdown: string): NotionBlock[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: NotionBlock[] = [];
  let paragraph: string[] = [];
  let quote: string[] = [];
  let lists: ListFrame[] = [];

  const flushParagraph = () => {
    if (paragraph.length > 0) out.push(...textBlocks('paragraph', inlineRichText(paragraph.join('\n'))));
    paragraph = [];
  };
  const flushQuote = () => {
    if (quote.length > 0) out.push(...textBlocks('quote', inlineRichText(quote.join('\n'))));
    quote = [];
  };
  const flushAll = () => {
    flushParagraph();
    flushQuote();
    lists = [];
  };

  for (let n = 0; n < lines.length; n += 1) {
    const line = lines[n]!;
    const fence = FENCE.exec(line);
    if (fence) {
      flushAll();
      const marker = fence[1]!;
      const body: string[] = [];
      n += 1;
      while (n < lines.length && !lines[n]!.trimStart().startsWith(marker)) body.push(lines[n++]!);
      out.push(...codeBlocks(body.join('\n'), codeLanguage(fence[2] ?? '')));
      continue;
    }
    if (line.trim() === '') {
      flushAll();
      continue;
    }
    const item = BULLET.exec(line) ?? NUMBERED.exec(line);
    if (item && !DIVIDER.test(line)) {
      flushParagraph();
      flushQuote();
      const indent = item[1]!.replace(/\t/g, '    ').length;
      let type: TextBlockType = BULLET.test(line) ? 'bulleted_list_item' : 'numbered_list_item';
      let text = item[2]!;
      const todo = type === 'bulleted_list_item' ? TODO.exec(text) : null;
      let extra: { checked?: boolean } = {};
      if (todo) {
        type = 'to_do';
        text = todo[2]!;
        extra = { checked: todo[1] !== ' ' };
      }
      const [block] = textBlocks(type, inlineRichText(text), extra);
      while (lists.length > 0 && lists[lists.length - 1]!.indent >= indent) lists.pop();
      const parent = lists[lists.length - 1];
      // Deeper than Notion nests in one request: keep the item at the deepest allowed level.
      if (parent && lists.length <= MAX_NESTING) {
        const body = bodyOf(parent.block)!;
        (body.children ??= []).push(block!);
        lists.push({ indent, block: block! });
      } else if (parent) {
        const holder = lists[lists.length - 2]?.block ?? parent.block;
        const body = bodyOf(holder)!;
        (body.children ??= []).push(block!);
      } else {
        out.push(block!);
        lists = [{ indent, block: block! }];
      }
      continue;
    }
    if (lists.length > 0 && /^\s+\S/.test(line)) {
      // A continuation line of the last list item.
      const last = lists[lists.length - 1]!.block;
      const body = bodyOf(last)!;
      body.rich_text = [...body.rich_text, ...inlineRichText('\n' + line.trim())];
      continue;
    }
    lists = [];
    if (DIVIDER.test(line)) {
      flushParagraph();
      flushQuote();
      out.push({ object: 'block', type: 'divider', divider: {} });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flushParagraph();
      flushQuote();
      const level = Math.min(heading[1]!.length, 3) as 1 | 2 | 3;
      out.push(...textBlocks(`heading_${level}`, inlineRichText(heading[2]!)));
      continue;
    }
    const q = QUOTE.exec(line);
    if (q) {
      flushParagraph();
      quote.push(q[1]!);
      continue;
    }
    flushQuote();
    paragraph.push(line.trim());
  }
  flushAll();
  return out;
}

/** Blocks counted with their nested children (Notion caps a request at 1000 in all). */
export function countBlocks(blocks: readonly NotionBlock[]): number {
  let n = 0;
  for (const b of blocks) {
    n += 1;
    const body = bodyOf(b);
    if (body && Array.isArray(body.children)) n += countBlocks(body.children);
  }
  return n;
}

/** Splits top-level blocks into requests of at most 100 children and 1000 blocks in all. */
export function chunkBlocks(blocks: readonly NotionBlock[], perRequest = BLOCKS_PER_REQUEST, totalPerRequest = 1000): NotionBlock[][] {
  const chunks: NotionBlock[][] = [];
  let current: NotionBlock[] = [];
  let total = 0;
  for (const block of blocks) {
    const size = countBlocks([block]);
    if (current.length > 0 && (current.length >= perRequest || total + size > totalPerRequest)) {
      chunks.push(current);
      current = [];
      total = 0;
    }
    current.push(block);
    total += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
