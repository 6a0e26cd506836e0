// drive.new_file: starts a run for each file created in a Drive folder (polled; see file-poll.ts).
import { polledTriggerNode } from '../../framework/index.ts';
import { drivePoll, drivePollConfig, drivePollPayload } from './file-poll.ts';

export const driveNewFilePoll = drivePoll('drive.new_file', 'createdTime');

export const newFileTrigger = polledTriggerNode({
  type: 'drive.new_file',
  title: 'Google Drive: on a new file',
  description: 'Starts the workflow for each new file in a Google Drive folder (or the whole Drive), optionally only PDFs, images or another kind, checked every few minutes.',
  keywords: ['new file in google drive', 'file uploaded to drive', 'new pdf in folder', 'monitor google drive', 'watch drive folder', 'when a file is added to drive', 'new document in drive', 'google drive trigger'],
  examples: [
    { text: 'When a new PDF is uploaded to a Google Drive folder, extract its text' },
    { text: 'Monitor Google Drive for new documents and summarise them' },
    { text: 'When a new image lands in my Drive folder, post it to Slack' },
  ],
  provider: 'google',
  config: drivePollConfig,
  output: drivePollPayload,
  item: 'a Drive file',
  sampleEvent: { id: '1AbCdEfGhIjKlMnOpQrStUvWxYz012345', name: 'Acme contract.pdf', mimeType: 'application/pdf', size: 48213, createdTime: '2026-12-01T09:30:00.000Z', modifiedTime: '2026-12-01T09:30:00.000Z', webViewLink: 'https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUvWxYz012345/view', parents: ['0AbCdEfGhIjKlUk9PVA'] },
});
