// Drive nodes and options, spread into ../index.ts.
import type { AnyNodeDefinition } from '../../../contract/index.ts';
import type { OptionList } from '../../framework/index.ts';

export const driveNodes: readonly AnyNodeDefinition[] = [];
export const driveOptions: Readonly<Record<string, Readonly<Record<string, OptionList>>>> = {};
