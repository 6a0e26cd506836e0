// Activating a workflow with a trello.event trigger registers a Trello webhook on the watched
// board or list, pointing at the workflow's Keyflow callback URL; deactivating deletes it.
// Trello checks the callback with a HEAD request before it answers (see delivery.ts).
import { z } from 'zod';
import { ServiceProblemError, type ServiceCall, type TriggerActivation } from '../../framework/index.ts';
import { keyAndToken } from '../../framework/index.ts';
import { trelloPath } from '../client.ts';
import { withTrello } from '../service.ts';
import { trelloEventConfig } from './config.ts';

const webhookAnswer = z.looseObject({ id: z.string(), idModel: z.string().optional(), callbackURL: z.string().optional() });
const ALREADY_EXISTS = /already exists/i;

function configOf(config: unknown) {
  const parsed = trelloEventConfig.safeParse(config);
  if (!parsed.success) throw new ServiceProblemError({ kind: 'validation', message: `invalid trello.event config: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
  return parsed.data;
}

async function activate(call: ServiceCall, args: { config: unknown; callbackUrl: string }): Promise<{ externalId: string }> {
  const config = configOf(args.config);
  return withTrello(call, async (client) => {
    try {
      const created = webhookAnswer.parse(
        await client.request({ method: 'POST', path: 'webhooks/', what: `board or list ${config.modelId}`, params: { idModel: config.modelId, callbackURL: args.callbackUrl, description: 'Keyflow workflow trigger' } }),
      );
      return { externalId: created.id };
    } catch (err) {
      // Left over from an activation whose deactivation never ran: take the existing webhook over.
      if (!(err instanceof ServiceProblemError && err.problem.kind === 'validation' && ALREADY_EXISTS.test(err.problem.message))) throw err;
      const { token } = keyAndToken(call.credential);
      const mine = z.array(webhookAnswer).parse(await client.request({ method: 'GET', path: `tokens/${encodeURIComponent(token)}/webhooks` }));
      const existing = mine.find((w) => w.idModel === config.modelId && w.callbackURL === args.callbackUrl);
      if (!existing) throw err;
      return { externalId: existing.id };
    }
  });
}

async function deactivate(call: ServiceCall, args: { config: unknown; externalId: string }): Promise<void> {
  const id = trelloPath(args.externalId, 'webhook id');
  await withTrello(call, async (client) => {
    try {
      await client.request({ method: 'DELETE', path: `webhooks/${id}`, what: `webhook ${id}` });
    } catch (err) {
      // Already gone (deleted by hand, or by Trello after failed deliveries): what deactivation wants.
      if (err instanceof ServiceProblemError && err.problem.kind === 'not_found') return;
      throw err;
    }
  });
}

export const trelloEventActivation: TriggerActivation = { activate, deactivate };
