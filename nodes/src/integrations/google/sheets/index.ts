// Sheets nodes and options, spread into ../index.ts.
import type { AnyNodeDefinition } from '../../../contract/index.ts';
import type { OptionList } from '../../framework/index.ts';

export const sheetsNodes: readonly AnyNodeDefinition[] = [];
export const sheetsOptions: Readonly<Record<string, Readonly<Record<string, OptionList>>>> = {};
