// Uploading to Drive: one multipart request (metadata + media) under the threshold; above it a
// resumable session — POST the metadata, then PUT the bytes in chunks (multiples of 256 KiB)
// with Content-Range; Drive answers 308 with the Range it holds until the last chunk. A chunk
// that fails (5xx, connection) asks the session where it is ("bytes */N") and resumes there.
import { Readable } from 'node:stream';
import { ServiceProblemError, type ServiceCall } from '../../framework/index.ts';
import { googleFetch, googleRequest } from '../client.ts';
import { googleProblem } from '../errors.ts';
import { driveClient, FILE_FIELDS } from './fields.ts';
import { driveScopes } from './scopes.ts';
import type { drive_v3 } from '@googleapis/drive';

/** Google's advice: multipart up to 5 MB, resumable above. */
export const RESUMABLE_THRESHOLD = 5 * 1024 * 1024;
/** Drive wants chunks in multiples of 256 KiB. */
export const CHUNK_GRANULARITY = 256 * 1024;
export const DEFAULT_CHUNK_SIZE = 16 * CHUNK_GRANULARITY; // 4 MiB
const CHUNK_ATTEMPTS = 3;

export interface UploadInput {
  name: string;
  mimeType: string;
  parents?: string[];
  description?: string;
  bytes: Buffer;
  /** Private app properties stored with the file (the step's idempotency mark). */
  appProperties?: Record<string, string>;
}

export interface UploadTuning {
  threshold?: number;
  chunkSize?: number;
}

const UPLOAD_URL = 'https://www.googleapis.com/upload/drive/v3/files';

function metadataOf(input: UploadInput): drive_v3.Schema$File {
  return { name: input.name, mimeType: input.mimeType, ...(input.parents ? { parents: input.parents } : {}), ...(input.description ? { description: input.description } : {}), ...(input.appProperties ? { appProperties: input.appProperties } : {}) };
}

export async function uploadFile(call: ServiceCall, input: UploadInput, tuning: UploadTuning = {}): Promise<{ file: drive_v3.Schema$File; method: 'multipart' | 'resumable'; chunks: number }> {
  const threshold = tuning.threshold ?? RESUMABLE_THRESHOLD;
  if (input.bytes.length <= threshold) {
    const res = await driveClient(call, 'drive.upload').files.create({
      requestBody: metadataOf(input),
      media: { mimeType: input.mimeType, body: Readable.from([input.bytes]) },
      fields: FILE_FIELDS,
      supportsAllDrives: true,
    });
    return { file: res.data, method: 'multipart', chunks: 1 };
  }
  return resumableUpload(call, input, tuning.chunkSize ?? DEFAULT_CHUNK_SIZE);
}

async function problemOf(res: Response): Promise<ServiceProblemError> {
  const text = await res.text().catch(() => '');
  return new ServiceProblemError(googleProblem({ response: { status: res.status, data: text, headers: res.headers } }) ?? { kind: 'server', message: `HTTP ${res.status}`, status: res.status });
}

/** The offset after the last byte Drive holds ("Range: bytes=0-N" → N+1; none → 0). */
function heldUpTo(res: Response): number {
  const m = /bytes=0-(\d+)/.exec(res.headers.get('range') ?? '');
  return m ? Number(m[1]) + 1 : 0;
}

export async function resumableUpload(call: ServiceCall, input: UploadInput, chunkSize: number): Promise<{ file: drive_v3.Schema$File; method: 'resumable'; chunks: number }> {
  if (chunkSize % CHUNK_GRANULARITY !== 0 || chunkSize <= 0) throw new Error('chunk size must be a positive multiple of 256 KiB');
  const total = input.bytes.length;
  const start = await googleRequest(call, driveScopes['drive.upload'] ?? [], {
    url: UPLOAD_URL,
    method: 'POST',
    params: { uploadType: 'resumable', fields: FILE_FIELDS, supportsAllDrives: 'true' },
    headers: { 'content-type': 'application/json; charset=UTF-8', 'x-upload-content-type': input.mimeType, 'x-upload-content-length': String(total) },
    data: metadataOf(input),
  });
  const session = start.headers.get('location');
  if (!session) throw new ServiceProblemError({ kind: 'server', message: 'Drive opened no upload session (no Location header)' });
  // The session URI authorises the upload by itself: the token is not sent again.
  const put = googleFetch(call);
  let offset = 0;
  let chunks = 0;
  let failures = 0;
  for (;;) {
    const end = Math.min(offset + chunkSize, total);
    let res: Response | undefined;
    try {
      res = await put(session, { method: 'PUT', headers: { 'content-range': `bytes ${offset}-${end - 1}/${total}`, 'content-length': String(end - offset) }, body: new Uint8Array(input.bytes.subarray(offset, end)) });
    } catch (err) {
      if (call.signal.aborted || err instanceof ServiceProblemError) throw err;
      res = undefined;
    }
    if (res && (res.status === 200 || res.status === 201)) return { file: (await res.json()) as drive_v3.Schema$File, method: 'resumable', chunks: chunks + 1 };
    if (res && res.status === 308) {
      chunks += 1;
      offset = heldUpTo(res);
      continue;
    }
    if (res && res.status < 500 && res.status !== 429) throw await problemOf(res);
    // A failed chunk: ask the session how much it holds, and go on from there.
    failures += 1;
    if (failures >= CHUNK_ATTEMPTS) throw res ? await problemOf(res) : new ServiceProblemError({ kind: 'network', message: 'the upload connection failed' });
    const status = await put(session, { method: 'PUT', headers: { 'content-range': `bytes */${total}`, 'content-length': '0' } });
    if (status.status === 200 || status.status === 201) return { file: (await status.json()) as drive_v3.Schema$File, method: 'resumable', chunks };
    if (status.status !== 308) throw await problemOf(status);
    offset = heldUpTo(status);
  }
}
