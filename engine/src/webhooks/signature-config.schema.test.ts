import { describe, it, expect } from 'vitest';
import { signatureConfigSchema } from './signature-config.schema.ts';
import type { SignatureConfigInput } from './signature-config.schema.ts';
import { signaturePresets } from './signature-presets.ts';

const base: SignatureConfigInput = { header: 'X-Sig', algorithm: 'sha256', encoding: 'hex' };

describe('signatureConfigSchema', () => {
  it('fills defaults', () => {
    expect(signatureConfigSchema.parse(base)).toEqual({ ...base, toleranceSeconds: 300, signedPayload: '{body}', secretEncoding: 'utf8' });
  });

  it.each(Object.entries(signaturePresets))('the %s preset round-trips through the schema', (_name, preset) => {
    expect(signatureConfigSchema.parse(preset)).toEqual(preset);
  });

  it.each<[string, Partial<SignatureConfigInput>, string]>([
    ['no {body}', { signedPayload: '{timestamp}', timestampHeader: 'X-Ts' }, 'signedPayload'],
    ['{body} twice', { signedPayload: '{body}{body}' }, 'signedPayload'],
    ['unknown placeholder', { signedPayload: '{secret}.{body}' }, 'signedPayload'],
    ['{timestamp} without a source', { signedPayload: '{timestamp}.{body}' }, 'signedPayload'],
    ['an unsigned timestamp header', { timestampHeader: 'X-Ts' }, 'signedPayload'],
    ['two timestamp sources', { signedPayload: '{timestamp}.{body}', timestampHeader: 'X-Ts', timestampPrefix: 't=', separator: ',' }, 'timestampPrefix'],
    ['timestampPrefix without separator', { signedPayload: '{timestamp}.{body}', timestampPrefix: 't=' }, 'timestampPrefix'],
    ['{id} without idHeader', { signedPayload: '{id}.{body}' }, 'idHeader'],
    ['idHeader without {id}', { idHeader: 'X-Id' }, 'idHeader'],
    ['unknown algorithm', { algorithm: 'md5' as 'sha1' }, 'algorithm'],
    ['zero tolerance', { toleranceSeconds: 0 }, 'toleranceSeconds'],
    ['a day and a second of tolerance', { toleranceSeconds: 86_401 }, 'toleranceSeconds'],
    ['empty header name', { header: '' }, 'header'],
  ])('rejects %s', (_label, change, path) => {
    const result = signatureConfigSchema.safeParse({ ...base, ...change });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});
