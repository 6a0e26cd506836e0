import { z } from 'zod';
import { defineNode } from '../../../contract/index.ts';
import { credentialIdField, serviceCall } from '../../framework/index.ts';
import { callGoogle } from '../errors.ts';
import { googleAction, googleSpec } from '../spec.ts';
import { driveClient, fileIdField } from './fields.ts';

/** permissions.create: gives a person, group, domain or anyone with the link a role on a file. */
export const shareNode = defineNode({
  type: 'drive.share',
  version: 1,
  title: 'Google Drive: share file',
  description: 'Shares a Drive file or folder with a person, group, domain or anyone with the link.',
  keywords: ['share the file', 'give access', 'share on google drive', 'drive'],
  examples: [{ text: 'Share the uploaded report with the client as a viewer' }],
  ...googleAction,
  config: z
    .strictObject({
      credentialId: credentialIdField,
      fileId: fileIdField,
      type: z.enum(['user', 'group', 'domain', 'anyone']).default('user'),
      // Ownership transfer is left out on purpose: it cannot be undone by the workflow.
      role: z.enum(['reader', 'commenter', 'writer', 'fileOrganizer', 'organizer']).default('reader'),
      emailAddress: z.email('must be an email address').optional(),
      domain: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'must be a domain like example.com').optional(),
      sendNotificationEmail: z.boolean().default(true),
      emailMessage: z.string().max(2000).optional(),
    })
    .superRefine((c, ctx) => {
      if ((c.type === 'user' || c.type === 'group') && !c.emailAddress) ctx.addIssue({ code: 'custom', path: ['emailAddress'], message: `is required to share with a ${c.type}` });
      if (c.type === 'domain' && !c.domain) ctx.addIssue({ code: 'custom', path: ['domain'], message: 'is required to share with a domain' });
      if ((c.type === 'domain' || c.type === 'anyone') && c.emailAddress) ctx.addIssue({ code: 'custom', path: ['emailAddress'], message: `is only for type user or group, not ${c.type}` });
    }),
  output: z.object({ fileId: z.string(), permissionId: z.string(), type: z.string(), role: z.string(), emailAddress: z.string().nullable() }),
  async run(ctx) {
    const c = ctx.config;
    const personal = c.type === 'user' || c.type === 'group';
    return callGoogle(serviceCall(ctx, googleSpec), `file ${c.fileId}`, async (cc) => {
      const res = await driveClient(cc, 'drive.share').permissions.create({
        fileId: c.fileId,
        supportsAllDrives: true,
        fields: 'id,type,role,emailAddress,domain',
        requestBody: { type: c.type, role: c.role, ...(personal ? { emailAddress: c.emailAddress! } : {}), ...(c.type === 'domain' ? { domain: c.domain! } : {}) },
        // Drive mails only users and groups; the flag is refused for the others.
        ...(personal ? { sendNotificationEmail: c.sendNotificationEmail, ...(c.emailMessage && c.sendNotificationEmail ? { emailMessage: c.emailMessage } : {}) } : {}),
      });
      const p = res.data;
      return { output: { fileId: c.fileId, permissionId: p.id ?? '', type: p.type ?? c.type, role: p.role ?? c.role, emailAddress: p.emailAddress ?? null } };
    });
  },
});
