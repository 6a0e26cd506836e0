// Exact cost in integer micro-dollars. Prices are integer micro-dollars per million tokens, so
// Σ tokens × price is an exact integer, divided by 10^6 and rounded UP once per call: a call is
// never reported cheaper than the provider bills it. Number arithmetic when Σ tokens × the
// dearest rate is provably below 2^53 (every term and partial sum is then an exact integer),
// BigInt otherwise.
import type { CatalogModel } from '../catalog/catalog.ts';
import type { ChatMessage, CompletionRequest, NormalizedUsage } from '../types.ts';

const MILLION = 1_000_000n;

function ceilDiv(n: bigint, d: bigint): number {
  return Number((n + d - 1n) / d);
}

/**
 * ⌈n / 10^6⌉ of an integer 0 ≤ n ≤ 2^53 − 1, exactly. The quotient is below 2^34, so rounding
 * moves it by at most half an ulp, ≤ 2^-20 ≈ 9.5e-7. Its true fraction is 0 (an integer,
 * represented exactly) or between 10^-6 and 1 − 10^-6, which that error cannot push down to the
 * integer below; reaching the integer above leaves the ceiling unchanged.
 */
export function ceilMillionths(n: number): number {
  return Math.ceil(n / 1_000_000);
}

function count(name: string, n: number): bigint {
  return BigInt(checkCount(name, n));
}

export function checkCount(name: string, n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be a non-negative integer, got ${n}`);
  return n;
}

// NaN sends a non-integer or negative price (possible only in a hand-built table) down the BigInt path, which treats it as before.
const rate = (n: number): number => (Number.isSafeInteger(n) && n >= 0 ? n : NaN);

/** What `usage` costs on `model`: cache tokens at their own rates, reasoning at the reasoning rate or else the output rate. */
export function costMicros(model: CatalogModel, usage: NormalizedUsage): number {
  const p = model.prices;
  const inTok = checkCount('inputTokens', usage.inputTokens);
  const readTok = checkCount('cacheReadTokens', usage.cacheReadTokens);
  const writeTok = checkCount('cacheWriteTokens', usage.cacheWriteTokens);
  const outTok = checkCount('outputTokens', usage.outputTokens);
  const reasonTok = checkCount('reasoningTokens', usage.reasoningTokens);
  const pIn = rate(p.input);
  const pRead = rate(p.cacheRead ?? p.input);
  const pWrite = rate(p.cacheWrite ?? p.input);
  const pOut = rate(p.output);
  const pReason = rate(p.reasoning ?? p.output);
  // Rounding is monotonic and 2^53 is representable, so a true bound above 2^53 − 1 can never
  // compute as ≤ 2^53 − 1: this test is sound even though its own arithmetic may round. NaN fails it.
  if ((inTok + readTok + writeTok + outTok + reasonTok) * Math.max(pIn, pRead, pWrite, pOut, pReason) <= Number.MAX_SAFE_INTEGER) {
    return ceilMillionths(inTok * pIn + readTok * pRead + writeTok * pWrite + outTok * pOut + reasonTok * pReason);
  }
  const total =
    count('inputTokens', usage.inputTokens) * BigInt(p.input) +
    count('cacheReadTokens', usage.cacheReadTokens) * BigInt(p.cacheRead ?? p.input) +
    count('cacheWriteTokens', usage.cacheWriteTokens) * BigInt(p.cacheWrite ?? p.input) +
    count('outputTokens', usage.outputTokens) * BigInt(p.output) +
    count('reasoningTokens', usage.reasoningTokens) * BigInt(p.reasoning ?? p.output);
  return ceilDiv(total, MILLION);
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Token estimate without a tokenizer: ASCII text runs about 4 characters per token in every
 * provider's BPE, while other scripts (CJK, emoji, accents) are often one token or more per
 * character, so each non-ASCII code point counts as a whole token. Errs high, never low.
 */
export function estimateTokens(text: string): number {
  // Most prompts are pure ASCII: one regex scan, no per-character loop.
  if (!NON_ASCII.test(text)) return Math.ceil(text.length / 4);
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) ascii++;
    else {
      other++;
      // A surrogate pair is one code point, as `for…of` counted it; a lone surrogate is one too.
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) i++;
      }
    }
  }
  return Math.ceil(ascii / 4) + other;
}

/** A high-resolution image costs up to ~1,600 tokens at Anthropic and OpenAI's detail tiles. */
export const IMAGE_TOKENS = 1_600;
/** Role markers and separators that every chat format adds per message. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

function messageTokens(m: ChatMessage): number {
  if (typeof m.content === 'string') return estimateTokens(m.content) + MESSAGE_OVERHEAD_TOKENS;
  let n = MESSAGE_OVERHEAD_TOKENS;
  for (const part of m.content) n += part.type === 'text' ? estimateTokens(part.text) : IMAGE_TOKENS;
  return n;
}

/** Estimated prompt tokens of a request: system, messages, images, and a JSON schema if sent. */
export function estimatePromptTokens(req: Pick<CompletionRequest, 'system' | 'messages' | 'json'>): number {
  let n = MESSAGE_OVERHEAD_TOKENS;
  if (req.system) n += estimateTokens(req.system) + MESSAGE_OVERHEAD_TOKENS;
  for (const m of req.messages) n += messageTokens(m);
  if (req.json?.schema) n += estimateTokens(JSON.stringify(req.json.schema));
  return n;
}

/** Expected cost: prompt at the input rate, `maxOutputTokens` at the output rate. Ranks candidates. */
export function expectedCostMicros(model: CatalogModel, promptTokens: number, maxOutputTokens: number): number {
  const p = model.prices;
  return ceilDiv(count('promptTokens', promptTokens) * BigInt(p.input) + count('maxOutputTokens', maxOutputTokens) * BigInt(p.output), MILLION);
}

/**
 * Worst case: every prompt token at the dearest input rate (a cache write can cost more than
 * plain input) and every output token at the dearest output rate (reasoning may be priced
 * higher). This is what the budget reserves before a call.
 */
export function worstCaseCostMicros(model: CatalogModel, promptTokens: number, maxOutputTokens: number): number {
  const p = model.prices;
  const inRate = Math.max(p.input, p.cacheWrite ?? 0, p.cacheRead ?? 0);
  const outRate = Math.max(p.output, p.reasoning ?? 0);
  return ceilDiv(count('promptTokens', promptTokens) * BigInt(inRate) + count('maxOutputTokens', maxOutputTokens) * BigInt(outRate), MILLION);
}
