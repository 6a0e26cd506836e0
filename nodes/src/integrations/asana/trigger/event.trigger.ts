import { z } from 'zod';
import { defineNode, NonRetriableNodeError } from '../../../contract/index.ts';
import { isRecord } from '../../../core/is-record.ts';
import { asanaEventConfig } from './config.ts';
import { asanaEventsOf } from './delivery.ts';

const refOut = z.object({ gid: z.string(), resource_type: z.string().optional() }).loose();

/**
 * Started by an Asana webhook on a project. The webhook is created when the workflow is
 * activated (its X-Hook-Secret handshake stores the signing secret) and deleted when it is
 * deactivated; the server verifies each delivery's X-Hook-Signature and drops duplicates before
 * a run starts, so run() only hands on the verified events.
 */
export const asanaEventTrigger = defineNode({
  type: 'asana.event',
  version: 1,
  title: 'Asana: on project activity',
  description: 'Starts the workflow when something happens in an Asana project (task added, changed, completed, commented…).',
  keywords: ['asana task', 'task is created', 'task changed', 'asana activity', 'on asana'],
  examples: [{ text: 'When a task is added to my Asana project' }],
  sampleEvent: { method: 'POST', headers: { 'content-type': 'application/json' }, query: {}, body: { events: [{ action: 'added', created_at: '2026-12-01T09:30:00.000Z', user: { gid: '1200000000000001', resource_type: 'user', name: 'Ada Lovelace' }, resource: { gid: '1200000000000002', resource_type: 'task', resource_subtype: 'default_task', name: 'Send the proposal to Acme' }, parent: { gid: '1200000000000003', resource_type: 'project', name: 'Sales' }, change: null }] } },
  category: 'trigger',
  kind: 'trigger',
  // For the webhook's creation on activation; a run does not need it.
  credential: { provider: 'asana', optional: true },
  config: asanaEventConfig,
  output: z.object({
    events: z.array(z.object({ action: z.string(), created_at: z.string().optional(), resource: refOut, parent: refOut.nullish(), user: refOut.nullish() }).loose()),
    count: z.number(),
  }),
  async run(ctx) {
    const req = isRecord(ctx.trigger) ? ctx.trigger : {};
    const events = asanaEventsOf(req.body);
    if (!events) throw new NonRetriableNodeError('asana.event was started without Asana events (runs start from verified Asana webhook deliveries)');
    return { output: { events, count: events.length } };
  },
});
