// Longest first, so `sk-ant-` wins over `sk-`. Prefixes name the provider and are not secret.
const KNOWN_PREFIXES = ['sk-ant-', 'sk-proj-', 'sk-', 'xoxb-', 'xoxp-', 'xapp-', 'ntn_', 'secret_', 'AIza'];
const SHORT = 12;
// The part hidden by `…` must stay at least this long, or prefix + last four reveal too much.
const MIN_HIDDEN = 8;

/**
 * The only form in which a secret is shown back.
 * @example maskSecret('sk-ant-api03-abcdefgh1234') // 'sk-ant-…1234'
 */
export function maskSecret(value: string): string {
  const chars = Array.from(value);
  if (chars.length < SHORT) return chars.length >= 8 ? `…${chars.slice(-2).join('')}` : '…';
  const tail = chars.slice(-4).join('');
  const prefix = KNOWN_PREFIXES.find((p) => value.startsWith(p) && chars.length - p.length - 4 >= MIN_HIDDEN) ?? '';
  return `${prefix}…${tail}`;
}
