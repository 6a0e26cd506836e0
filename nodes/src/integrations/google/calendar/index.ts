// Calendar nodes, options and scopes (owned by goog2): spread into ../index.ts and ../node-scopes.ts.
import type { AnyNodeDefinition } from '../../../contract/index.ts';
import type { OptionList } from '../../framework/index.ts';
import { createEventNode } from './create-event.node.ts';
import { deleteEventNode } from './delete-event.node.ts';
import { listEventsNode } from './list-events.node.ts';
import { calendarsOption } from './options.ts';
import { updateEventNode } from './update-event.node.ts';

export { createEventNode, deleteEventNode, listEventsNode, updateEventNode };
export { calendarScopes } from './scopes.ts';
export const calendarNodes: readonly AnyNodeDefinition[] = [createEventNode, updateEventNode, listEventsNode, deleteEventNode];
/** Option lists by node type (or '*'), merged with the other Google APIs'. */
export const calendarOptions: Readonly<Record<string, Readonly<Record<string, OptionList>>>> = Object.fromEntries(calendarNodes.map((n) => [n.type, { calendars: calendarsOption }]));
