// The editor's dropdowns for Trello nodes: boards, then a board's lists, labels and members.
// Trello answers these lists whole (no cursor), so one page each; `search` filters by label.
import { z } from 'zod';
import { NodeError } from '../../contract/index.ts';
import { ServiceProblemError, type OptionItem, type OptionList, type OptionPage, type OptionQuery, type ServiceCall } from '../framework/index.ts';
import { trelloPath, type TrelloRequest } from './client.ts';
import { withTrello } from './service.ts';

const named = z.array(z.looseObject({ id: z.string(), name: z.string().optional(), color: z.string().nullable().optional(), fullName: z.string().optional(), username: z.string().optional() }));
type Named = z.infer<typeof named>[number];

function boardOf(query: OptionQuery): string {
  const boardId = query.params.boardId;
  if (!boardId) throw new ServiceProblemError({ kind: 'validation', message: 'choose a board first (boardId)' });
  return trelloPath(boardId, 'boardId');
}

function filter(items: OptionItem[], search: string | undefined): OptionPage {
  const needle = search?.trim().toLowerCase();
  return { items: needle ? items.filter((i) => i.label.toLowerCase().includes(needle)) : items };
}

async function fetchList(call: ServiceCall, req: (query: OptionQuery) => TrelloRequest, query: OptionQuery, toItem: (n: Named) => OptionItem): Promise<OptionPage> {
  const raw = await withTrello(call, (client) => client.request(req(query)));
  const parsed = named.safeParse(raw);
  if (!parsed.success) throw new NodeError('Trello answered an option list with something unexpected', { details: { service: 'trello' } });
  return filter(parsed.data.map(toItem), query.search);
}

export const trelloOptions: Record<string, OptionList> = {
  boards: {
    title: 'Boards',
    list: (call, query) =>
      fetchList(call, () => ({ method: 'GET', path: 'members/me/boards', params: { filter: 'open', fields: 'name,url' } }), query, (b) => ({ value: b.id, label: b.name ?? b.id })),
  },
  lists: {
    title: 'Lists',
    dependsOn: ['boardId'],
    list: (call, query) =>
      fetchList(call, (q) => ({ method: 'GET', path: `boards/${boardOf(q)}/lists`, what: `board ${q.params.boardId}`, params: { filter: 'open', fields: 'name' } }), query, (l) => ({ value: l.id, label: l.name ?? l.id })),
  },
  labels: {
    title: 'Labels',
    dependsOn: ['boardId'],
    list: (call, query) =>
      fetchList(call, (q) => ({ method: 'GET', path: `boards/${boardOf(q)}/labels`, what: `board ${q.params.boardId}`, params: { fields: 'name,color', limit: 1000 } }), query, (l) => ({
        value: l.id,
        // An unnamed label is known by its colour on the board.
        label: l.name || (l.color ? `(${l.color})` : l.id),
        meta: { color: l.color ?? null },
      })),
  },
  members: {
    title: 'Members',
    dependsOn: ['boardId'],
    list: (call, query) =>
      fetchList(call, (q) => ({ method: 'GET', path: `boards/${boardOf(q)}/members`, what: `board ${q.params.boardId}` }), query, (m) => ({
        value: m.id,
        label: m.fullName ? `${m.fullName} (@${m.username ?? ''})` : `@${m.username ?? m.id}`,
      })),
  },
};
