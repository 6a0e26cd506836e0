// The node kinds generated graphs are scored by (issue 11, "Kinds and node types"): one word
// per node type, so a description's needs and a graph's nodes can be compared.
import type { AnyNodeDefinition } from '@keyflow/nodes/contract';

export const KINDS = ['webhook', 'schedule', 'manual', 'ai', 'http', 'condition', 'transform', 'merge', 'loop', 'delay', 'code', 'slack', 'notion', 'trello', 'asana', 'gmail', 'google_calendar', 'google_drive'] as const;
export type Kind = (typeof KINDS)[number];
export type TriggerClass = 'webhook' | 'schedule' | 'manual' | 'app-event';

const exact: Record<string, Kind> = {
  'core.webhook': 'webhook',
  'core.schedule': 'schedule',
  'core.manual': 'manual',
  'core.http': 'http',
  'core.condition': 'condition',
  'core.switch': 'condition',
  'core.transform': 'transform',
  'core.merge': 'merge',
  'core.loop': 'loop',
  'core.delay': 'delay',
  'core.code': 'code',
};
const byPrefix: Record<string, Kind> = {
  ai: 'ai',
  slack: 'slack',
  notion: 'notion',
  trello: 'trello',
  asana: 'asana',
  gmail: 'gmail',
  calendar: 'google_calendar',
  drive: 'google_drive',
};

/** The kind of a node type, or null for a type outside the scored vocabulary (core.respond…). */
export function kindOfType(type: string): Kind | null {
  if (Object.hasOwn(exact, type)) return exact[type]!;
  const prefix = type.slice(0, type.indexOf('.'));
  return Object.hasOwn(byPrefix, prefix) ? byPrefix[prefix]! : null;
}

/** The node type prefix an integration kind's nodes carry ('google_drive' → 'drive'). */
export function prefixOfKind(kind: Kind): string | undefined {
  return Object.entries(byPrefix).find(([, k]) => k === kind)?.[0];
}

/** A trigger node's class: the three core triggers by name, any other trigger is an app event. */
export function triggerClassOf(def: Pick<AnyNodeDefinition, 'type' | 'kind'>): TriggerClass | null {
  if (def.kind !== 'trigger') return null;
  if (def.type === 'core.webhook') return 'webhook';
  if (def.type === 'core.schedule') return 'schedule';
  if (def.type === 'core.manual') return 'manual';
  return 'app-event';
}
