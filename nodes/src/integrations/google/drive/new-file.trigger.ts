// drive.new_file: starts a run for each file created in a Drive folder (polled; see file-poll.ts).
import { defineNode, NonRetriableNodeError } from '../../../contract/index.ts';
import { isRecord } from '../../../core/is-record.ts';
import { drivePoll, drivePollConfig, drivePollPayload } from './file-poll.ts';

export const driveNewFilePoll = drivePoll('drive.new_file', 'createdTime');

export const newFileTrigger = defineNode({
  type: 'drive.new_file',
  version: 1,
  title: 'Google Drive: on a new file',
  description: 'Starts the workflow for each new file in a Google Drive folder (or the whole Drive), optionally only PDFs, images or another kind, checked every few minutes.',
  keywords: ['new file in google drive', 'file uploaded to drive', 'new pdf in folder', 'monitor google drive', 'watch drive folder', 'when a file is added to drive', 'new document in drive', 'google drive trigger'],
  examples: [
    { text: 'When a new PDF is uploaded to a Google Drive folder, extract its text' },
    { text: 'Monitor Google Drive for new documents and summarise them' },
    { text: 'When a new image lands in my Drive folder, post it to Slack' },
  ],
  category: 'trigger',
  kind: 'trigger',
  credential: { provider: 'google', optional: true },
  config: drivePollConfig,
  output: drivePollPayload,
  async run(ctx) {
    const parsed = drivePollPayload.safeParse(isRecord(ctx.trigger) ? ctx.trigger : undefined);
    if (!parsed.success) throw new NonRetriableNodeError('drive.new_file was started without a Drive file (runs start from the engine’s Drive polling)');
    return { output: parsed.data };
  },
});
