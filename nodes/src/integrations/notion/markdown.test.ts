import { describe, expect, it } from 'vitest';
import { chunkBlocks, codeLanguage, countBlocks, markdownToBlocks, type NotionBlock } from './markdown.ts';

const rt = (content: string, annotations?: Record<string, true>) => [{ type: 'text', text: { content }, ...(annotations ? { annotations } : {}) }];
const block = (type: string, content: string, extra: Record<string, unknown> = {}) => ({ object: 'block', type, [type]: { rich_text: rt(content), ...extra } });

describe('markdownToBlocks', () => {
  it('turns an AI-style answer into headings, paragraphs, lists, code and quotes', () => {
    const md = [
      '# Summary',
      'First line',
      'same paragraph with **bold**.',
      '',
      '## Steps',
      '- one',
      '- two',
      '1. first',
      '2) second',
      '### Code',
      '```ts',
      'const a = 1;',
      '',
      'const b = 2;',
      '```',
      '> quoted',
      '> more',
      '---',
      '- [ ] open task',
      '- [x] done task',
      '#### deep heading',
    ].join('\n');
    expect(markdownToBlocks(md)).toEqual([
      block('heading_1', 'Summary'),
      { object: 'block', type: 'paragraph', paragraph: { rich_text: [...rt('First line\nsame paragraph with '), ...rt('bold', { bold: true }), ...rt('.')] } },
      block('heading_2', 'Steps'),
      block('bulleted_list_item', 'one'),
      block('bulleted_list_item', 'two'),
      block('numbered_list_item', 'first'),
      block('numbered_list_item', 'second'),
      block('heading_3', 'Code'),
      { object: 'block', type: 'code', code: { rich_text: rt('const a = 1;\n\nconst b = 2;'), language: 'typescript' } },
      block('quote', 'quoted\nmore'),
      { object: 'block', type: 'divider', divider: {} },
      block('to_do', 'open task', { checked: false }),
      block('to_do', 'done task', { checked: true }),
      block('heading_3', 'deep heading'),
    ]);
  });

  it('nests indented list items as children, at most two levels deep', () => {
    const blocks = markdownToBlocks(['- a', '  - b', '    - c', '      - d', '- e'].join('\n'));
    expect(blocks).toEqual([
      {
        object: 'block',
        type: 'bulleted_list_item',
        bulleted_list_item: {
          rich_text: rt('a'),
          children: [{ object: 'block', type: 'bulleted_list_item', bulleted_list_item: { rich_text: rt('b'), children: [block('bulleted_list_item', 'c'), block('bulleted_list_item', 'd')] } }],
        },
      },
      block('bulleted_list_item', 'e'),
    ]);
    expect(countBlocks(blocks)).toBe(5);
  });

  it('keeps a trailing # that is part of the heading text', () => {
    expect(markdownToBlocks('# Learn C#\n## Closed ##')).toEqual([block('heading_1', 'Learn C#'), block('heading_2', 'Closed')]);
  });

  it('gives no blocks for blank text and keeps an unclosed fence as code to the end', () => {
    expect(markdownToBlocks('  \n\n')).toEqual([]);
    expect(markdownToBlocks('```\nx\ny')).toEqual([{ object: 'block', type: 'code', code: { rich_text: rt('x\ny'), language: 'plain text' } }]);
  });

  it('splits a paragraph over 100 rich-text items into several paragraphs', () => {
    const text = 'z'.repeat(2000 * 150);
    const blocks = markdownToBlocks(text) as (NotionBlock & { paragraph: { rich_text: unknown[] } })[];
    expect(blocks.map((b) => b.paragraph.rich_text.length)).toEqual([100, 50]);
  });

  it('maps code languages to Notion names', () => {
    expect(codeLanguage('py')).toBe('python');
    expect(codeLanguage('JS extra')).toBe('javascript');
    expect(codeLanguage('brainfuck')).toBe('plain text');
  });
});

describe('chunkBlocks', () => {
  it('cuts 250 blocks into requests of 100, 100 and 50', () => {
    const blocks = markdownToBlocks(Array.from({ length: 250 }, (_, i) => `- item ${i}`).join('\n'));
    expect(chunkBlocks(blocks).map((c) => c.length)).toEqual([100, 100, 50]);
  });

  it('keeps each request under 1000 blocks counting children', () => {
    const nested = markdownToBlocks(Array.from({ length: 60 }, (_, i) => `- p${i}\n` + Array.from({ length: 20 }, (_, j) => `  - c${j}`).join('\n')).join('\n'));
    const chunks = chunkBlocks(nested);
    expect(chunks.every((c) => countBlocks(c) <= 1000)).toBe(true);
    expect(chunks.flat()).toHaveLength(60);
    expect(chunks.length).toBe(2);
  });
});
