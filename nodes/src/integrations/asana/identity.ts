// The health check's identity call: GET /users/me, the cheapest call that proves the token works.
import { z } from 'zod';
import { NodeError } from '../../contract/index.ts';
import type { Identity, ServiceCall } from '../framework/index.ts';
import { dataOf } from './schemas.ts';
import { withAsana } from './service.ts';

const me = z.looseObject({ gid: z.string(), name: z.string().nullish(), email: z.string().nullish(), workspaces: z.array(z.looseObject({ name: z.string().nullish() })).nullish() });

export async function asanaIdentity(call: ServiceCall): Promise<Identity> {
  const raw = await withAsana(call, (client) => client.users.getUser('me', { opt_fields: ['name', 'email', 'workspaces.name'] }));
  const parsed = me.safeParse(dataOf(raw, 'users/me'));
  if (!parsed.success) throw new NodeError('Asana answered users/me with something that is not a user', { details: { service: 'asana' } });
  const { gid, name, email, workspaces } = parsed.data;
  const workspace = workspaces?.length === 1 ? workspaces[0]?.name : undefined;
  return { name: [workspace, name ?? email ?? gid].filter(Boolean).join(' / '), accountId: gid };
}
