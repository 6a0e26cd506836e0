// Sheets nodes and options, spread into ../index.ts.
import type { AnyNodeDefinition } from '../../../contract/index.ts';
import type { OptionList } from '../../framework/index.ts';
import { spreadsheetsOption } from '../drive/options.ts';
import { appendRowsNode } from './append-rows.node.ts';
import { sheetsOfSpreadsheetOption } from './options.ts';
import { readRangeNode } from './read-range.node.ts';
import { updateRangeNode } from './update-range.node.ts';

export { appendRowsNode, readRangeNode, updateRangeNode };
export const sheetsNodes: readonly AnyNodeDefinition[] = [appendRowsNode, readRangeNode, updateRangeNode];
const lists = { spreadsheets: spreadsheetsOption, sheets: sheetsOfSpreadsheetOption };
export const sheetsOptions: Readonly<Record<string, Readonly<Record<string, OptionList>>>> = Object.fromEntries(sheetsNodes.map((n) => [n.type, lists]));
