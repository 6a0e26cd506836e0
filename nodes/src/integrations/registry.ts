// The one list of integrations. Each integration folder exports its definition; add it here
// (one line each) and its nodes join the default node registry, its options the options
// endpoint, its identity call the health checks, its OAuth spec the connect flow.
import type { AnyNodeDefinition } from '../contract/index.ts';
import { nodePrefixesOf, type InboundWebhook, type Integration, type OptionList, type PollTrigger, type TriggerActivation } from './framework/index.ts';
import { googleIntegration } from './google/index.ts';
import { asanaIntegration } from './asana/index.ts';
import { notionIntegration } from './notion/index.ts';
import { slackIntegration } from './slack/index.ts';
import { trelloIntegration } from './trello/index.ts';
import { telegramIntegration } from './telegram/index.ts';
import { typeformIntegration } from './typeform/index.ts';
import { calcomIntegration } from './calcom/index.ts';
import { webflowIntegration } from './webflow/index.ts';

export const integrations: readonly Integration[] = Object.freeze([
  slackIntegration,
  notionIntegration,
  trelloIntegration,
  googleIntegration,
  asanaIntegration,
  telegramIntegration,
  typeformIntegration,
  calcomIntegration,
  webflowIntegration,
]);

const byService = new Map(integrations.map((i) => [i.service, i]));
if (byService.size !== integrations.length) throw new Error('two integrations share a service id');

export function findIntegration(service: string): Integration | undefined {
  return byService.get(service);
}

/** Node type prefix → integration ('slack' → slack, 'sheets' → google). */
const byPrefix = new Map<string, Integration>();
for (const i of integrations) {
  for (const p of nodePrefixesOf(i)) {
    if (byPrefix.has(p)) throw new Error(`two integrations share the node prefix ${p}`);
    byPrefix.set(p, i);
  }
}

/** The integration a node type belongs to ('slack.post_message' → slack, 'sheets.append_rows' → google). */
export function integrationOfNode(type: string): Integration | undefined {
  const integration = byPrefix.get(type.slice(0, type.indexOf('.')));
  return integration?.nodes.some((n) => n.type === type) ? integration : undefined;
}

/** A node type's dynamic option list by name (its own, then the service-wide '*'). */
export function findOptionList(type: string, name: string): { integration: Integration; list: OptionList } | undefined {
  const integration = integrationOfNode(type);
  if (!integration) return undefined;
  const own = integration.options[type];
  const list = (own && Object.hasOwn(own, name) ? own[name] : undefined) ?? (integration.options['*'] && Object.hasOwn(integration.options['*'], name) ? integration.options['*'][name] : undefined);
  return list ? { integration, list } : undefined;
}

export const integrationNodes: readonly AnyNodeDefinition[] = Object.freeze(integrations.flatMap((i) => i.nodes));

/** The inbound webhook handling of an integration trigger type. */
export function findInbound(type: string): InboundWebhook | undefined {
  const integration = integrationOfNode(type);
  const inbound = integration?.inbound;
  return inbound && Object.hasOwn(inbound, type) ? inbound[type] : undefined;
}

/** Trigger types that own a Keyflow webhook URL: the generic webhook and every integration's inbound trigger. */
export const webhookTriggerTypes: readonly string[] = Object.freeze(['core.webhook', 'core.form', 'core.chat', ...integrations.flatMap((i) => Object.keys(i.inbound ?? {}))]);

/** The activation hook of a trigger type that registers a webhook at its service (and its integration). */
export function findActivation(type: string): { integration: Integration; activation: TriggerActivation } | undefined {
  const integration = integrationOfNode(type);
  const activations = integration?.activations;
  return integration && activations && Object.hasOwn(activations, type) ? { integration, activation: activations[type]! } : undefined;
}

/** The polling of a trigger type the engine polls (and its integration). */
export function findPoll(type: string): { integration: Integration; poll: PollTrigger } | undefined {
  const integration = integrationOfNode(type);
  const polls = integration?.polls;
  return integration && polls && Object.hasOwn(polls, type) ? { integration, poll: polls[type]! } : undefined;
}
