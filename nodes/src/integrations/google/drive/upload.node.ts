import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineNode, NonRetriableNodeError } from '../../../contract/index.ts';
import { credentialIdField, serviceCall } from '../../framework/index.ts';
import { callGoogle } from '../errors.ts';
import { googleAction, googleSpec } from '../spec.ts';
import { driveClient, FILE_FIELDS, fileOutput, folderIdField, toFileOutput } from './fields.ts';
import { driveQuoted } from './options.ts';
import { RESUMABLE_THRESHOLD, uploadFile } from './upload.ts';

/** The largest file a step may upload (its content travels in step outputs). */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

/** The app property marking the file a step made: a retry of the step finds it instead of uploading twice. */
export const STEP_PROPERTY = 'keyflowStep';

/** files.create: multipart under 5 MB, a resumable session above; a retried step answers the file it made already. */
export const uploadNode = defineNode({
  type: 'drive.upload',
  version: 1,
  title: 'Google Drive: upload file',
  description: 'Uploads a file to Google Drive (multipart, or a resumable session for large files).',
  keywords: ['upload to drive', 'save a file to google drive', 'store the file', 'drive'],
  examples: [{ text: 'Save the generated report to the Reports folder in Drive' }],
  ...googleAction,
  config: z.strictObject({
    credentialId: credentialIdField,
    name: z.string().trim().min(1, 'a file needs a name').max(1000),
    content: z.string().max(Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + 4, 'is larger than the 50 MiB upload limit'),
    contentEncoding: z.enum(['utf8', 'base64']).default('utf8').describe('base64 for binary content from an earlier step'),
    mimeType: z.string().trim().regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a MIME type like text/plain').default('text/plain'),
    folderId: folderIdField.optional(),
    description: z.string().max(4000).optional(),
  }),
  output: fileOutput.extend({ uploadMethod: z.enum(['multipart', 'resumable']) }),
  async run(ctx) {
    const c = ctx.config;
    if (c.contentEncoding === 'base64' && !/^[A-Za-z0-9+/=\s_-]*$/.test(c.content)) throw new NonRetriableNodeError('content: is not base64 (contentEncoding is base64)');
    const bytes = Buffer.from(c.content, c.contentEncoding === 'base64' ? 'base64' : 'utf8');
    if (bytes.length > MAX_UPLOAD_BYTES) throw new NonRetriableNodeError(`content: ${bytes.length} bytes is larger than the ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB upload limit`);
    const mark = createHash('sha256').update(ctx.idempotencyKey).digest('hex').slice(0, 40);
    return callGoogle(serviceCall(ctx, googleSpec), c.folderId ? `folder ${c.folderId}` : undefined, async (cc) => {
      // An earlier attempt of this step may have landed before its answer was lost.
      const earlier = await driveClient(cc, 'drive.upload').files.list({ q: `appProperties has { key=${driveQuoted(STEP_PROPERTY)} and value=${driveQuoted(mark)} } and trashed = false`, pageSize: 1, fields: `files(${FILE_FIELDS})`, supportsAllDrives: true, includeItemsFromAllDrives: true });
      const found = earlier.data.files?.[0];
      if (found) return { output: { ...toFileOutput(found), uploadMethod: bytes.length > RESUMABLE_THRESHOLD ? ('resumable' as const) : ('multipart' as const) } };
      const { file, method } = await uploadFile(cc, { name: c.name, mimeType: c.mimeType, bytes, appProperties: { [STEP_PROPERTY]: mark }, ...(c.folderId ? { parents: [c.folderId] } : {}), ...(c.description ? { description: c.description } : {}) });
      return { output: { ...toFileOutput(file), uploadMethod: method } };
    });
  },
});
