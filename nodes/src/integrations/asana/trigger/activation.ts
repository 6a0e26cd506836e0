// Activating a workflow with an asana.event trigger creates an Asana webhook on the watched
// project, pointing at the workflow's Keyflow callback URL (Asana's handshake happens inside
// that call: see delivery.ts); deactivating deletes it.
import { ServiceProblemError, type ServiceCall, type TriggerActivation } from '../../framework/index.ts';
import { asanaGid } from '../client.ts';
import { dataOf } from '../schemas.ts';
import { withAsana } from '../service.ts';
import { asanaEventConfig } from './config.ts';

function configOf(config: unknown) {
  const parsed = asanaEventConfig.safeParse(config);
  if (!parsed.success) throw new ServiceProblemError({ kind: 'validation', message: `invalid asana.event config: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
  return parsed.data;
}

async function activate(call: ServiceCall, args: { config: unknown; callbackUrl: string }): Promise<{ externalId: string }> {
  const config = configOf(args.config);
  const created = await withAsana(call, async (client) => dataOf(await client.webhooks.createWebhook({ data: { resource: config.projectId, target: args.callbackUrl } }, { opt_fields: ['resource', 'target', 'active'] }), 'the new webhook'));
  const gid = (created as { gid?: unknown } | null)?.gid;
  if (typeof gid !== 'string') throw new ServiceProblemError({ kind: 'server', message: 'Asana answered the new webhook without an id' });
  return { externalId: gid };
}

async function deactivate(call: ServiceCall, args: { config: unknown; externalId: string }): Promise<void> {
  const id = asanaGid(args.externalId, 'webhook id');
  await withAsana(call, async (client) => {
    try {
      await client.webhooks.deleteWebhook(id);
    } catch (err) {
      // Already gone (deleted by hand, or by Asana after failed deliveries): what deactivation wants.
      if (err instanceof ServiceProblemError && err.problem.kind === 'not_found') return;
      throw err;
    }
  });
}

export const asanaEventActivation: TriggerActivation = { activate, deactivate };
