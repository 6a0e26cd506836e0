// The current upload flow (files.upload is retired): ask for an upload URL, POST the bytes
// there, then complete the upload into a channel, as the SDK's filesUploadV2 does.
import { z } from 'zod';
import { defineNode, NonRetriableNodeError } from '../../contract/index.ts';
import { callService, isAllowedApiUrl, ServiceProblemError } from '../framework/index.ts';
import { credentialIdField } from '../framework/index.ts';
import { slackApi, slackCall, str } from './call-slack.ts';
import { tsField } from './fields.ts';
import { slackSpec, slackSubject } from './spec.ts';

/** What one step may upload; a run's config is bounded anyway, this keeps the message clear. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

export const uploadFileConfig = z
  .strictObject({
    credentialId: credentialIdField,
    filename: z.string().trim().min(1).max(255).regex(/^[^/\\\u0000-\u001f]+$/, 'must be a file name without slashes or control characters'),
    content: z.string().optional().describe('The file as text (UTF-8)'),
    contentBase64: z.base64('must be base64').optional().describe('Or the file as base64 bytes'),
    title: z.string().max(255).optional(),
    channel: z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a channel id (C0123…)').optional().describe('Share in this channel (id); omit to upload privately'),
    initialComment: z.string().max(40_000).optional(),
    threadTs: tsField.optional(),
  })
  .refine((c) => (c.content === undefined) !== (c.contentBase64 === undefined), { message: 'give exactly one of content and contentBase64', path: ['content'] })
  .refine((c) => c.threadTs === undefined || c.channel !== undefined, { message: 'threadTs needs channel', path: ['threadTs'] });

export const uploadFileNode = defineNode({
  type: 'slack.upload_file',
  version: 1,
  title: 'Slack: upload a file',
  description: 'Uploads a file (text or base64) and optionally shares it in a channel or thread.',
  keywords: ["upload a file", "upload", "file", "attachment", "report file"],
  examples: [
    { text: "Upload the report as a file", config: {"filename": "report.txt", "content": "{{ $trigger.body }}"} },
  ],
  category: 'integration',
  kind: 'action',
  config: uploadFileConfig,
  output: z.object({ fileId: z.string(), title: z.string().optional(), permalink: z.string().optional() }),
  credential: { provider: 'slack' },
  timeoutMs: 120_000,
  async run(ctx) {
    const c = ctx.config;
    const bytes = c.content !== undefined ? Buffer.from(c.content, 'utf8') : Buffer.from(c.contentBase64 ?? '', 'base64');
    if (bytes.length === 0) throw new NonRetriableNodeError('the file is empty');
    if (bytes.length > MAX_UPLOAD_BYTES) throw new NonRetriableNodeError(`the file is ${bytes.length} bytes, over the ${MAX_UPLOAD_BYTES}-byte limit`);
    const call = slackCall(ctx);
    const target = await slackApi(call, 'files.getUploadURLExternal', { filename: c.filename, length: bytes.length });
    const uploadUrl = str(target.upload_url);
    const fileId = str(target.file_id);
    if (!uploadUrl || !fileId) throw new NonRetriableNodeError('Slack answered files.getUploadURLExternal without upload_url and file_id');
    // The URL came from the API's answer: it still has to be Slack's (or the operator's base URL).
    if (!isAllowedApiUrl(slackSpec, call.baseUrl, uploadUrl)) throw new NonRetriableNodeError('refused: Slack gave an upload URL outside its own hosts');
    await callService(call, slackSubject, async (c2) => {
      let res: Response;
      try {
        // The upload URL is pre-signed: the token is not sent there.
        res = await c2.fetch(uploadUrl, { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' }, redirect: 'error', signal: c2.signal });
      } catch {
        throw new ServiceProblemError({ kind: 'network', message: 'the file upload connection failed' });
      }
      await res.arrayBuffer().catch(() => undefined);
      if (res.status === 200) return;
      throw new ServiceProblemError({ kind: res.status >= 500 ? 'server' : res.status === 429 ? 'rate_limited' : 'validation', message: `the file upload answered HTTP ${res.status}`, status: res.status });
    });
    const done = await slackApi(
      call,
      'files.completeUploadExternal',
      { files: [{ id: fileId, ...(c.title ? { title: c.title } : {}) }], channel_id: c.channel, initial_comment: c.initialComment, thread_ts: c.threadTs },
      c.channel ? { channel: c.channel } : undefined,
    );
    const file = Array.isArray(done.files) ? (done.files[0] as Record<string, unknown> | undefined) : undefined;
    const title = str(file?.title);
    const permalink = str(file?.permalink);
    return { output: { fileId: str(file?.id) ?? fileId, ...(title ? { title } : {}), ...(permalink ? { permalink } : {}) } };
  },
});
