// Notion's fixed facts, apart from its nodes (so the client can use them without a cycle).
export const notionSpec = {
  service: 'notion',
  title: 'Notion',
  defaultBaseUrl: 'https://api.notion.com',
  apiHosts: ['api.notion.com'] as readonly string[],
  fixAuth: 'reconnect Notion under Connections, or paste a new internal integration secret (ntn_…) from notion.so/profile/integrations under Keys',
} as const;

export const notionSubject = { title: notionSpec.title, fixAuth: notionSpec.fixAuth };
