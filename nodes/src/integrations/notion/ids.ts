// Notion ids are UUIDs, shown with or without dashes, often at the end of a notion.so URL.

const HEX32 = /^[0-9a-f]{32}$/i;

function dashed(hex: string): string {
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The dashed lower-case form of a Notion id given as a UUID, 32 hex digits, or an https URL
 * whose last path segment ends in one (`…/My-Page-0123…cdef?v=…`); undefined otherwise.
 */
export function normalizeNotionId(input: string): string | undefined {
  const text = input.trim();
  const compact = text.replace(/-/g, '');
  if (HEX32.test(compact) && /^[0-9a-f-]+$/i.test(text)) return dashed(compact);
  if (!text.startsWith('https://') || !URL.canParse(text)) return undefined;
  const last = new URL(text).pathname.split('/').pop() ?? '';
  const tail = last.replace(/-/g, '').slice(-32);
  return HEX32.test(tail) ? dashed(tail) : undefined;
}
