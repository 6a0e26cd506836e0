// Calendar nodes, options and scopes (owned by goog2): spread into ../index.ts and ../node-scopes.ts.
import type { AnyNodeDefinition } from '../../../contract/index.ts';
import type { OptionList } from '../../framework/index.ts';

export const calendarNodes: readonly AnyNodeDefinition[] = [];
/** Option lists by node type (or '*'), merged with the other Google APIs'. */
export const calendarOptions: Readonly<Record<string, Readonly<Record<string, OptionList>>>> = {};
/** Node type → the OAuth scopes it needs (constants in ../scopes.ts; merged by ../node-scopes.ts). */
export const calendarScopes: Readonly<Record<string, readonly string[]>> = {};
