// A loopback SMTP server (RFC 5321, the part a client sending one message needs): greeting,
// EHLO/HELO, MAIL FROM, RCPT TO, DATA with dot-unstuffing, RSET, NOOP, QUIT. No TLS, no AUTH
// advertised. Every accepted message is kept for assertions.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Mail {
  from: string;
  to: string[];
  /** The message as sent (headers, blank line, body). */
  data: string;
  /** The same with RFC 2047 encoded words and a quoted-printable body decoded. */
  text: string;
}

const hex = (s: string) => s.replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
function decode(data: string): string {
  const split = data.indexOf('\r\n\r\n');
  const head = (split === -1 ? data : data.slice(0, split)).replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_, q: string) => Buffer.from(hex(q.replace(/_/g, ' ')), 'latin1').toString('utf8'));
  let body = split === -1 ? '' : data.slice(split + 4);
  if (/content-transfer-encoding: quoted-printable/i.test(head)) body = Buffer.from(hex(body.replace(/=\r\n/g, '')), 'latin1').toString('utf8');
  return `${head}\r\n\r\n${body}`;
}

export interface FakeSmtp {
  url: string;
  mails: Mail[];
  /** Set: RCPT is answered with this (e.g. a 550 naming an internal host) instead of 250. */
  refuseRecipients: string | undefined;
  close(): Promise<void>;
}

export async function startFakeSmtp(): Promise<FakeSmtp> {
  const mails: Mail[] = [];
  const state: { refuseRecipients: string | undefined } = { refuseRecipients: undefined };
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = '';
    let inData = false;
    let data: string[] = [];
    let from = '';
    let to: string[] = [];
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 fake-smtp.test ESMTP ready');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let i: number;
      while ((i = buffer.indexOf('\r\n')) !== -1) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            mails.push({ from, to, data: data.join('\r\n'), text: decode(data.join('\r\n')) });
            data = [];
            reply('250 2.0.0 queued');
          } else data.push(line.startsWith('.') ? line.slice(1) : line);
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-fake-smtp.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n');
        else if (verb === 'HELO') reply('250 fake-smtp.test');
        else if (verb === 'MAIL') {
          from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          to = [];
          reply('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          if (state.refuseRecipients) {
            reply(state.refuseRecipients);
            continue;
          }
          to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          reply('250 2.1.5 ok');
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 end with <CRLF>.<CRLF>');
        } else if (verb === 'RSET') {
          from = '';
          to = [];
          reply('250 ok');
        } else if (verb === 'NOOP') reply('250 ok');
        else if (verb === 'QUIT') {
          reply('221 bye');
          socket.end();
        } else reply('502 5.5.2 not implemented');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    get refuseRecipients() {
      return state.refuseRecipients;
    },
    set refuseRecipients(v: string | undefined) {
      state.refuseRecipients = v;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
