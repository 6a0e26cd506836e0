// n8n's Notion Trigger → notion.page_added (pageAddedToDatabase, n8n's default) or
// notion.page_updated (n8n spells the event 'pagedUpdatedInDatabase'): the database and the
// poll interval carry.
import { mapped, requireType, str, type MapContext, type MapOutcome } from './map-kit.ts';
import { POLL_TIMES_FAILURE, pollInterval } from './poll-times.ts';
import { locatorValue } from './records.ts';

const EVENTS: Readonly<Record<string, string>> = { pageAddedToDatabase: 'notion.page_added', pagedUpdatedInDatabase: 'notion.page_updated' };

export function notionTrigger(ctx: MapContext): MapOutcome {
  const p = ctx.params;
  const event = typeof p.event === 'string' ? p.event : 'pageAddedToDatabase';
  const type = EVENTS[event];
  if (!type) return { failure: `the Notion trigger's event '${event.slice(0, 40)}' has no Keyflow counterpart (Keyflow starts on pages added to or updated in a database)` };
  const missing = requireType(ctx, type);
  if (missing) return { failure: missing };
  const databaseId = str(ctx, locatorValue(p.databaseId)).trim();
  if (databaseId === '') return { failure: 'databaseId: the database to watch is not set' };
  const poll = pollInterval(ctx);
  if (!poll) return { failure: POLL_TIMES_FAILURE };
  const notes = poll.note ? [poll.note] : [];
  if (p.simple === false) notes.push("n8n gave Notion's raw page; Keyflow gives the page with plain property values under 'properties' (id, url, times as before)");
  if (type === 'notion.page_updated') notes.push('Notion times have minute precision: several edits of a page within one minute start one run');
  return mapped(type, { databaseId, intervalMinutes: poll.intervalMinutes }, notes);
}
