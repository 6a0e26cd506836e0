// Option lists for the editor: the databases (data sources) the integration can see, and one
// database's properties with their types, so the form shows one field per property.
import type { OptionList, OptionPage } from '../framework/index.ts';
import { notionApi, withNotion } from './call-notion.ts';
import { describeProperty } from './properties.ts';
import { resolveDataSource } from './resolve-data-source.ts';

function titleOf(rich: unknown): string {
  return Array.isArray(rich) ? rich.map((r) => (r as { plain_text?: string }).plain_text ?? '').join('') : '';
}

export const databasesOption: OptionList = {
  title: 'Databases',
  async list(call, query): Promise<OptionPage> {
    const res = await notionApi(call, { what: 'the search', capability: 'read content' }, (client) =>
      client.search({
        filter: { property: 'object', value: 'data_source' },
        page_size: 100,
        ...(query.search ? { query: query.search } : {}),
        ...(query.cursor ? { start_cursor: query.cursor } : {}),
      }),
    );
    const items = res.results
      .filter((r) => r.object === 'data_source')
      .map((r) => {
        const parent = 'parent' in r ? (r.parent as { database_id?: string }) : undefined;
        const title = 'title' in r ? titleOf(r.title) : '';
        return { value: r.id, label: title || 'Untitled', meta: { databaseId: parent?.database_id ?? null } };
      });
    return { items, ...(res.has_more && res.next_cursor ? { nextCursor: res.next_cursor } : {}) };
  },
};

export const propertiesOption: OptionList = {
  title: 'Database properties',
  dependsOn: ['databaseId'],
  async list(call, query): Promise<OptionPage> {
    const databaseId = query.params.databaseId ?? '';
    const source = await withNotion(call, (client) => resolveDataSource(client, databaseId));
    const items = Object.entries(source.properties).map(([name, schema]) => {
      const d = describeProperty({ ...schema, name });
      return {
        value: name,
        label: `${name} (${d.type})`,
        meta: { id: d.id, type: d.type, writable: d.writable, expected: d.expected ?? null, options: d.options ? d.options.join(', ') : null },
      };
    });
    return { items };
  },
};
