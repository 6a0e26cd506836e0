// How a node type looks: a category colour and a short glyph (text, so nothing can inject markup).
export const CATEGORY_LABELS: Record<string, string> = { trigger: 'Triggers', core: 'Core', ai: 'AI', integration: 'Integrations' };
export const CATEGORY_ORDER = ['trigger', 'core', 'ai', 'integration'];

/** Integration services by credential provider: the palette groups their nodes under these. */
export const SERVICE_TITLES: Record<string, string> = { google: 'Google', slack: 'Slack', notion: 'Notion', trello: 'Trello', asana: 'Asana' };

/** The service a node belongs to in the palette (its credential's provider), for integration nodes. */
export function serviceOf(d: { category?: string; credential?: { provider: string } | null }): string | undefined {
  return d.category === 'integration' ? d.credential?.provider : undefined;
}

const GLYPHS: Record<string, string> = {
  'core.webhook': '⇲',
  'core.schedule': '◴',
  'core.manual': '▶',
  'core.form': '☑',
  'core.chat': '✉',
  'core.transform': '✎',
  'core.condition': '◇',
  'core.switch': '☰',
  'core.merge': '⋈',
  'core.loop': '↻',
  'core.delay': '◔',
  'core.respond': '↩',
  'core.http': '⇄',
  'core.code': '{}',
  'ai.complete': '✦',
};

export function glyphOf(type: string): string {
  return GLYPHS[type] ?? (type.split('.')[0]?.slice(0, 2).toUpperCase() || '•');
}

export function categoryClass(category: string | undefined): string {
  return `kf-cat-${category && CATEGORY_ORDER.includes(category) ? category : 'other'}`;
}
