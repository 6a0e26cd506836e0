import { describe, expect, it } from 'vitest';
import { scrubSecret } from './scrub-secret.ts';

const key = 'sk-canary-0f8e6c1e-2b7d-4f4e-9a51-3c2d1e0f9a8b';

describe('scrubSecret', () => {
  it.each([
    ['the whole key', `Incorrect API key provided: ${key}.`, 'Incorrect API key provided: [redacted].'],
    ['a masked key that keeps the tail', `Incorrect API key provided: sk-canary-****${key.slice(-12)}`, 'Incorrect API key provided: [redacted]'],
    ['the key inside a URL', `GET https://x.test/v1?key=${key}&alt=sse failed`, 'GET https://x.test/v1?key=[redacted]&alt=sse failed'],
    // Over-redaction is the safe side: anything sharing a 10-character run with the key goes.
    ['a token sharing a long run with the key', 'sk-canary-11111111-2222', '[redacted]'],
    ['the key twice', `${key} and ${key}`, '[redacted] and [redacted]'],
  ])('removes %s', (_name, input, expected) => {
    expect(scrubSecret(input, key)).toBe(expected);
  });

  it.each([
    ['ordinary text', 'Rate limit reached for requests. Please try again in 2s.'],
    ['a short shared prefix', 'keys look like sk-can…'],
    ['an unrelated key', 'sk-proj-abcdefghijklmnopqrstuvwxyz'],
  ])('keeps %s', (_name, input) => {
    expect(scrubSecret(input, key)).toBe(input);
  });
});
