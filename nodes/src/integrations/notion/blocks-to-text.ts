// Notion blocks → markdown-ish text (the inverse of markdown.ts for the common blocks), so a
// page's content can feed an AI prompt or a message.
import { richTextToPlain } from './rich-text.ts';

const PREFIX: Record<string, string> = { heading_1: '# ', heading_2: '## ', heading_3: '### ', bulleted_list_item: '- ', numbered_list_item: '1. ', quote: '> ' };

export function blocksToText(blocks: readonly unknown[]): string {
  const lines: string[] = [];
  for (const raw of blocks) {
    if (typeof raw !== 'object' || raw === null) continue;
    const block = raw as { type?: string } & Record<string, unknown>;
    const type = block.type ?? '';
    const body = block[type] as { rich_text?: unknown[]; checked?: boolean; language?: string } | undefined;
    if (type === 'divider') lines.push('---');
    else if (type === 'code') lines.push('```' + (body?.language && body.language !== 'plain text' ? body.language : ''), richTextToPlain(body?.rich_text ?? []), '```');
    else if (type === 'to_do') lines.push(`- [${body?.checked ? 'x' : ' '}] ${richTextToPlain(body?.rich_text ?? [])}`);
    else if (body && Array.isArray(body.rich_text)) lines.push((PREFIX[type] ?? '') + richTextToPlain(body.rich_text));
  }
  return lines.join('\n');
}
