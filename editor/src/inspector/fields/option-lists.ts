// Which config fields of integration nodes have a dynamic option list on the server
// (`GET /api/nodes/:type/options/:name`), and which sibling fields the list needs. The
// descriptors do not name their lists, so the mapping lives here, per service, by field name.
export interface OptionListRef {
  list: string;
  dependsOn: string[];
}

const BY_SERVICE: Record<string, Record<string, OptionListRef>> = {
  slack: { channel: { list: 'channels', dependsOn: [] } },
  notion: { databaseId: { list: 'databases', dependsOn: [] } },
  trello: { boardId: { list: 'boards', dependsOn: [] }, listId: { list: 'lists', dependsOn: ['boardId'] } },
  google: { spreadsheetId: { list: 'spreadsheets', dependsOn: [] }, folderId: { list: 'folders', dependsOn: [] }, calendarId: { list: 'calendars', dependsOn: [] }, labelId: { list: 'labels', dependsOn: [] } },
  asana: {
    workspaceId: { list: 'workspaces', dependsOn: [] },
    projectId: { list: 'projects', dependsOn: ['workspaceId'] },
    sectionId: { list: 'sections', dependsOn: ['projectId'] },
    assignee: { list: 'users', dependsOn: ['workspaceId'] },
  },
};

/** The option list behind `field` of a node whose credential is `service`'s, if any. */
export function optionListFor(service: string | undefined, field: string): OptionListRef | undefined {
  if (!service || !Object.hasOwn(BY_SERVICE, service)) return undefined;
  const lists = BY_SERVICE[service]!;
  return Object.hasOwn(lists, field) ? lists[field] : undefined;
}
