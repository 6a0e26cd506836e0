// The editor's dropdowns for Asana nodes: workspaces, then a workspace's projects and users, a
// project's sections and custom fields. Asana pages these lists with next_page.offset, which
// becomes the option list's cursor; `search` filters the page by label.
import { ServiceProblemError, type OptionItem, type OptionList, type OptionPage, type OptionQuery } from '../framework/index.ts';
import { asanaGid, type AsanaClient } from './client.ts';
import { FIELD_OPT_FIELDS } from './custom-fields.ts';
import { pageOf } from './schemas.ts';
import { withAsana } from './service.ts';

const PAGE = 100;

function param(query: OptionQuery, name: string, what: string): string {
  const value = query.params[name];
  if (!value) throw new ServiceProblemError({ kind: 'validation', message: `choose a ${what} first (${name})` });
  return asanaGid(value, name);
}

function paging(query: OptionQuery): { limit: number; offset?: string } {
  return { limit: PAGE, ...(query.cursor ? { offset: query.cursor } : {}) };
}

type Named = { gid?: unknown; name?: unknown; email?: unknown };

function list(fetchPage: (client: AsanaClient, query: OptionQuery) => Promise<unknown>, toItem: (n: Named) => OptionItem | undefined, what: string): OptionList['list'] {
  return async (call, query): Promise<OptionPage> => {
    const { items, nextOffset } = pageOf(await withAsana(call, (client) => fetchPage(client, query)), what);
    const needle = query.search?.trim().toLowerCase();
    const out = items.map((i) => toItem((i ?? {}) as Named)).filter((i): i is OptionItem => i !== undefined && (!needle || i.label.toLowerCase().includes(needle)));
    return { items: out, ...(nextOffset ? { nextCursor: nextOffset } : {}) };
  };
}

const named = (n: Named): OptionItem | undefined => (typeof n.gid === 'string' ? { value: n.gid, label: typeof n.name === 'string' && n.name !== '' ? n.name : n.gid } : undefined);

export const asanaOptions: Record<string, OptionList> = {
  workspaces: {
    title: 'Workspaces',
    list: list((client, q) => client.workspaces.getWorkspaces({ ...paging(q), opt_fields: ['name'] }), named, 'workspaces'),
  },
  projects: {
    title: 'Projects',
    dependsOn: ['workspaceId'],
    list: list((client, q) => client.projects.getProjectsForWorkspace(param(q, 'workspaceId', 'workspace'), { ...paging(q), archived: false, opt_fields: ['name'] }), named, 'projects'),
  },
  sections: {
    title: 'Sections',
    dependsOn: ['projectId'],
    list: list((client, q) => client.sections.getSectionsForProject(param(q, 'projectId', 'project'), { ...paging(q), opt_fields: ['name'] }), named, 'sections'),
  },
  users: {
    title: 'Users',
    dependsOn: ['workspaceId'],
    // This endpoint takes an offset but no limit.
    list: list((client, q) => client.users.getUsersForWorkspace(param(q, 'workspaceId', 'workspace'), { ...(q.cursor ? { offset: q.cursor } : {}), opt_fields: ['name', 'email'] }), (u) => {
      const item = named(u);
      return item && typeof u.email === 'string' ? { ...item, label: `${item.label} <${u.email}>` } : item;
    }, 'users'),
  },
  customFields: {
    title: 'Custom fields',
    dependsOn: ['projectId'],
    list: list(
      (client, q) => client.customFieldSettings.getCustomFieldSettingsForProject(param(q, 'projectId', 'project'), { ...paging(q), opt_fields: FIELD_OPT_FIELDS }),
      (s) => {
        const f = (s as { custom_field?: { gid?: unknown; name?: unknown; resource_subtype?: unknown; enum_options?: Array<{ name?: unknown; enabled?: unknown }> } }).custom_field;
        if (!f || typeof f.gid !== 'string' || typeof f.name !== 'string') return undefined;
        const options = (f.enum_options ?? []).filter((o) => o.enabled !== false).map((o) => o.name).filter((n): n is string => typeof n === 'string');
        // The value is the name: create_task takes custom fields by name.
        return { value: f.name, label: f.name, meta: { gid: f.gid, type: typeof f.resource_subtype === 'string' ? f.resource_subtype : null, options: options.length > 0 ? options.join(', ') : null } };
      },
      'custom field settings',
    ),
  },
};
