// The health check's identity call: GET /1/members/me, the cheapest call that proves the key
// and token work together.
import { z } from 'zod';
import { NodeError } from '../../contract/index.ts';
import type { Identity, ServiceCall } from '../framework/index.ts';
import { withTrello } from './service.ts';

const member = z.looseObject({ id: z.string(), username: z.string(), fullName: z.string().optional() });

export async function trelloIdentity(call: ServiceCall): Promise<Identity> {
  const raw = await withTrello(call, (client) => client.request({ method: 'GET', path: 'members/me' }));
  const parsed = member.safeParse(raw);
  if (!parsed.success) throw new NodeError('Trello answered members/me with something that is not a member', { details: { service: 'trello' } });
  const { id, username, fullName } = parsed.data;
  return { name: fullName ? `${fullName} (@${username})` : `@${username}`, accountId: id };
}
