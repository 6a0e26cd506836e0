import { z } from 'zod';
import { defineNode, NodeError } from '../../../contract/index.ts';
import { credentialIdField } from '../../framework/index.ts';
import { cardOutput, toCardOutput, trelloId } from '../schemas.ts';
import { trelloCall, withTrello } from '../service.ts';

/** Trello's search pages: at most 1000 cards a page and page numbers up to 100. */
const MAX_PAGE = 100;
export const SEARCH_PAGE_SIZE = 100;
const CARD_FIELDS = 'name,url,shortUrl,idList,idBoard,closed,due,idLabels,idMembers';

const searchAnswer = z.looseObject({ cards: z.array(z.unknown()).default([]) });

/** GET /1/search?modelTypes=cards, page after page (cards_page) until `limit` cards or the last page. */
export const findCardsNode = defineNode({
  type: 'trello.find_cards',
  version: 1,
  title: 'Trello: find cards',
  description: "Searches cards with Trello's search (words, and operators such as label:, list:, due:).",
  keywords: ["find cards", "search cards", "look up cards"],
  examples: [
    { text: "Find the cards that mention the customer" },
  ],
  category: 'integration',
  kind: 'action',
  credential: { provider: 'trello' },
  config: z.strictObject({
    credentialId: credentialIdField,
    query: z.string().min(1, 'say what to search for').max(16384),
    boardIds: z.array(trelloId('board')).max(100).optional().describe('Only these boards (default: all of yours)'),
    limit: z.int().min(1).max(1000).default(50).describe('At most this many cards'),
    partial: z.boolean().default(false).describe('Match words by their beginning ("dev" finds "development")'),
  }),
  output: z.object({ cards: z.array(cardOutput), count: z.number(), truncated: z.boolean() }),
  async run(ctx) {
    const c = ctx.config;
    const pageSize = Math.min(SEARCH_PAGE_SIZE, c.limit);
    const cards: z.infer<typeof cardOutput>[] = [];
    let truncated = false;
    await withTrello(trelloCall(ctx), async (client) => {
      for (let page = 0; page <= MAX_PAGE; page += 1) {
        const raw = await client.request({
          method: 'GET',
          path: 'search',
          params: { query: c.query, modelTypes: 'cards', idBoards: c.boardIds ?? 'mine', cards_limit: pageSize, cards_page: page, card_fields: CARD_FIELDS, partial: c.partial },
        });
        const parsed = searchAnswer.safeParse(raw);
        if (!parsed.success) throw new NodeError('Trello answered a search with something that is not a result', { details: { service: 'trello' } });
        for (const card of parsed.data.cards) {
          if (cards.length === c.limit) {
            truncated = true;
            break;
          }
          cards.push(toCardOutput(card));
        }
        if (parsed.data.cards.length < pageSize || cards.length >= c.limit) {
          truncated ||= parsed.data.cards.length === pageSize && cards.length >= c.limit;
          break;
        }
      }
    });
    return { output: { cards, count: cards.length, truncated } };
  },
});
