// drive.file_updated: starts a run each time a file in a Drive folder changes (its modifiedTime
// moves; a new file counts too). Polled; see file-poll.ts.
import { defineNode, NonRetriableNodeError } from '../../../contract/index.ts';
import { isRecord } from '../../../core/is-record.ts';
import { drivePoll, drivePollConfig, drivePollPayload } from './file-poll.ts';

export const driveFileUpdatedPoll = drivePoll('drive.file_updated', 'modifiedTime');

export const fileUpdatedTrigger = defineNode({
  type: 'drive.file_updated',
  version: 1,
  title: 'Google Drive: on a changed file',
  description: 'Starts the workflow each time a file in a Google Drive folder (or the whole Drive) is created or changed, checked every few minutes.',
  keywords: ['file updated in google drive', 'file changed in drive', 'drive file modified', 'watch drive folder for changes', 'when a drive file is edited'],
  examples: [{ text: 'When a file in the Reports Drive folder changes, notify the team' }],
  category: 'trigger',
  kind: 'trigger',
  credential: { provider: 'google', optional: true },
  config: drivePollConfig,
  output: drivePollPayload,
  async run(ctx) {
    const parsed = drivePollPayload.safeParse(isRecord(ctx.trigger) ? ctx.trigger : undefined);
    if (!parsed.success) throw new NonRetriableNodeError('drive.file_updated was started without a Drive file (runs start from the engine’s Drive polling)');
    return { output: parsed.data };
  },
});
