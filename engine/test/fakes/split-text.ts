/** Splits text into a few pieces, the way a provider streams it; joined, they give the text back. */
export function splitText(text: string, pieces = 3): string[] {
  if (text.length <= 1) return [text];
  const size = Math.ceil(text.length / pieces);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
