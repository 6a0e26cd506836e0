import { describe, expect, it } from 'vitest';
import { inlineRichText, plainRichText, richTextToPlain, RICH_TEXT_MAX_CHARS, splitText } from './rich-text.ts';

const t = (content: string, annotations?: Record<string, true>, url?: string) => ({
  type: 'text',
  text: { content, ...(url ? { link: { url } } : {}) },
  ...(annotations ? { annotations } : {}),
});

describe('inlineRichText', () => {
  it.each([
    ['plain text', 'hello world', [t('hello world')]],
    ['bold with **', 'a **b** c', [t('a '), t('b', { bold: true }), t(' c')]],
    ['bold with __', '__b__', [t('b', { bold: true })]],
    ['italic with *', 'say *hi*', [t('say '), t('hi', { italic: true })]],
    ['italic with _', '_hi_ there', [t('hi', { italic: true }), t(' there')]],
    ['strikethrough', '~~old~~ new', [t('old', { strikethrough: true }), t(' new')]],
    ['inline code keeps its markup literal', 'run `a **b**`', [t('run '), t('a **b**', { code: true })]],
    ['a link', 'see [the docs](https://example.com/x?y=1)', [t('see '), t('the docs', undefined, 'https://example.com/x?y=1')]],
    ['bold inside a link', '[**big** link](https://e.com)', [t('big', { bold: true }, 'https://e.com'), t(' link', undefined, 'https://e.com')]],
    ['italic inside bold', '**a *b* c**', [t('a ', { bold: true }), t('b', { bold: true, italic: true }), t(' c', { bold: true })]],
    ['snake_case stays literal', 'my_var_name and x', [t('my_var_name and x')]],
    ['a lone star stays literal', '2 * 3 = 6', [t('2 * 3 = 6')]],
    ['an unclosed delimiter stays literal', '**not closed', [t('**not closed')]],
    ['escapes', '\\*not italic\\*', [t('*not italic*')]],
    ['a relative link stays text', '[x](/relative)', [t('[x](/relative)')]],
    ['a javascript: link stays text', '[x](javascript:alert(1))', [t('[x](javascript:alert(1))')]],
    ['a mailto link', '[mail](mailto:a@b.c)', [t('mail', undefined, 'mailto:a@b.c')]],
  ])('%s', (_name, input, expected) => {
    expect(inlineRichText(input)).toEqual(expected);
  });

  it('cuts text over 2000 characters into several items with the same style', () => {
    const long = 'x'.repeat(4500);
    const items = inlineRichText(`**${long}**`);
    expect(items.map((i) => i.text.content.length)).toEqual([2000, 2000, 500]);
    expect(items.every((i) => i.annotations?.bold === true)).toBe(true);
    expect(richTextToPlain(items)).toBe(long);
  });
});

describe('splitText', () => {
  it('never splits a surrogate pair', () => {
    const text = 'a'.repeat(RICH_TEXT_MAX_CHARS - 1) + '😀' + 'b';
    const parts = splitText(text);
    expect(parts[0]).toHaveLength(RICH_TEXT_MAX_CHARS - 1);
    expect(parts[1]).toBe('😀b');
    expect(parts.join('')).toBe(text);
    expect(parts.every((p) => p.length <= RICH_TEXT_MAX_CHARS)).toBe(true);
  });

  it('keeps text at exactly the limit whole', () => {
    expect(splitText('y'.repeat(2000))).toHaveLength(1);
    expect(splitText('y'.repeat(2001))).toHaveLength(2);
  });
});

describe('plainRichText', () => {
  it('does not interpret markdown and gives nothing for empty text', () => {
    expect(plainRichText('**a**')).toEqual([t('**a**')]);
    expect(plainRichText('')).toEqual([]);
  });
});
