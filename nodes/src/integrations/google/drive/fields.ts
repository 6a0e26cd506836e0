// Config fields and the Drive client shared by the Drive nodes.
import type { drive_v3 } from '@googleapis/drive';
import { z } from 'zod';
import type { ServiceCall } from '../../framework/index.ts';
import { googleApiOptions } from '../client.ts';
import { googleSdk } from '../sdk.ts';
import { driveScopes } from './scopes.ts';

/** A Drive file id, or its URL (…/d/<id>/…, ?id=<id>). */
export const fileIdField = z
  .preprocess((v) => (typeof v === 'string' ? (/\/d\/([A-Za-z0-9_-]{10,})/.exec(v)?.[1] ?? /[?&]id=([A-Za-z0-9_-]{10,})/.exec(v)?.[1] ?? v.trim()) : v), z.string().regex(/^[A-Za-z0-9_-]{10,200}$/, 'must be a Drive file id or its URL'))
  .describe('File id or URL');

/** A folder id, its URL, or "root" (My Drive). */
export const folderIdField = z
  .preprocess((v) => (typeof v === 'string' ? (/\/folders\/([A-Za-z0-9_-]{10,})/.exec(v)?.[1] ?? v.trim()) : v), z.string().regex(/^([A-Za-z0-9_-]{10,200}|root)$/, 'must be a Drive folder id, its URL, or "root"'))
  .describe('Folder id or URL ("root" for My Drive)');

export const FILE_FIELDS = 'id,name,mimeType,size,modifiedTime,webViewLink,parents';

export const fileOutput = z.object({
  id: z.string(),
  name: z.string(),
  mimeType: z.string(),
  size: z.number().int().nullable(),
  modifiedTime: z.string().nullable(),
  webViewLink: z.string().nullable(),
  parents: z.array(z.string()),
});
export type FileOutput = z.infer<typeof fileOutput>;

export function toFileOutput(f: drive_v3.Schema$File): FileOutput {
  return {
    id: f.id ?? '',
    name: f.name ?? '',
    mimeType: f.mimeType ?? '',
    size: f.size !== undefined && f.size !== null ? Number(f.size) : null,
    modifiedTime: f.modifiedTime ?? null,
    webViewLink: f.webViewLink ?? null,
    parents: f.parents ?? [],
  };
}

export function driveClient(call: ServiceCall, type: keyof typeof driveScopes): drive_v3.Drive {
  return googleSdk().drive({ version: 'v3', ...googleApiOptions(call, driveScopes[type] ?? []) });
}
