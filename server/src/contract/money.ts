// Dollars in, integer micro-dollars inside, fixed-point text out. Browser-safe (no Node APIs), so
// the editor formats amounts exactly as the server does.

const MICROS_PER_USD = 1_000_000n;

/**
 * A dollar amount as integer micro-dollars, rounded half-up at the sixth decimal. Works on the
 * number's shortest decimal text — the digits the caller wrote — so `12.34` is 12_340_000 and
 * `0.0001245` is 125, where `Math.round(x * 1e6)` would give 124.
 */
export function usdToMicros(usd: number): number {
  if (!Number.isFinite(usd)) throw new RangeError('amount must be a finite number');
  const [mantissa = '0', exponent = '0'] = String(Math.abs(usd)).split('e');
  const [whole = '0', fraction = ''] = mantissa.split('.');
  const digits = BigInt(whole + fraction);
  // value = digits × 10^-scale
  const scale = fraction.length - Number(exponent);
  let micros: bigint;
  if (scale <= 6) {
    micros = digits * 10n ** BigInt(6 - scale);
  } else {
    const divisor = 10n ** BigInt(scale - 6);
    micros = digits / divisor;
    if ((digits % divisor) * 2n >= divisor) micros += 1n;
  }
  const result = Number(micros);
  return usd < 0 && result !== 0 ? -result : result;
}

/** Integer micro-dollars as dollars with six decimals: 12_340_000 → "12.340000". */
export function formatMicros(micros: number): string {
  if (!Number.isSafeInteger(micros)) throw new RangeError('micro-dollars must be a safe integer');
  const value = BigInt(micros);
  const abs = value < 0n ? -value : value;
  return `${value < 0n ? '-' : ''}${abs / MICROS_PER_USD}.${(abs % MICROS_PER_USD).toString().padStart(6, '0')}`;
}

/** Integer micro-dollars as a JSON number of dollars (exact for display; never summed). */
export function microsToUsd(micros: number): number {
  return Number(formatMicros(micros));
}
