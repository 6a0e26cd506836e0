import { z } from 'zod';
import { defineNode, NonRetriableNodeError } from '../../../contract/index.ts';
import { credentialIdField, serviceCall, ServiceProblemError } from '../../framework/index.ts';
import { googleAuth, googleFetch } from '../client.ts';
import { callGoogle, googleProblem } from '../errors.ts';
import { googleAction, googleSpec } from '../spec.ts';
import { driveClient, fileIdField } from './fields.ts';
import { driveScopes } from './scopes.ts';

export const DEFAULT_DOWNLOAD_CAP = 10 * 1024 * 1024;
export const MAX_DOWNLOAD_CAP = 25 * 1024 * 1024;

/** What a Google Docs type is exported as unless exportMimeType says otherwise. */
const EXPORT_DEFAULTS: Record<string, string> = {
  'application/vnd.google-apps.document': 'text/plain',
  'application/vnd.google-apps.spreadsheet': 'text/csv',
  'application/vnd.google-apps.presentation': 'application/pdf',
  'application/vnd.google-apps.drawing': 'image/png',
};

const isText = (mime: string) => /^text\/|[/+](json|xml|csv|javascript)$/.test(mime);

/** Reads a response body, refusing past `cap` bytes (without reading the rest). */
async function readCapped(res: Response, cap: number, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel();
      throw new NonRetriableNodeError(`Google Drive: ${name} is larger than maxBytes (${cap} bytes); raise maxBytes (up to ${MAX_DOWNLOAD_CAP}) or download a smaller file`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

/** files.get alt=media (or files.export for Google Docs), with a size cap. */
export const downloadNode = defineNode({
  type: 'drive.download',
  version: 1,
  title: 'Google Drive: download file',
  description: 'Downloads a file’s content from Google Drive (Google Docs are exported), up to a size cap.',
  keywords: ['download from drive', 'read a drive file', 'get the file content', 'drive'],
  examples: [{ text: 'Download the contract from Drive and summarise it' }],
  ...googleAction,
  config: z.strictObject({
    credentialId: credentialIdField,
    fileId: fileIdField,
    maxBytes: z.number().int().min(1).max(MAX_DOWNLOAD_CAP, `at most ${MAX_DOWNLOAD_CAP} bytes (25 MiB)`).default(DEFAULT_DOWNLOAD_CAP),
    exportMimeType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a MIME type like text/plain').optional().describe('For Google Docs files: the format to export'),
    encoding: z.enum(['auto', 'utf8', 'base64']).default('auto').describe('auto: text for text types, base64 otherwise'),
  }),
  output: z.object({ id: z.string(), name: z.string(), mimeType: z.string(), size: z.number().int(), encoding: z.enum(['utf8', 'base64']), content: z.string() }),
  async run(ctx) {
    const c = ctx.config;
    return callGoogle(serviceCall(ctx, googleSpec), `file ${c.fileId}`, async (cc) => {
      const meta = (await driveClient(cc, 'drive.download').files.get({ fileId: c.fileId, fields: 'id,name,mimeType,size', supportsAllDrives: true })).data;
      const name = meta.name ?? c.fileId;
      const sourceType = meta.mimeType ?? 'application/octet-stream';
      const googleType = sourceType.startsWith('application/vnd.google-apps.');
      if (!googleType && meta.size && Number(meta.size) > c.maxBytes) {
        throw new NonRetriableNodeError(`Google Drive: ${name} is ${meta.size} bytes, larger than maxBytes (${c.maxBytes}); raise maxBytes (up to ${MAX_DOWNLOAD_CAP}) or download a smaller file`);
      }
      const exportType = googleType ? (c.exportMimeType ?? EXPORT_DEFAULTS[sourceType]) : undefined;
      if (googleType && !exportType) throw new NonRetriableNodeError(`exportMimeType: ${name} is a ${sourceType} file; say which format to export it as`);
      const id = encodeURIComponent(c.fileId);
      const url = exportType
        ? `https://www.googleapis.com/drive/v3/files/${id}/export?mimeType=${encodeURIComponent(exportType)}`
        : `https://www.googleapis.com/drive/v3/files/${id}?alt=media&supportsAllDrives=true`;
      const headers = await googleAuth(cc, driveScopes['drive.download'] ?? []).getRequestHeaders(url);
      const res = await googleFetch(cc)(url, { headers });
      if (!res.ok) {
        const text = await res.text().catch(() => '');
        throw new ServiceProblemError(googleProblem({ response: { status: res.status, data: text, headers: res.headers } }, `file ${c.fileId}`) ?? { kind: 'server', message: `HTTP ${res.status}`, status: res.status });
      }
      const bytes = await readCapped(res, c.maxBytes, name);
      const mimeType = exportType ?? sourceType;
      const encoding = c.encoding === 'auto' ? (isText(mimeType) ? 'utf8' : 'base64') : c.encoding;
      return { output: { id: meta.id ?? c.fileId, name, mimeType, size: bytes.length, encoding, content: bytes.toString(encoding === 'utf8' ? 'utf8' : 'base64') } };
    });
  },
});
