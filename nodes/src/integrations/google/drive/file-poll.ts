// The polling behind drive.new_file and drive.file_updated (the engine owns the loop:
// engine/src/engine/poll-triggers.ts).
//
// Drive v3 files.list with q "'<folder>' in parents and trashed = false and <time> >= '<since>'",
// orderBy <time> ascending, rather than the changes API: changes.list reports every change in the
// whole Drive (edits, shares, trashing, other folders), so watching one folder would read and
// drop most of them and look each file's parents and createdTime up anyway; files.list asks
// Drive for exactly the folder's files in time order, with one bounded page per poll.
// The windowed cursor (framework/time-cursor.ts) handles equal timestamps at a poll's bound and
// Drive's search lag. Known limit (Drive's, and n8n's trigger's too): a file moved into the folder
// keeps its old createdTime, so drive.new_file does not report it (drive.file_updated does when
// the move changed modifiedTime).
import type { drive_v3 } from '@googleapis/drive';
import { z } from 'zod';
import { NonRetriableNodeError } from '../../../contract/index.ts';
import { formatTimeCursor, parseTimeCursor, scanTimed, startTimeCursor, windowStart, type PollTrigger, type ServiceCall, type TimedItem } from '../../framework/index.ts';
import { callGoogle } from '../errors.ts';
import { credentialIdField } from '../../framework/index.ts';
import { driveQuoted } from './options.ts';
import { driveClient, fileOutput, folderIdField, toFileOutput } from './fields.ts';

/** Runs started by one poll at most; the rest follow in the next polls. */
export const MAX_PER_POLL = 50;
/** Files asked for per files.list page (known ones in the window are skipped, so a little above MAX_PER_POLL). */
export const PAGE_SIZE = 100;
const PAGES_PER_POLL = 5;
/** How far back each poll looks again, for Drive's search lag (files.list can show a file seconds after its createdTime). */
export const DRIVE_LOOKBACK_MS = 3 * 60_000;
const FOLDER = 'application/vnd.google-apps.folder';
const POLL_FIELDS = 'nextPageToken,files(id,name,mimeType,size,createdTime,modifiedTime,webViewLink,parents)';

/** The common kinds a trigger can be narrowed to (Drive query clauses). */
export const FILE_TYPES = {
  any: `mimeType != '${FOLDER}'`,
  pdf: "mimeType = 'application/pdf'",
  image: "mimeType contains 'image/'",
  video: "mimeType contains 'video/'",
  audio: "mimeType contains 'audio/'",
  google_doc: "mimeType = 'application/vnd.google-apps.document'",
  google_sheet: "mimeType = 'application/vnd.google-apps.spreadsheet'",
  google_slides: "mimeType = 'application/vnd.google-apps.presentation'",
  folder: `mimeType = '${FOLDER}'`,
} as const;

export const drivePollConfig = z.strictObject({
  credentialId: credentialIdField,
  folderId: folderIdField.optional().describe('Watch this folder (id or URL; "root" for My Drive). Empty: the whole Drive'),
  fileType: z.enum(Object.keys(FILE_TYPES) as [keyof typeof FILE_TYPES, ...(keyof typeof FILE_TYPES)[]]).default('any').describe('Only files of this kind (any = every file but folders)'),
  mimeType: z.string().trim().regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a MIME type, e.g. application/pdf').max(200).optional().describe('Only files of exactly this MIME type (instead of fileType)'),
  intervalMinutes: z.coerce.number().int().min(1).max(60).default(1).describe('How often to check (minutes)'),
});
type Config = z.infer<typeof drivePollConfig>;

export const drivePollPayload = fileOutput.extend({ createdTime: z.string().nullable() });

function configOf(config: unknown): Config {
  const parsed = drivePollConfig.safeParse(config ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new NonRetriableNodeError(`${issue.path.join('.') || 'config'}: ${issue.message}`);
}

type Event = 'createdTime' | 'modifiedTime';
type Listed = TimedItem & { file: drive_v3.Schema$File };

function queryOf(cfg: Config, event: Event, since?: string): string {
  return [
    cfg.folderId ? `${driveQuoted(cfg.folderId)} in parents` : undefined,
    'trashed = false',
    cfg.mimeType ? `mimeType = ${driveQuoted(cfg.mimeType)}` : FILE_TYPES[cfg.fileType],
    // Whole seconds, as Drive's query examples write RFC 3339 (the window's look-back covers the rounding).
    since ? `${event} >= '${since.replace(/\.\d+Z$/, 'Z')}'` : undefined,
  ].filter(Boolean).join(' and ');
}

/** A new file is reported once (its id); an update once per modifiedTime (id@time). */
function listed(f: drive_v3.Schema$File, event: Event): Listed | undefined {
  const time = f[event];
  if (!f.id || !time) return undefined;
  return { key: event === 'createdTime' ? f.id : `${f.id}@${time}`, time, file: f };
}

function payloadOf(f: drive_v3.Schema$File): z.infer<typeof drivePollPayload> {
  return { ...toFileOutput(f), createdTime: f.createdTime ?? null };
}

/** The PollTrigger of drive.new_file (createdTime) or drive.file_updated (modifiedTime). */
export function drivePoll(type: 'drive.new_file' | 'drive.file_updated', event: Event): PollTrigger {
  const what = (cfg: Config) => (cfg.folderId ? `folder ${cfg.folderId}` : undefined);
  return {
    intervalMs: (config) => configOf(config).intervalMinutes * 60_000,
    // The newest files now (one page, newest first): the window before the newest is known, so
    // only files after activation start runs. Drive's time, not ours: no clock skew.
    start: (call: ServiceCall, { config }) => {
      const cfg = configOf(config);
      return callGoogle(call, what(cfg), async (c) => {
        const res = await driveClient(c, type).files.list({ q: queryOf(cfg, event), orderBy: `${event} desc`, pageSize: PAGE_SIZE, fields: POLL_FIELDS, supportsAllDrives: true, includeItemsFromAllDrives: true });
        const items = (res.data.files ?? []).map((f) => listed(f, event)).filter((i): i is Listed => i !== undefined);
        return { cursor: formatTimeCursor(startTimeCursor(items, DRIVE_LOOKBACK_MS)) };
      });
    },
    poll: (call, { config, cursor: raw, seen }) => {
      const cfg = configOf(config);
      const cursor = parseTimeCursor(raw);
      return callGoogle(call, what(cfg), async (c) => {
        const api = driveClient(c, type);
        const items: Listed[] = [];
        let pageToken: string | undefined;
        let pages = 0;
        const known = new Set([...cursor.known.map(([k]) => k), ...seen]);
        do {
          const res = await api.files.list({ q: queryOf(cfg, event, windowStart(cursor, DRIVE_LOOKBACK_MS)), orderBy: event, pageSize: PAGE_SIZE, fields: POLL_FIELDS, supportsAllDrives: true, includeItemsFromAllDrives: true, ...(pageToken ? { pageToken } : {}) });
          for (const f of res.data.files ?? []) {
            const i = listed(f, event);
            if (i) items.push(i);
          }
          pageToken = res.data.nextPageToken ?? undefined;
          pages += 1;
        } while (pageToken && pages < PAGES_PER_POLL && items.filter((i) => !known.has(i.key)).length <= MAX_PER_POLL);
        const scan = scanTimed(items, cursor, { seen, max: MAX_PER_POLL, lookbackMs: DRIVE_LOOKBACK_MS });
        return {
          items: scan.taken.map((i) => ({ id: i.key, payload: payloadOf(i.file) })),
          cursor: formatTimeCursor(scan.cursor),
          ...(scan.truncated || pageToken ? { note: 'more new files than one check takes; the rest follow in the next checks' } : {}),
        };
      });
    },
  };
}
