import { describe, expect, it } from 'vitest';
import { buildMime, encodeWords, formatAddress, MimeInputError, toRaw } from './mime.ts';
import { decodeHeader, parseMessage } from './parse-message.ts';

const fixed = { date: new Date("2026-12-02T10:00:00Z") };
const opts = () => ({ boundary: (() => { let n = 0; return () => `b${++n}`; })(), date: fixed.date });

/** Splits a message into its header block (unfolded) and body. */
function split(mime: string): { headers: Record<string, string>; body: string } {
  const at = mime.indexOf('\r\n\r\n');
  const head = mime.slice(0, at).replace(/\r\n[ \t]/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return { headers, body: mime.slice(at + 4) };
}

describe('buildMime', () => {
  it('writes a text-only message with CRLF line endings and no line over 78 columns', () => {
    const mime = buildMime({ to: ['a@example.com', 'Bob Smith <bob@example.com>'], subject: 'Hello there', text: 'line one\nline two' }, opts());
    expect(mime).not.toMatch(/[^\r]\n/);
    for (const line of mime.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    const { headers, body } = split(mime);
    expect(headers.to).toBe('a@example.com, "Bob Smith" <bob@example.com>');
    expect(headers.subject).toBe('Hello there');
    expect(headers['mime-version']).toBe('1.0');
    expect(headers['content-type']).toBe('text/plain; charset="UTF-8"');
    expect(Buffer.from(body, 'base64').toString('utf8')).toBe('line one\r\nline two');
  });

  it('encodes a non-ASCII subject and display name as RFC 2047 words that decode back', () => {
    const subject = 'Réunion — 会議の議題について、よろしくお願いします。長い件名でも折り返されます';
    const mime = buildMime({ to: ['Zoë Müller <zoe@example.com>'], subject, text: 'x' }, opts());
    for (const line of mime.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    const { headers } = split(mime);
    expect(headers.subject).toMatch(/^=\?UTF-8\?B\?/);
    expect(decodeHeader(headers.subject!)).toBe(subject);
    expect(decodeHeader(headers.to!)).toBe('Zoë Müller <zoe@example.com>');
    for (const w of encodeWords(subject)) expect(w.length).toBeLessThanOrEqual(75);
  });

  it('puts text and HTML in multipart/alternative, plain first', () => {
    const mime = buildMime({ to: ['a@example.com'], subject: 's', text: 'plain', html: '<p>rich</p>' }, opts());
    const { headers, body } = split(mime);
    expect(headers['content-type']).toBe('multipart/alternative; boundary="b1"');
    const parts = body.split('--b1');
    expect(parts).toHaveLength(4);
    expect(parts[1]).toContain('text/plain');
    expect(parts[2]).toContain('text/html');
    expect(parts[3]).toBe('--\r\n');
  });

  it('wraps attachments in multipart/mixed with RFC 2231 names and 76-column base64', () => {
    const content = Buffer.alloc(300, 7).toString('base64');
    const mime = buildMime({ to: ['a@example.com'], subject: 's', text: 't', html: '<b>h</b>', attachments: [{ filename: 'Übersicht 2026.pdf', mimeType: 'application/pdf', content }] }, opts());
    const { headers, body } = split(mime);
    expect(headers['content-type']).toBe('multipart/mixed; boundary="b2"');
    expect(body).toContain('Content-Type: multipart/alternative; boundary="b1"');
    expect(body).toContain(`filename="Ubersicht 2026.pdf";\r\n filename*=UTF-8''%C3%9Cbersicht%202026.pdf`);
    const b64 = body.split('Content-Transfer-Encoding: base64\r\n\r\n').at(-1)!.split('\r\n--b2')[0]!;
    expect(b64.split('\r\n').every((l) => l.length <= 76)).toBe(true);
    expect(Buffer.from(b64.replace(/\r\n/g, ''), 'base64').equals(Buffer.alloc(300, 7))).toBe(true);
  });

  it('keeps Bcc in the headers (Gmail delivers to it and strips it) and writes Cc', () => {
    const { headers } = split(buildMime({ to: ['a@example.com'], cc: ['c@example.com'], bcc: ['hidden@example.com'], subject: 's' }, opts()));
    expect(headers.cc).toBe('c@example.com');
    expect(headers.bcc).toBe('hidden@example.com');
  });

  it.each([
    [{ to: [], subject: 's' }, 'to'],
    [{ to: ['not-an-address'], subject: 's' }, 'to[0]'],
    [{ to: ['a@example.com'], cc: ['ok@example.com', 'x'], subject: 's' }, 'cc[1]'],
    [{ to: ['a@example.com'], subject: 'hi\r\nBcc: evil@example.com' }, 'subject'],
    [{ to: ['a@example.com\r\nBcc: evil@example.com'], subject: 's' }, 'to[0]'],
    [{ to: ['a@example.com'], subject: 's', attachments: [{ filename: 'a.txt', mimeType: 'text/plain', content: 'not base64!' }] }, 'attachments[0].content'],
    [{ to: ['a@example.com'], subject: 's', attachments: [{ filename: '', mimeType: 'text/plain', content: '' }] }, 'attachments[0].filename'],
    [{ to: ['a@example.com'], subject: 's', attachments: [{ filename: 'a', mimeType: 'text/plain\r\nX: y', content: '' }] }, 'attachments[0].mimeType'],
  ])('refuses bad input naming the field (%#)', (msg, field) => {
    try {
      buildMime(msg, opts());
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(MimeInputError);
      expect((err as MimeInputError).field).toBe(field);
    }
  });

  it('formats quoted names with escapes', () => {
    expect(formatAddress('to', '"A \\"B\\"" <a@b.co>')).toBe('"A \\"B\\"" <a@b.co>');
    expect(formatAddress('to', ' plain@b.co ')).toBe('plain@b.co');
  });

  it('round-trips through parseMessage as Gmail would present it', () => {
    const mime = buildMime({ to: ['a@example.com'], subject: 'Grüße', text: 'héllo', html: '<p>héllo</p>' }, opts());
    expect(toRaw(mime)).not.toMatch(/[+/=]/);
    // What Gmail's API returns for such a message: parts decoded to their bytes, base64url.
    const part = (mimeType: string, s: string) => ({ mimeType, headers: [{ name: 'Content-Type', value: `${mimeType}; charset="UTF-8"` }], body: { size: s.length, data: Buffer.from(s).toString('base64url') } });
    const parsed = parseMessage({ id: 'm1', threadId: 't1', payload: { mimeType: 'multipart/alternative', headers: [{ name: 'Subject', value: split(mime).headers.subject! }], parts: [part('text/plain', 'héllo'), part('text/html', '<p>héllo</p>')] } });
    expect(parsed).toMatchObject({ subject: 'Grüße', text: 'héllo', html: '<p>héllo</p>', attachments: [] });
  });
});

describe('parseMessage', () => {
  it('walks nested parts: bodies by type, attachments by filename or disposition, charsets honoured', () => {
    const latin1 = Buffer.from('café', 'latin1').toString('base64url');
    const parsed = parseMessage({
      id: 'm2', threadId: 't2', labelIds: ['INBOX', 'UNREAD'], snippet: 'snip', historyId: '99', internalDate: '1764669600000',
      payload: {
        mimeType: 'multipart/mixed',
        headers: [{ name: 'From', value: 'Ann <ann@example.com>' }, { name: 'To', value: 'me@example.com' }, { name: 'Subject', value: '=?ISO-8859-1?Q?Caf=E9_menu?=' }, { name: 'Received', value: 'a' }, { name: 'Received', value: 'b' }],
        parts: [
          { partId: '0', mimeType: 'multipart/alternative', parts: [
            { partId: '0.0', mimeType: 'text/plain', headers: [{ name: 'Content-Type', value: 'text/plain; charset=ISO-8859-1' }], body: { size: 4, data: latin1 } },
            { partId: '0.1', mimeType: 'text/html', headers: [{ name: 'Content-Type', value: 'text/html; charset=utf-8' }], body: { size: 9, data: Buffer.from('<b>hi</b>').toString('base64url') } },
          ] },
          { partId: '1', mimeType: 'application/pdf', filename: 'menu.pdf', body: { size: 2048, attachmentId: 'att-1' } },
          { partId: '2', mimeType: 'text/plain', headers: [{ name: 'Content-Disposition', value: 'attachment' }], body: { size: 3, data: Buffer.from('abc').toString('base64url') } },
        ],
      },
    });
    expect(parsed.subject).toBe('Café menu');
    expect(parsed.from).toBe('Ann <ann@example.com>');
    expect(parsed.headers.received).toBe('a, b');
    expect(parsed.text).toBe('café');
    expect(parsed.html).toBe('<b>hi</b>');
    expect(parsed.receivedAt).toBe('2025-12-02T10:00:00.000Z');
    expect(parsed.attachments).toEqual([
      { filename: 'menu.pdf', mimeType: 'application/pdf', size: 2048, partId: '1', attachmentId: 'att-1' },
      { filename: 'attachment', mimeType: 'text/plain', size: 3, partId: '2', content: Buffer.from('abc').toString('base64') },
    ]);
  });

  it('stops at a hostile nesting depth', () => {
    let part: Record<string, unknown> = { mimeType: 'text/plain', body: { data: Buffer.from('deep').toString('base64url') } };
    for (let i = 0; i < 100; i++) part = { mimeType: 'multipart/mixed', parts: [part] };
    expect(parseMessage({ id: 'x', payload: part }).text).toBe('');
  });
});

