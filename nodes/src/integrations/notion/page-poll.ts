// The polling behind notion.page_added and notion.page_updated (Notion has no webhook an
// integration can register through the API; the engine polls: engine/src/engine/poll-triggers.ts).
//
// Each poll queries the data source with a timestamp filter (created_time / last_edited_time
// on_or_after the cursor's window) sorted by that timestamp ascending, one bounded batch. Notion
// rounds both times down to the minute, so many pages share a time and a page added later in a
// minute carries a time the cursor already passed: the windowed cursor (framework/time-cursor.ts)
// asks again from a few minutes back and skips the pages it already knows. An update is one
// event per (page, last_edited_time): two edits within the same minute are one run (Notion shows
// no finer time).
import type { QueryDataSourceParameters, QueryDataSourceResponse } from '@notionhq/client';
import { z } from 'zod';
import { NonRetriableNodeError } from '../../contract/index.ts';
import { credentialIdField, formatTimeCursor, parseTimeCursor, scanTimed, startTimeCursor, windowStart, type PollTrigger, type ServiceCall, type TimedItem } from '../framework/index.ts';
import { notionApi, withNotion } from './call-notion.ts';
import { notionIdField } from './fields.ts';
import { pageOutput, toPageOutput } from './page-output.ts';
import { requireNotionId, resolveDataSource } from './resolve-data-source.ts';

export const MAX_PER_POLL = 50;
const PAGE_SIZE = 100;
const PAGES_PER_POLL = 5;
/** Minute precision plus Notion's indexing lag. */
export const NOTION_LOOKBACK_MS = 3 * 60_000;

export const notionPollConfig = z.strictObject({
  credentialId: credentialIdField,
  databaseId: notionIdField('database (or data source)'),
  intervalMinutes: z.coerce.number().int().min(1).max(60).default(1).describe('How often to check (minutes)'),
});
type Config = z.infer<typeof notionPollConfig>;

export const notionPollPayload = pageOutput;

type Stamp = 'created_time' | 'last_edited_time';
type PageResult = QueryDataSourceResponse['results'][number];
type Listed = TimedItem & { page: PageResult };

function configOf(config: unknown): Config {
  const parsed = notionPollConfig.safeParse(config ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new NonRetriableNodeError(`${issue.path.join('.') || 'config'}: ${issue.message}`);
  }
  requireNotionId(parsed.data.databaseId, 'databaseId');
  return parsed.data;
}

function listed(page: PageResult, stamp: Stamp): Listed | undefined {
  if (page.object !== 'page' || !(stamp in page)) return undefined;
  const time = (page as Record<Stamp, string>)[stamp];
  return { key: stamp === 'created_time' ? page.id : `${page.id}@${time}`, time, page };
}

/** The cursor's `of`: the configured id and the data source it resolved to. */
const targetOf = (configId: string, dataSourceId: string) => `${configId}>${dataSourceId}`;

async function dataSourceFor(call: ServiceCall, cfg: Config, of: string | undefined): Promise<{ dataSourceId: string; of: string }> {
  const configId = requireNotionId(cfg.databaseId, 'databaseId');
  const [id, ds] = (of ?? '').split('>');
  if (id === configId && ds) return { dataSourceId: ds, of: of! };
  const source = await withNotion(call, (client) => resolveDataSource(client, cfg.databaseId));
  return { dataSourceId: source.dataSourceId, of: targetOf(configId, source.dataSourceId) };
}

async function query(call: ServiceCall, dataSourceId: string, body: Omit<QueryDataSourceParameters, 'data_source_id'>): Promise<QueryDataSourceResponse> {
  return notionApi(call, { what: `data source ${dataSourceId}`, capability: 'read content' }, (client) => client.dataSources.query({ data_source_id: dataSourceId, ...body }));
}

const timestampFilter = (stamp: Stamp, since: string): QueryDataSourceParameters['filter'] =>
  (stamp === 'created_time' ? { timestamp: 'created_time', created_time: { on_or_after: since } } : { timestamp: 'last_edited_time', last_edited_time: { on_or_after: since } });

/** The PollTrigger of notion.page_added (created_time) or notion.page_updated (last_edited_time). */
export function notionPagePoll(stamp: Stamp): PollTrigger {
  return {
    intervalMs: (config) => configOf(config).intervalMinutes * 60_000,
    // The newest pages now (one batch, newest first) are known: only later ones start runs.
    // Notion's own times, not ours: no clock skew.
    start: async (call, { config }) => {
      const cfg = configOf(config);
      const { dataSourceId, of } = await dataSourceFor(call, cfg, undefined);
      const res = await query(call, dataSourceId, { sorts: [{ timestamp: stamp, direction: 'descending' }], page_size: PAGE_SIZE });
      const items = res.results.map((p) => listed(p, stamp)).filter((i): i is Listed => i !== undefined);
      return { cursor: formatTimeCursor(startTimeCursor(items, NOTION_LOOKBACK_MS, of)) };
    },
    poll: async (call, { config, cursor: raw, seen }) => {
      const cfg = configOf(config);
      const stored = parseTimeCursor(raw);
      // A new workflow version may watch another database: resolve it again, keep the time.
      const { dataSourceId, of } = await dataSourceFor(call, cfg, stored.of);
      const cursor = { ...stored, of };
      const known = new Set([...cursor.known.map(([k]) => k), ...seen]);
      const items: Listed[] = [];
      let next: string | undefined;
      let pages = 0;
      do {
        const res = await query(call, dataSourceId, { filter: timestampFilter(stamp, windowStart(cursor, NOTION_LOOKBACK_MS)), sorts: [{ timestamp: stamp, direction: 'ascending' }], page_size: PAGE_SIZE, ...(next ? { start_cursor: next } : {}) });
        for (const p of res.results) {
          const i = listed(p, stamp);
          if (i) items.push(i);
        }
        next = res.has_more && res.next_cursor ? res.next_cursor : undefined;
        pages += 1;
      } while (next && pages < PAGES_PER_POLL && items.filter((i) => !known.has(i.key)).length <= MAX_PER_POLL);
      const scan = scanTimed(items, cursor, { seen, max: MAX_PER_POLL, lookbackMs: NOTION_LOOKBACK_MS });
      return {
        items: scan.taken.map((i) => ({ id: i.key, payload: toPageOutput(i.page as PageResult & Record<string, unknown>) })),
        cursor: formatTimeCursor(scan.cursor),
        ...(scan.truncated || next ? { note: 'more pages than one check takes; the rest follow in the next checks' } : {}),
      };
    },
  };
}
