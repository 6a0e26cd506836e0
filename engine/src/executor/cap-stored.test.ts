import { describe, expect, it } from 'vitest';
import { capStored, capText, isTruncated, PREVIEW_CHARS } from './cap-stored.ts';

describe('capStored', () => {
  it('keeps a value that fits, and replaces one that does not with a marker of its size', () => {
    expect(capStored({ a: 'x'.repeat(10) }, 100)).toEqual({ a: 'x'.repeat(10) });
    const marker = capStored({ a: 'é'.repeat(2_000) }, 1_000);
    expect(isTruncated(marker)).toBe(true);
    expect(marker).toEqual({ $truncated: true, bytes: Buffer.byteLength(JSON.stringify({ a: 'é'.repeat(2_000) })), preview: `{"a":"${'é'.repeat(PREVIEW_CHARS - 6)}` });
    expect(capStored(undefined, 10)).toBeUndefined();
  });

  it('never ends a preview or a cut text inside a surrogate pair', () => {
    const emoji = `${'x'.repeat(PREVIEW_CHARS - 3)}😀😀`;
    const marker = capStored([emoji], 10) as { preview: string };
    expect(marker.preview).toBe(`["${'x'.repeat(PREVIEW_CHARS - 3)}`);
    expect(capText('ab😀', 3)).toBe('ab… (truncated, 6 bytes)');
  });
});
