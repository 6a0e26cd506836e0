import { z } from 'zod';
import { defineNode } from '../../../contract/index.ts';
import { credentialIdField, serviceCall } from '../../framework/index.ts';
import { callGoogle } from '../errors.ts';
import { googleAction, googleSpec } from '../spec.ts';
import { driveQuoted } from './options.ts';
import { driveClient, FILE_FIELDS, fileOutput, folderIdField, toFileOutput } from './fields.ts';

/** The most files one step collects when following pages. */
export const MAX_LIST_FILES = 5000;

/** files.list: Drive's query language, one page or every page up to `maxFiles`. */
export const listNode = defineNode({
  type: 'drive.list',
  version: 1,
  title: 'Google Drive: list files',
  description: 'Lists files in Google Drive matching a search query or in a folder.',
  keywords: ['list drive files', 'find files in google drive', 'search drive', 'drive'],
  examples: [{ text: 'List the PDFs in the Invoices folder' }],
  ...googleAction,
  config: z.strictObject({
    credentialId: credentialIdField,
    query: z.string().trim().max(2000).optional().describe("Drive search query, e.g. name contains 'invoice' and mimeType = 'application/pdf'"),
    folderId: folderIdField.optional(),
    includeTrashed: z.boolean().default(false),
    pageSize: z.number().int().min(1).max(1000).default(100),
    pageToken: z.string().max(2000).optional().describe('nextPageToken of an earlier list, to continue it'),
    all: z.boolean().default(false).describe('Follow nextPageToken until maxFiles'),
    maxFiles: z.number().int().min(1).max(MAX_LIST_FILES).default(1000),
    orderBy: z.string().regex(/^[a-zA-Z_ ,]+$/, 'must be Drive sort keys, e.g. "modifiedTime desc,name"').max(200).optional(),
  }),
  output: z.object({ files: z.array(fileOutput), nextPageToken: z.string().nullable() }),
  async run(ctx) {
    const c = ctx.config;
    const q = [c.query ? `(${c.query})` : undefined, c.folderId ? `${driveQuoted(c.folderId)} in parents` : undefined, c.includeTrashed ? undefined : 'trashed = false'].filter(Boolean).join(' and ');
    return callGoogle(serviceCall(ctx, googleSpec), c.folderId ? `folder ${c.folderId}` : undefined, async (cc) => {
      const api = driveClient(cc, 'drive.list');
      const files: z.infer<typeof fileOutput>[] = [];
      let pageToken = c.pageToken;
      for (;;) {
        const res = await api.files.list({ q, pageSize: c.all ? Math.min(1000, c.maxFiles) : c.pageSize, fields: `nextPageToken,files(${FILE_FIELDS})`, supportsAllDrives: true, includeItemsFromAllDrives: true, ...(pageToken ? { pageToken } : {}), ...(c.orderBy ? { orderBy: c.orderBy } : {}) });
        files.push(...(res.data.files ?? []).map(toFileOutput));
        pageToken = res.data.nextPageToken ?? undefined;
        if (!c.all || !pageToken || files.length >= c.maxFiles) break;
      }
      const capped = files.slice(0, c.all ? c.maxFiles : files.length);
      return { output: { files: capped, nextPageToken: pageToken ?? null } };
    });
  },
});
