// Builds the RFC 5322 / MIME message gmail.send hands to users.messages.send as `raw`.
//   - headers: non-ASCII text as RFC 2047 encoded words (UTF-8, base64), folded at 78 columns;
//     a CR or LF in any header value is refused (header injection);
//   - text only: one text/plain part; text + HTML: multipart/alternative (plain first, so a
//     client that cannot show HTML shows the text); attachments: multipart/mixed around it;
//   - bodies base64 in 76-column lines, so no line ever exceeds MIME's 998 limit;
//   - attachment names: an ASCII `filename=` fallback plus RFC 2231 `filename*=UTF-8''…`.
// CRLF line endings throughout. Pure: the boundary and date are injectable for tests.
import { randomBytes } from 'node:crypto';

export interface MailAttachment {
  filename: string;
  mimeType: string;
  /** The content, base64 (standard or URL-safe alphabet). */
  content: string;
}

export interface MailMessage {
  to: readonly string[];
  cc?: readonly string[];
  bcc?: readonly string[];
  from?: string;
  replyTo?: string;
  subject: string;
  text?: string;
  html?: string;
  attachments?: readonly MailAttachment[];
}

export interface MimeOptions {
  boundary?: () => string;
  date?: Date;
}

/** A problem with the message's input, naming the field. */
export class MimeInputError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
    this.name = 'MimeInputError';
  }
}

const CRLF = '\r\n';
const MAX_LINE = 78;
// Deliberately simple: something@something.tld, no spaces or angle brackets.
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

const isAscii = (s: string): boolean => /^[\x20-\x7e]*$/.test(s);

/** RFC 2047 encoded words for `text`, each at most 75 characters, never splitting a character. */
export function encodeWords(text: string): string[] {
  const words: string[] = [];
  // base64 of 39 bytes is 52 chars, 64 with "=?UTF-8?B?" and "?=": "Subject: " plus one word fits 78.
  const maxBytes = 39;
  let chunk = '';
  for (const ch of text) {
    if (Buffer.byteLength(chunk + ch, 'utf8') > maxBytes) {
      words.push(`=?UTF-8?B?${Buffer.from(chunk, 'utf8').toString('base64')}?=`);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk !== '' || words.length === 0) words.push(`=?UTF-8?B?${Buffer.from(chunk, 'utf8').toString('base64')}?=`);
  return words;
}

function noBreaks(field: string, value: string): string {
  if (/[\r\n\0]/.test(value)) throw new MimeInputError(field, 'must not contain line breaks');
  return value;
}

/** A header line, folded (CRLF + space) so no line passes 78 columns where it can be avoided. */
function header(name: string, tokens: readonly string[], separator = ' '): string {
  let line = `${name}:`;
  let out = '';
  tokens.forEach((token, i) => {
    const sep = i === 0 ? ' ' : separator;
    if (i > 0 && line.length + sep.length + token.length > MAX_LINE) {
      out += line + sep.trimEnd() + CRLF;
      line = ` ${token}`;
    } else line += sep + token;
  });
  return out + line + CRLF;
}

/** Unstructured text (Subject): plain words when ASCII, encoded words otherwise. */
function textTokens(field: string, value: string): string[] {
  noBreaks(field, value);
  if (isAscii(value)) return value.split(' ').filter((w, i, all) => w !== '' || all.length === 1);
  return encodeWords(value);
}

/** One mailbox, "Name <a@b.c>" or "a@b.c", as header text; the display name encoded when needed. */
export function formatAddress(field: string, raw: string): string {
  const value = noBreaks(field, raw.trim());
  const angle = /^(.*?)\s*<([^<>]+)>$/.exec(value);
  const email = (angle ? angle[2]! : value).trim();
  if (!EMAIL.test(email)) throw new MimeInputError(field, `"${email.slice(0, 100)}" is not an email address`);
  const shown = angle ? angle[1]!.trim() : '';
  const quoted = /^"(.*)"$/.exec(shown);
  const name = quoted ? quoted[1]!.replace(/\\(.)/g, '$1') : shown;
  if (name === '') return email;
  if (isAscii(name)) return `"${name.replace(/(["\\])/g, '\\$1')}" <${email}>`;
  return `${encodeWords(name).join(' ')} <${email}>`;
}

function addressHeader(name: string, field: string, list: readonly string[]): string {
  const formatted = list.map((a, i) => formatAddress(`${field}[${i}]`, a));
  return header(name, formatted.map((a, i) => (i < formatted.length - 1 ? `${a},` : a)));
}

/** Base64 of `data` in 76-column lines. */
function base64Lines(data: Buffer): string {
  const b64 = data.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join(CRLF);
}

/** Strict base64 (either alphabet, padding optional) → bytes; anything else is refused. */
export function decodeBase64(field: string, content: string): Buffer {
  const clean = content.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(clean) || clean.replace(/=+$/, '').length % 4 === 1) throw new MimeInputError(field, 'must be base64');
  return Buffer.from(clean.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** RFC 2231 / 5987 percent-encoding of a parameter value. */
function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `; filename="…"` with an ASCII fallback, plus `filename*=UTF-8''…` when the name is not plain ASCII. */
export function fileParams(param: 'filename' | 'name', filename: string): string {
  const ascii = filename.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '_').trim() || 'attachment';
  const plain = `${param}="${ascii}"`;
  return ascii === filename ? plain : `${plain};${CRLF} ${param}*=UTF-8''${percentEncode(filename)}`;
}

const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;

function textPart(subtype: 'plain' | 'html', body: string): string {
  const normalised = body.replace(/\r?\n/g, CRLF);
  return `Content-Type: text/${subtype}; charset="UTF-8"${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}${base64Lines(Buffer.from(normalised, 'utf8'))}${CRLF}`;
}

function attachmentPart(a: MailAttachment, i: number): string {
  const field = `attachments[${i}]`;
  if (typeof a.filename !== 'string' || a.filename.trim() === '') throw new MimeInputError(`${field}.filename`, 'is required');
  noBreaks(`${field}.filename`, a.filename);
  const mimeType = a.mimeType || 'application/octet-stream';
  if (!MIME_TYPE.test(mimeType)) throw new MimeInputError(`${field}.mimeType`, `"${mimeType.slice(0, 100)}" is not a MIME type`);
  const data = decodeBase64(`${field}.content`, a.content);
  return `Content-Type: ${mimeType}; ${fileParams('name', a.filename)}${CRLF}Content-Disposition: attachment; ${fileParams('filename', a.filename)}${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}${base64Lines(data)}${CRLF}`;
}

function multipart(subtype: 'alternative' | 'mixed', boundary: string, parts: readonly string[]): string {
  return `Content-Type: multipart/${subtype}; boundary="${boundary}"${CRLF}${CRLF}${parts.map((p) => `--${boundary}${CRLF}${p}`).join(CRLF)}${CRLF}--${boundary}--${CRLF}`;
}

const defaultBoundary = (): string => `kf_${randomBytes(12).toString('hex')}`;

/** The whole message as text (CRLF). Throws MimeInputError naming the field on bad input. */
export function buildMime(msg: MailMessage, opts: MimeOptions = {}): string {
  if (msg.to.length === 0) throw new MimeInputError('to', 'needs at least one address');
  const boundary = opts.boundary ?? defaultBoundary;
  let head = '';
  if (msg.from) head += header('From', [formatAddress('from', msg.from)]);
  head += addressHeader('To', 'to', msg.to);
  if (msg.cc?.length) head += addressHeader('Cc', 'cc', msg.cc);
  // Gmail reads Bcc for delivery and removes it from what recipients get.
  if (msg.bcc?.length) head += addressHeader('Bcc', 'bcc', msg.bcc);
  if (msg.replyTo) head += header('Reply-To', [formatAddress('replyTo', msg.replyTo)]);
  head += header('Subject', textTokens('subject', msg.subject));
  head += `Date: ${(opts.date ?? new Date()).toUTCString().replace('GMT', '+0000')}${CRLF}MIME-Version: 1.0${CRLF}`;

  const bodies: string[] = [];
  if (msg.text !== undefined || msg.html === undefined) bodies.push(textPart('plain', msg.text ?? ''));
  if (msg.html !== undefined) bodies.push(textPart('html', msg.html));
  let body = bodies.length === 1 ? bodies[0]! : multipart('alternative', boundary(), bodies);
  const attachments = msg.attachments ?? [];
  if (attachments.length) body = multipart('mixed', boundary(), [body, ...attachments.map(attachmentPart)]);
  return head + body;
}

/** The message as Gmail's `raw`: base64url of the bytes. */
export function toRaw(mime: string): string {
  return Buffer.from(mime, 'utf8').toString('base64url');
}
