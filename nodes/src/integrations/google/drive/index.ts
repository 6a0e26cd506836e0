// Drive nodes and options, spread into ../index.ts.
import type { AnyNodeDefinition } from '../../../contract/index.ts';
import type { OptionList } from '../../framework/index.ts';
import { downloadNode } from './download.node.ts';
import { driveFileUpdatedPoll, fileUpdatedTrigger } from './file-updated.trigger.ts';
import { listNode } from './list.node.ts';
import { driveNewFilePoll, newFileTrigger } from './new-file.trigger.ts';
import { foldersOption } from './options.ts';
import { shareNode } from './share.node.ts';
import { uploadNode } from './upload.node.ts';

export { downloadNode, fileUpdatedTrigger, listNode, newFileTrigger, shareNode, uploadNode };
export const driveNodes: readonly AnyNodeDefinition[] = [uploadNode, listNode, downloadNode, shareNode, newFileTrigger, fileUpdatedTrigger];
export const driveOptions: Readonly<Record<string, Readonly<Record<string, OptionList>>>> = Object.fromEntries(driveNodes.map((n) => [n.type, { folders: foldersOption }]));
/** Trigger types the engine polls. */
export const drivePolls = { 'drive.new_file': driveNewFilePoll, 'drive.file_updated': driveFileUpdatedPoll };
