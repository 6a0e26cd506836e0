// Reads a Gmail API message (users.messages.get, format=full) into what a workflow uses: the
// usual headers, the text and HTML bodies, and the attachments, by walking the payload's parts
// tree. Gmail has already undone the transfer encoding: `body.data` is base64url of the part's
// bytes in its own charset. Attachments (and large bodies) carry an `attachmentId` instead of
// data; get-message.node.ts fetches those when asked. Pure.
import type { gmail_v1 } from '@googleapis/gmail';

export interface ParsedAttachment {
  filename: string;
  mimeType: string;
  size: number;
  partId: string;
  attachmentId?: string;
  /** base64, when the part carried its data inline or it was fetched. */
  content?: string;
}

export interface ParsedMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  snippet: string;
  historyId: string;
  /** ISO time Gmail received the message. */
  receivedAt: string | null;
  from: string;
  to: string;
  cc: string;
  subject: string;
  date: string;
  messageIdHeader: string;
  /** Every header by lower-case name; repeated headers joined with ", ". */
  headers: Record<string, string>;
  text: string;
  html: string;
  attachments: ParsedAttachment[];
}

/** Decodes RFC 2047 encoded words (=?charset?B|Q?…?=); whitespace between adjacent words goes. */
export function decodeHeader(value: string): string {
  const joined = value.replace(/(=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[bBqQ]\?)/g, '$1');
  return joined.replace(/=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g, (whole, charset: string, enc: string, text: string) => {
    try {
      const bytes = enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
      return decodeBytes(bytes, charset);
    } catch {
      return whole;
    }
  });
}

function decodeBytes(bytes: Buffer, charset: string | undefined): string {
  const label = (charset ?? 'utf-8').replace(/\*.*$/, '').toLowerCase();
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

function charsetOf(part: gmail_v1.Schema$MessagePart): string | undefined {
  const ct = part.headers?.find((h) => h.name?.toLowerCase() === 'content-type')?.value ?? '';
  return /charset="?([^";\s]+)"?/i.exec(ct)?.[1];
}

function isAttachment(part: gmail_v1.Schema$MessagePart): boolean {
  if (part.filename) return true;
  const disposition = part.headers?.find((h) => h.name?.toLowerCase() === 'content-disposition')?.value ?? '';
  return /^\s*attachment/i.test(disposition);
}

/** The parts tree, depth first, with a bound so a hostile message cannot recurse forever. */
function* walk(part: gmail_v1.Schema$MessagePart, depth = 0): Generator<gmail_v1.Schema$MessagePart> {
  if (depth > 32) return;
  yield part;
  for (const child of part.parts ?? []) yield* walk(child, depth + 1);
}

export function parseMessage(msg: gmail_v1.Schema$Message): ParsedMessage {
  const payload = msg.payload ?? {};
  const headers: Record<string, string> = {};
  for (const h of payload.headers ?? []) {
    if (!h.name) continue;
    const name = h.name.toLowerCase();
    const value = decodeHeader(h.value ?? '');
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const texts: string[] = [];
  const htmls: string[] = [];
  const attachments: ParsedAttachment[] = [];
  for (const part of walk(payload)) {
    const mimeType = (part.mimeType ?? '').toLowerCase();
    if (mimeType.startsWith('multipart/')) continue;
    if (isAttachment(part)) {
      attachments.push({
        filename: decodeHeader(part.filename ?? '') || 'attachment',
        mimeType: part.mimeType ?? 'application/octet-stream',
        size: part.body?.size ?? 0,
        partId: part.partId ?? '',
        ...(part.body?.attachmentId ? { attachmentId: part.body.attachmentId } : {}),
        ...(part.body?.data ? { content: Buffer.from(part.body.data, 'base64url').toString('base64') } : {}),
      });
      continue;
    }
    const data = part.body?.data ? decodeBytes(Buffer.from(part.body.data, 'base64url'), charsetOf(part)) : '';
    if (mimeType === 'text/plain') texts.push(data);
    else if (mimeType === 'text/html') htmls.push(data);
  }
  const internal = msg.internalDate ? Number(msg.internalDate) : NaN;
  return {
    id: msg.id ?? '',
    threadId: msg.threadId ?? '',
    labelIds: msg.labelIds ?? [],
    snippet: msg.snippet ?? '',
    historyId: msg.historyId ?? '',
    receivedAt: Number.isFinite(internal) ? new Date(internal).toISOString() : null,
    from: headers.from ?? '',
    to: headers.to ?? '',
    cc: headers.cc ?? '',
    subject: headers.subject ?? '',
    date: headers.date ?? '',
    messageIdHeader: headers['message-id'] ?? '',
    headers,
    text: texts.join('\n'),
    html: htmls.join('\n'),
    attachments,
  };
}
