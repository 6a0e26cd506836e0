// An OAuth credential's secret: the token set, sealed in the vault as JSON like any other secret.
// Nodes only ever see the access token (NodeCredential.reveal()).
import { z } from 'zod';

export const tokenSetSchema = z.strictObject({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  /** ISO time the access token expires; absent: it does not (Slack without rotation, Notion). */
  expiresAt: z.iso.datetime().optional(),
  scope: z.string().optional(),
  tokenType: z.string().optional(),
});
export type TokenSet = z.infer<typeof tokenSetSchema>;

export function sealTokenSet(set: TokenSet): string {
  return JSON.stringify(tokenSetSchema.parse(set));
}

/** Throws a generic error (never quoting the plaintext) when the stored value is not a token set. */
export function openTokenSet(plaintext: string): TokenSet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(plaintext);
  } catch {
    throw new Error('the stored OAuth token set is unreadable');
  }
  const r = tokenSetSchema.safeParse(parsed);
  if (!r.success) throw new Error('the stored OAuth token set is malformed');
  return r.data;
}
