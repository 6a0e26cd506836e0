// Trello's fixed facts, apart from its nodes (so the client and nodes use them without a cycle).
export const trelloSpec = {
  service: 'trello',
  title: 'Trello',
  /** The REST origin; the client adds the API version (`/1/`). */
  defaultBaseUrl: 'https://api.trello.com',
  apiHosts: ['api.trello.com'] as readonly string[],
  fixAuth: 'create a new token for your API key (trello.com/power-ups/admin) and save it under Keys as "<API key>:<token>"',
} as const;

export const trelloSubject = { title: trelloSpec.title, fixAuth: trelloSpec.fixAuth };
