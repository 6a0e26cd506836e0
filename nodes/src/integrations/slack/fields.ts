// Config fields shared by Slack's nodes.
import { z } from 'zod';

/** A channel id (C…, G…, D…) or a name (#general); Slack resolves names for chat methods. */
export const channelField = z
  .string()
  .trim()
  .min(1, 'required')
  .max(200)
  .regex(/^(#?[a-z0-9._-]+|[CGD][A-Z0-9]{2,})$/, 'must be a channel id (C0123…) or a #name')
  .describe('Channel id or #name');

/** A message timestamp, Slack's message id: "1712345678.123456". */
export const tsField = z.string().trim().regex(/^\d{1,12}\.\d{1,9}$/, 'must be a Slack message ts like "1712345678.123456"');

/** Block Kit blocks: an array, or the JSON text of one (what an expression renders). */
export const blocksField = z
  .preprocess((v) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }, z.array(z.record(z.string(), z.unknown())).max(50, 'Slack accepts at most 50 blocks'))
  .describe('Block Kit blocks (array or JSON text)');

/** Slack caps text at 40,000 characters and truncates beyond. */
export const textField = z.string().max(40_000);
