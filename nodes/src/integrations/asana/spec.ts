// Asana's fixed facts, apart from its nodes (so the client and nodes use them without a cycle).
export const asanaSpec = {
  service: 'asana',
  title: 'Asana',
  /** The API root (KEYFLOW_ASANA_BASE_URL replaces it); paths such as /tasks follow it. */
  defaultBaseUrl: 'https://app.asana.com/api/1.0',
  apiHosts: ['app.asana.com'] as readonly string[],
  fixAuth: 'reconnect Asana under Connections, or create a new personal access token (Asana → My settings → Apps → Developer apps) and save it under Keys',
} as const;

export const asanaSubject = { title: asanaSpec.title, fixAuth: asanaSpec.fixAuth };
