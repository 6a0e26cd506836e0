// A "database id" in Keyflow config may name a Notion database or one of its data sources
// (API 2025-09-03: a database holds one or more data sources, and pages live in a data
// source). Either resolves to the data source and its property schema.
import { isFullDataSource, type Client } from '@notionhq/client';
import { NonRetriableNodeError } from '../../contract/index.ts';
import { ServiceProblemError } from '../framework/index.ts';
import { isNotFound, notionCall, notionProblem } from './errors.ts';
import { normalizeNotionId } from './ids.ts';
import type { PropertySchemas } from './properties.ts';

export interface ResolvedDataSource {
  dataSourceId: string;
  databaseId: string | undefined;
  title: string;
  properties: PropertySchemas;
}

/** A Notion id from config, or a clear error naming the field. */
export function requireNotionId(value: string, field: string): string {
  const id = normalizeNotionId(value);
  if (!id) throw new NonRetriableNodeError(`${field} must be a Notion id (32 hex digits, with or without dashes) or a notion.so link ending in one`, { details: { field } });
  return id;
}

function titleOf(rich: unknown): string {
  return Array.isArray(rich) ? rich.map((r) => (r as { plain_text?: string }).plain_text ?? '').join('') : '';
}

async function retrieveDataSource(client: Client, id: string, databaseId: string | undefined): Promise<ResolvedDataSource> {
  const ds = await notionCall({ what: `data source ${id}`, capability: 'read content' }, () => client.dataSources.retrieve({ data_source_id: id }));
  if (!isFullDataSource(ds)) throw new NonRetriableNodeError(`Notion returned data source ${id} without its properties: share it with the integration`);
  const parent = ds.parent as { database_id?: string } | undefined;
  return { dataSourceId: ds.id, databaseId: databaseId ?? parent?.database_id, title: titleOf(ds.title), properties: ds.properties as unknown as PropertySchemas };
}

/** The data source behind `id` (a database with exactly one data source, or a data source). */
export async function resolveDataSource(client: Client, rawId: string, field = 'databaseId'): Promise<ResolvedDataSource> {
  const id = requireNotionId(rawId, field);
  let db;
  try {
    db = await client.databases.retrieve({ database_id: id });
  } catch (err) {
    if (!isNotFound(err)) {
      const problem = notionProblem(err, { what: `database ${id}`, capability: 'read content' });
      if (problem) throw new ServiceProblemError(problem, { cause: err });
      throw err;
    }
    // Not a database (or not shared): perhaps a data source id. If that fails too, say both.
    try {
      return await retrieveDataSource(client, id, undefined);
    } catch (again) {
      if (again instanceof ServiceProblemError && again.problem.kind === 'not_found') {
        throw new ServiceProblemError({ ...again.problem, what: `database or data source ${id}` }, { cause: again });
      }
      throw again;
    }
  }
  const sources = 'data_sources' in db ? db.data_sources : [];
  if (sources.length === 0) throw new NonRetriableNodeError(`Notion database ${id} has no data source the integration can see`);
  if (sources.length > 1) {
    const list = sources.map((s) => `"${s.name}" (${s.id})`).join(', ');
    throw new NonRetriableNodeError(`Notion database ${id} has ${sources.length} data sources: set ${field} to the one to use: ${list}`, { details: { field, dataSources: sources.map((s) => s.id) } });
  }
  return retrieveDataSource(client, sources[0]!.id, id);
}
