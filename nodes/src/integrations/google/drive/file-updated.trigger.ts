// drive.file_updated: starts a run each time a file in a Drive folder changes (its modifiedTime
// moves; a new file counts too). Polled; see file-poll.ts.
import { polledTriggerNode } from '../../framework/index.ts';
import { drivePoll, drivePollConfig, drivePollPayload } from './file-poll.ts';

export const driveFileUpdatedPoll = drivePoll('drive.file_updated', 'modifiedTime');

export const fileUpdatedTrigger = polledTriggerNode({
  type: 'drive.file_updated',
  title: 'Google Drive: on a changed file',
  description: 'Starts the workflow each time a file in a Google Drive folder (or the whole Drive) is created or changed, checked every few minutes.',
  keywords: ['update', 'change', 'edit', 'modified', 'file updated in google drive', 'file changed in drive', 'drive file modified', 'watch drive folder for changes', 'when a drive file is edited'],
  examples: [{ text: 'When a file in the Reports Drive folder changes, notify the team' }],
  provider: 'google',
  config: drivePollConfig,
  output: drivePollPayload,
  item: 'a Drive file',
  sampleEvent: { id: '1AbCdEfGhIjKlMnOpQrStUvWxYz012345', name: 'Acme contract.pdf', mimeType: 'application/pdf', size: 48213, createdTime: '2026-12-01T09:30:00.000Z', modifiedTime: '2026-12-02T14:05:00.000Z', webViewLink: 'https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUvWxYz012345/view', parents: ['0AbCdEfGhIjKlUk9PVA'] },
});
