// Provider error texts sometimes echo the key (OpenAI's 401 quotes it, proxies echo headers).
// A window this long taken from the key cannot occur in ordinary text by chance.
const WINDOW = 10;

/** Replaces the key, and any token that carries a long piece of it, with `[redacted]`. */
export function scrubSecret(text: string, secret: string): string {
  if (secret.length === 0) return text;
  let out = text.split(secret).join('[redacted]');
  if (secret.length < WINDOW) return out;
  const windows = new Set<string>();
  for (let i = 0; i + WINDOW <= secret.length; i++) windows.add(secret.slice(i, i + WINDOW));
  out = out.replace(/[A-Za-z0-9_\-.*:+/=]{10,}/g, (token) => {
    for (const w of windows) if (token.includes(w)) return '[redacted]';
    return token;
  });
  return out;
}
