import { describe, it, expect } from 'vitest';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { signingKey, verifySignature } from './signature.ts';
import { signaturePresets } from './signature-presets.ts';
import type { SignatureConfig } from './signature-config.schema.ts';

const vectorFile = z.object({
  vectors: z.array(
    z.object({
      id: z.string(),
      provider: z.string(),
      secret: z.string().optional(),
      signing_secret: z.string().optional(),
      timestamp: z.union([z.string(), z.number()]).optional(),
      webhook_id: z.string().optional(),
      headers: z.record(z.string(), z.string()).optional(),
      raw_body: z.string(),
      expected_signature: z.string().optional(),
      expected_header: z.string().optional(),
    }),
  ),
  negative_cases_apply_to_all: z.array(z.string()).min(1),
});
const file = vectorFile.parse(JSON.parse(readFileSync(new URL('./fixtures/webhook-signatures.json', import.meta.url), 'utf8')));
const byId = (id: string) => {
  const found = file.vectors.find((v) => v.id === id);
  if (!found) throw new Error(`fixture vector ${id} missing`);
  return found;
};

/** One vector, turned into what a request would carry. */
type Case = {
  id: string;
  config: SignatureConfig;
  secret: string;
  headers: Record<string, string>;
  body: Buffer;
  now: Date;
  /** Header holding the signature, and how to rewrite the signature part inside it. */
  sigHeader: string;
  prefix: string;
  timestampHeader?: string;
};

function cases(): Case[] {
  const slack = byId('slack-v0-doc-example');
  const github = byId('github-x-hub-signature-256-doc-example');
  const standard = byId('standard-webhooks-spec-vector');
  const stripe = byId('stripe-v1-derived');
  const at = (ts: string | number | undefined) => new Date(Number(ts) * 1000);
  return [
    {
      id: slack.id,
      config: signaturePresets.slack,
      secret: slack.signing_secret ?? '',
      headers: { ...slack.headers },
      body: Buffer.from(slack.raw_body),
      now: at(slack.timestamp),
      sigHeader: 'X-Slack-Signature',
      prefix: 'v0=',
      timestampHeader: 'X-Slack-Request-Timestamp',
    },
    {
      id: github.id,
      config: signaturePresets.github,
      secret: github.secret ?? '',
      headers: { 'X-Hub-Signature-256': github.expected_signature ?? '' },
      body: Buffer.from(github.raw_body),
      now: new Date('2026-01-01T00:00:00Z'),
      sigHeader: 'X-Hub-Signature-256',
      prefix: 'sha256=',
    },
    {
      id: standard.id,
      config: signaturePresets.standardWebhooks,
      secret: standard.secret ?? '',
      headers: {
        'webhook-id': standard.webhook_id ?? '',
        'webhook-timestamp': String(standard.timestamp),
        'webhook-signature': standard.expected_signature ?? '',
      },
      body: Buffer.from(standard.raw_body),
      now: at(standard.timestamp),
      sigHeader: 'webhook-signature',
      prefix: 'v1,',
      timestampHeader: 'webhook-timestamp',
    },
    {
      id: stripe.id,
      config: signaturePresets.stripe,
      secret: stripe.secret ?? '',
      headers: { 'Stripe-Signature': stripe.expected_header ?? '' },
      body: Buffer.from(stripe.raw_body),
      now: at(stripe.timestamp),
      sigHeader: 'Stripe-Signature',
      prefix: 'v1=',
    },
  ];
}

const all = cases();
const verify = (c: Case, changes: Partial<Case> = {}) => {
  const x = { ...c, ...changes };
  return verifySignature(x.config, x.secret, x.headers, x.body, x.now);
};
/** Rewrites the signature inside the signature header (Stripe's also carries `t=`). */
const withSignature = (c: Case, rewrite: (sig: string) => string): Record<string, string> => {
  const value = c.headers[c.sigHeader] ?? '';
  const start = value.indexOf(c.prefix) + c.prefix.length;
  return { ...c.headers, [c.sigHeader]: value.slice(0, start) + rewrite(value.slice(start)) };
};
const shifted = (c: Case, seconds: number) => new Date(c.now.getTime() + seconds * 1000);
const timed = all.filter((c) => c.id !== 'github-x-hub-signature-256-doc-example');

it('covers every vector in the fixture file', () => {
  expect(all.map((c) => c.id).sort()).toEqual(file.vectors.map((v) => v.id).sort());
});

describe.each(all)('$id', (c) => {
  it('accepts the known-answer signature', () => {
    expect(verify(c)).toMatchObject({ ok: true });
  });

  it('finds headers case-insensitively', () => {
    const lower = Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k.toLowerCase(), v]));
    const upper = Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(verify(c, { headers: lower })).toMatchObject({ ok: true });
    expect(verify(c, { headers: upper })).toMatchObject({ ok: true });
  });

  it.each([
    ['one byte changed', (b: Buffer) => Buffer.from(b.map((x, i) => (i === 0 ? x ^ 1 : x)))],
    ['trailing space', (b: Buffer) => Buffer.concat([b, Buffer.from(' ')])],
    ['trailing newline', (b: Buffer) => Buffer.concat([b, Buffer.from('\n')])],
    ['truncated', (b: Buffer) => b.subarray(0, b.length - 1)],
  ])('rejects a tampered body: %s', (_label, tamper) => {
    expect(verify(c, { body: tamper(c.body) })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a wrong secret', () => {
    expect(verify(c, { secret: c.secret.slice(0, -2) + 'AA' })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it.each<[string, (s: string) => string]>([
    ['one character flipped', (s) => (s[0] === 'a' ? 'b' : 'a') + s.slice(1)],
    ['truncated by one', (s) => s.slice(0, -1)],
    ['half length', (s) => s.slice(0, s.length / 2)],
    ['one extra character', (s) => s + '0'],
    ['upper-cased', (s) => s.toUpperCase()],
  ])('rejects a tampered signature: %s, without throwing', (_label, rewrite) => {
    expect(verify(c, { headers: withSignature(c, rewrite) })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it.each<[string, (h: Record<string, string>, c: Case) => Record<string, string>]>([
    ['header absent', (h, k) => Object.fromEntries(Object.entries(h).filter(([name]) => name !== k.sigHeader))],
    ['header empty', (h, k) => ({ ...h, [k.sigHeader]: '' })],
    ['prefix only', (h, k) => ({ ...h, [k.sigHeader]: k.sigHeader === 'Stripe-Signature' ? `${h[k.sigHeader]?.split(',')[0]},v1=` : k.prefix })],
    ['wrong prefix', (h, k) => ({ ...h, [k.sigHeader]: (h[k.sigHeader] ?? '').replace(k.prefix, 'v9=') })],
  ])('rejects a missing signature: %s', (_label, edit) => {
    expect(verify(c, { headers: edit(c.headers, c) })).toEqual({ ok: false, reason: 'missing_signature' });
  });
});

describe.each(timed)('$id timestamps', (c) => {
  it.each([-300, 300, -1, 1])('accepts a clock %is away (inside the 300 s window)', (seconds) => {
    expect(verify(c, { now: shifted(c, seconds) })).toMatchObject({ ok: true });
  });

  it.each([
    ['too old', 301],
    ['in the future', -301],
    ['far in the future', -10_000],
  ])('rejects a timestamp %s', (_label, seconds) => {
    expect(verify(c, { now: shifted(c, seconds as number) })).toEqual({ ok: false, reason: 'timestamp_out_of_range' });
  });

  it.each(['soon', '1e9', ' 1531420618', '-1', '0x10', '', '12.5'])('rejects the non-numeric timestamp %j', (ts) => {
    const headers = c.timestampHeader
      ? { ...c.headers, [c.timestampHeader]: ts }
      : { ...c.headers, [c.sigHeader]: (c.headers[c.sigHeader] ?? '').replace(/^t=\d+/, `t=${ts}`) };
    expect(verify(c, { headers })).toEqual({ ok: false, reason: 'missing_timestamp' });
  });

  it('rejects a missing timestamp', () => {
    const headers = c.timestampHeader
      ? Object.fromEntries(Object.entries(c.headers).filter(([k]) => k !== c.timestampHeader))
      : { ...c.headers, [c.sigHeader]: (c.headers[c.sigHeader] ?? '').replace(/^t=\d+,/, '') };
    expect(verify(c, { headers })).toEqual({ ok: false, reason: 'missing_timestamp' });
  });

  it('rejects a replayed signature moved onto a fresh timestamp', () => {
    const fresh = String(Math.floor(c.now.getTime() / 1000) + 60);
    const headers = c.timestampHeader
      ? { ...c.headers, [c.timestampHeader]: fresh }
      : { ...c.headers, [c.sigHeader]: (c.headers[c.sigHeader] ?? '').replace(/^t=\d+/, `t=${fresh}`) };
    expect(verify(c, { headers, now: shifted(c, 60) })).toEqual({ ok: false, reason: 'bad_signature' });
  });
});

describe('scheme details', () => {
  const [slack, github, standard, stripe] = all as [Case, Case, Case, Case];

  it('GitHub: the legacy sha1 header is not accepted even when correct', () => {
    const sha1 = createHmac('sha1', github.secret).update(github.body).digest('hex');
    expect(verify(github, { headers: { 'X-Hub-Signature': `sha1=${sha1}` } })).toEqual({ ok: false, reason: 'missing_signature' });
  });

  it('Slack: a v1= signature is not read as v0=', () => {
    const headers = withSignature(slack, (s) => s);
    headers['X-Slack-Signature'] = (headers['X-Slack-Signature'] ?? '').replace('v0=', 'v1=');
    expect(verify(slack, { headers })).toEqual({ ok: false, reason: 'missing_signature' });
  });

  it('Stripe: any one valid v1 among several passes (secret rotation)', () => {
    const header = stripe.headers['Stripe-Signature'] ?? '';
    const [t, v1] = header.split(',');
    const headers = { 'Stripe-Signature': `${t},v1=${'0'.repeat(64)},v0=ignored,${v1}` };
    expect(verify(stripe, { headers })).toMatchObject({ ok: true });
  });

  it('Standard Webhooks: any one valid v1 in the space-separated list passes', () => {
    const headers = { ...standard.headers, 'webhook-signature': `v1,AAAA v2,zzz ${standard.headers['webhook-signature']}` };
    expect(verify(standard, { headers })).toMatchObject({ ok: true });
  });

  it('Standard Webhooks: the id is signed, and a missing id is refused', () => {
    expect(verify(standard, { headers: { ...standard.headers, 'webhook-id': 'msg_other' } })).toEqual({ ok: false, reason: 'bad_signature' });
    const { 'webhook-id': _id, ...rest } = standard.headers;
    expect(verify(standard, { headers: rest })).toEqual({ ok: false, reason: 'missing_signature' });
  });

  it('Standard Webhooks: the secret works with or without its whsec_ prefix', () => {
    expect(verify(standard, { secret: standard.secret.replace('whsec_', '') })).toMatchObject({ ok: true });
  });

  it('a custom sha512/base64 config verifies, and honours its own tolerance', () => {
    const config: SignatureConfig = {
      header: 'X-Sig',
      algorithm: 'sha512',
      encoding: 'base64',
      timestampHeader: 'X-Ts',
      signedPayload: '{timestamp}|{body}',
      toleranceSeconds: 60,
      secretEncoding: 'utf8',
    };
    const body = Buffer.from([0xff, 0x00, 0xc3, 0x28]); // not valid UTF-8: must be signed as bytes
    const sig = createHmac('sha512', 'custom-key').update(Buffer.concat([Buffer.from('1000|'), body])).digest('base64');
    const headers = { 'x-sig': sig, 'x-ts': '1000' };
    expect(verifySignature(config, 'custom-key', headers, body, new Date(1_030_000))).toMatchObject({ ok: true });
    expect(verifySignature(config, 'custom-key', headers, body, new Date(1_061_000))).toEqual({ ok: false, reason: 'timestamp_out_of_range' });
  });
});

describe('Typeform, Cal.com and Webflow presets', () => {
  const body = Buffer.from('{"event_id":"01H","form_response":{}}');
  const hmac = (key: string, data: string | Buffer, enc: 'hex' | 'base64') => createHmac('sha256', key).update(data).digest(enc);

  it('Typeform: sha256= and base64 over the body; hex or a missing prefix is refused', () => {
    const secret = 'typeform-secret-123';
    expect(verifySignature(signaturePresets.typeform, secret, { 'Typeform-Signature': `sha256=${hmac(secret, body, 'base64')}` }, body, new Date())).toMatchObject({ ok: true });
    expect(verifySignature(signaturePresets.typeform, secret, { 'typeform-signature': `sha256=${hmac(secret, body, 'hex')}` }, body, new Date())).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifySignature(signaturePresets.typeform, secret, { 'typeform-signature': hmac(secret, body, 'base64') }, body, new Date())).toEqual({ ok: false, reason: 'missing_signature' });
  });

  it('Cal.com: hex over the body', () => {
    const secret = 'cal-secret-12345';
    expect(verifySignature(signaturePresets.calcom, secret, { 'X-Cal-Signature-256': hmac(secret, body, 'hex') }, body, new Date())).toMatchObject({ ok: true });
    expect(verifySignature(signaturePresets.calcom, 'other-secret-123', { 'x-cal-signature-256': hmac(secret, body, 'hex') }, body, new Date())).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('Webflow: hex over "<ms timestamp>:<body>", refused 5 minutes either side', () => {
    const secret = 'webflow-secret-123';
    const now = new Date(1_700_000_000_000);
    const headersAt = (ms: number) => ({ 'x-webflow-timestamp': String(ms), 'x-webflow-signature': hmac(secret, Buffer.concat([Buffer.from(`${ms}:`), body]), 'hex') });
    expect(verifySignature(signaturePresets.webflow, secret, headersAt(now.getTime() - 299_000), body, now)).toMatchObject({ ok: true, replay: { bound: 'timestamp' } });
    expect(verifySignature(signaturePresets.webflow, secret, headersAt(now.getTime() - 301_000), body, now)).toEqual({ ok: false, reason: 'timestamp_out_of_range' });
    expect(verifySignature(signaturePresets.webflow, secret, headersAt(now.getTime() + 301_000), body, now)).toEqual({ ok: false, reason: 'timestamp_out_of_range' });
    // Seconds where milliseconds belong: far in the past.
    const secs = Math.floor(now.getTime() / 1000);
    expect(verifySignature(signaturePresets.webflow, secret, { 'x-webflow-timestamp': String(secs), 'x-webflow-signature': hmac(secret, `${secs}:${body.toString()}`, 'hex') }, body, now)).toEqual({ ok: false, reason: 'timestamp_out_of_range' });
  });
});

describe('replay keys and unusable secrets', () => {
  const [slack, github, standard, stripe] = all as [Case, Case, Case, Case];
  const keyOf = (c: Case, changes: Partial<Case> = {}) => {
    const r = verify(c, changes);
    if (!r.ok) throw new Error(`expected a pass, got ${r.reason}`);
    return r.replay;
  };

  it('keys a Standard Webhooks delivery on its signed webhook-id', () => {
    expect(keyOf(standard)).toEqual({ key: `id:${standard.headers['webhook-id']}`, bound: 'id' });
  });

  it.each([
    ['Slack', () => slack, 'timestamp'],
    ['Stripe', () => stripe, 'timestamp'],
    ['GitHub', () => github, 'body'],
  ] as const)('keys a %s delivery on its signature, which unsigned headers cannot change', (_name, pick, bound) => {
    const c = pick();
    const plain = keyOf(c);
    expect(plain.bound).toBe(bound);
    expect(plain.key).toMatch(/^sig:[0-9a-f]{64}$/);
    // The headers a replayer would add to look new leave the key as it is.
    const dressed = keyOf(c, { headers: { ...c.headers, 'X-Keyflow-Delivery': 'fresh-1', 'X-GitHub-Delivery': 'fresh-2', 'Idempotency-Key': 'fresh-3' } });
    expect(dressed).toEqual(plain);
  });

  it('GitHub: two different bodies get two keys', () => {
    const other = Buffer.from('{"other":true}');
    const sig = `sha256=${createHmac('sha256', github.secret).update(other).digest('hex')}`;
    expect(keyOf(github, { body: other, headers: { 'X-Hub-Signature-256': sig } }).key).not.toBe(keyOf(github).key);
  });

  it.each([
    ['a whsec_ secret of symbols that base64 skips', 'whsec_!!!!!!!!!!!!', /not valid base64/],
    ['a bare prefix', 'whsec_', /empty HMAC key/],
    ['padding only', 'whsec_====', /not valid base64/],
    ['a key of 3 bytes', 'whsec_AAAA', /3 bytes/],
  ])('refuses %s, at config time and when verifying', (_name, secret, why) => {
    expect(signingKey(standard.config, secret)).toMatch(why);
    // Were it accepted, anyone could sign with the same (empty or guessable) key.
    const key = Buffer.from(secret.replace('whsec_', ''), 'base64');
    const id = standard.headers['webhook-id'] ?? '';
    const ts = standard.headers['webhook-timestamp'] ?? '';
    const forged = createHmac('sha256', key).update(`${id}.${ts}.${standard.body.toString()}`).digest('base64');
    expect(verify(standard, { secret, headers: { ...standard.headers, 'webhook-signature': `v1,${forged}` } })).toEqual({ ok: false, reason: 'unusable_secret' });
  });

  it('refuses a utf8 secret that is only its prefix', () => {
    const config = { ...signaturePresets.github, secretPrefix: 'secret_' };
    expect(signingKey(config, 'secret_')).toMatch(/empty HMAC key/);
    expect(signingKey(config, 'secret_long-enough')).toBeInstanceOf(Buffer);
  });
});
