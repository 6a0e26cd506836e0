// Config fields and answer shapes the Trello nodes share.
import { z } from 'zod';
import { NodeError } from '../../contract/index.ts';

const HEX_ID = /^[0-9a-fA-F]{24}$/;
// A card or board can also be named by its short link (the 8 characters in trello.com/c/<link>).
const SHORT_LINK = /^[A-Za-z0-9]{8}$/;

/** A Trello object id: 24 hexadecimal characters. */
export const trelloId = (what: string) => z.string().regex(HEX_ID, `must be a Trello ${what} id (24 hexadecimal characters)`);

/** A card or board: its id or its short link. */
export const trelloRef = (what: string) =>
  z.string().refine((v) => HEX_ID.test(v) || SHORT_LINK.test(v), `must be a Trello ${what} id (24 hexadecimal characters) or its 8-character short link`);

/** Trello takes ISO 8601: a date-time with an offset or Z, or a plain date. */
export const trelloDate = z
  .string()
  .refine((v) => (z.iso.datetime({ offset: true }).safeParse(v).success || z.iso.date().safeParse(v).success), 'must be an ISO 8601 date ("2025-01-31") or date-time ("2025-01-31T17:00:00Z")');

/** 'top', 'bottom' or a positive number, as Trello orders cards in a list. */
export const trelloPosition = z.union([z.enum(['top', 'bottom']), z.number().positive()]).describe('"top", "bottom" or a positive number');

export const cardText = { name: z.string().min(1, 'a card needs a name').max(16384), description: z.string().max(16384) };

/** The part of Trello's card object the nodes read. */
export const cardSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  shortUrl: z.string().optional(),
  idList: z.string(),
  idBoard: z.string(),
  closed: z.boolean().optional(),
  due: z.string().nullable().optional(),
  idLabels: z.array(z.string()).optional(),
  idMembers: z.array(z.string()).optional(),
});
export type TrelloCard = z.infer<typeof cardSchema>;

/** What a card node answers: the pinned { id, url } and the facts a next step needs. */
export const cardOutput = z.object({
  id: z.string(),
  url: z.string(),
  shortUrl: z.string().optional(),
  name: z.string(),
  listId: z.string(),
  boardId: z.string(),
  closed: z.boolean(),
  due: z.string().nullable(),
  labelIds: z.array(z.string()),
  memberIds: z.array(z.string()),
});

export function toCardOutput(raw: unknown): z.infer<typeof cardOutput> {
  const parsed = cardSchema.safeParse(raw);
  // A proxy or an API change, not the user's doing: worth a retry, and worth saying plainly.
  if (!parsed.success) throw new NodeError('Trello answered with something that is not a card', { details: { service: 'trello' } });
  const card = parsed.data;
  return {
    id: card.id,
    url: card.url,
    ...(card.shortUrl ? { shortUrl: card.shortUrl } : {}),
    name: card.name,
    listId: card.idList,
    boardId: card.idBoard,
    closed: card.closed ?? false,
    due: card.due ?? null,
    labelIds: card.idLabels ?? [],
    memberIds: card.idMembers ?? [],
  };
}
