// The Gmail client of one call, asking for the node type's scopes, and fields the nodes share.
import type { gmail_v1 } from '@googleapis/gmail';
import { z } from 'zod';
import type { ServiceCall } from '../../framework/index.ts';
import { googleApiOptions } from '../client.ts';
import { googleSdk } from '../sdk.ts';
import { jsonArray } from '../sheets/fields.ts';
import { gmailScopes } from './scopes.ts';

export function gmailClient(call: ServiceCall, type: keyof typeof gmailScopes): gmail_v1.Gmail {
  return googleSdk().gmail({ version: 'v1', ...googleApiOptions(call, gmailScopes[type] ?? []) });
}

/** Gmail's message and thread ids are hex; label ids are letters, digits, _ and -. */
export const messageIdField = z.string().trim().regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be a Gmail message id (e.g. 18c2f0a9d1b2e3f4)').describe('Message id');

/** A list of strings, or one comma-separated string (what an expression or a form gives). */
export function stringList(item: z.ZodString, max: number) {
  // JSON text of a list (what an expression renders) goes to jsonArray; other text is split on commas.
  const split = (v: unknown) => (typeof v === 'string' && !v.trim().startsWith('[') ? v.split(',').map((s) => s.trim()).filter(Boolean) : v);
  return z.preprocess(split, jsonArray(z.array(item).max(max, `at most ${max}`)));
}
