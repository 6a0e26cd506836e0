// Where an alert goes: email (SMTP from KEYFLOW_SMTP_URL through nodemailer), a Slack message
// through the owner's Slack connection, or a signed webhook through the SSRF-guarded fetch.
import { createHmac } from 'node:crypto';
import { findIntegration, serviceCallFor, slackApi } from '@keyflow/nodes';
import type { ServiceSettings } from '@keyflow/nodes/contract';
import { openForCheck, type LenderOptions } from '../engine/credential-lender.ts';
import type { SafeFetch } from '../net/index.ts';
import type { Db } from '../store/database.ts';
import type { Keyring } from '../vault/keyring.ts';

export interface AlertMessage {
  id: string;
  kind: string;
  subject: string;
  text: string;
  link: string | null;
  at: Date;
}

export const SIGNATURE_HEADER = 'x-keyflow-signature';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` — the receiver recomputes it with the shared secret. */
export function signWebhook(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

export async function sendEmail(smtp: { url: string; from: string }, to: string, m: AlertMessage): Promise<void> {
  // Loaded on the first email, not at start-up: nodemailer is ~5 MB of heap every process would carry.
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport(smtp.url);
  try {
    await transport.sendMail({ from: smtp.from, to, subject: `[Keyflow] ${m.subject}`, text: `${m.text}${m.link ? `\n\n${m.link}` : ''}\n` });
  } finally {
    transport.close();
  }
}

export async function postWebhook(fetch: SafeFetch, url: string, secret: string | undefined, m: AlertMessage): Promise<void> {
  const body = JSON.stringify({ id: m.id, kind: m.kind, subject: m.subject, text: m.text, link: m.link, at: m.at.toISOString() });
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-keyflow-alert-id': m.id };
  if (secret) headers[SIGNATURE_HEADER] = signWebhook(secret, body, m.at);
  const res = await fetch(url, { method: 'POST', headers, body, followRedirects: false, signal: AbortSignal.timeout(10_000) });
  if (res.status < 200 || res.status > 299) throw new Error(`the webhook answered ${res.status}`);
}

export async function postSlack(deps: { db: Db; keyring: Keyring; lender: LenderOptions; settings: ServiceSettings }, ownerId: string, credentialId: string, channel: string, m: AlertMessage): Promise<void> {
  const integration = findIntegration('slack');
  if (!integration) throw new Error('the Slack integration is missing');
  const credential = await openForCheck(deps.db, deps.keyring, deps.lender, ownerId, credentialId);
  if (!credential) throw new Error('the Slack connection is gone');
  const call = serviceCallFor(integration, credential, deps.settings, AbortSignal.timeout(10_000));
  await slackApi(call, 'chat.postMessage', { channel, text: `*${m.subject}*\n${m.text}${m.link ? `\n<${m.link}|Open the run>` : ''}`, unfurl_links: false });
}
