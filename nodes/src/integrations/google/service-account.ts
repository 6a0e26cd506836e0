// Service-account JSON keys (Drive and Sheets): the fields Keyflow needs, checked on create with
// messages that name the field and never quote the key.
export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
  project_id?: string;
}

/** True when the secret is meant as a JSON key (an access token never starts with '{'). */
export function looksLikeServiceAccountKey(secret: string): boolean {
  return secret.trimStart().startsWith('{');
}

/** Why `secret` is not a usable service-account key (naming the fields), or undefined. */
export function serviceAccountKeyProblem(secret: string): string | undefined {
  let key: unknown;
  try {
    key = JSON.parse(secret);
  } catch {
    return 'the service-account key is not valid JSON: paste the whole file Google downloaded';
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) return 'the service-account key must be a JSON object';
  const k = key as Record<string, unknown>;
  const bad: string[] = [];
  if (k.type !== 'service_account') bad.push('type (must be "service_account")');
  if (typeof k.client_email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(k.client_email)) bad.push('client_email (an email address)');
  if (typeof k.private_key !== 'string' || !/-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+-----END (RSA )?PRIVATE KEY-----/.test(k.private_key)) bad.push('private_key (a PEM "-----BEGIN PRIVATE KEY-----" block)');
  if (k.private_key_id !== undefined && typeof k.private_key_id !== 'string') bad.push('private_key_id (a string)');
  if (k.project_id !== undefined && typeof k.project_id !== 'string') bad.push('project_id (a string)');
  return bad.length > 0 ? `the service-account key has missing or invalid fields: ${bad.join(', ')}` : undefined;
}

/** The key's fields; throws a message naming the bad fields (never the key). */
export function parseServiceAccountKey(secret: string): ServiceAccountKey {
  const problem = serviceAccountKeyProblem(secret);
  if (problem) throw new Error(problem);
  const k = JSON.parse(secret) as Record<string, string>;
  return {
    client_email: k.client_email!,
    private_key: k.private_key!,
    ...(k.private_key_id ? { private_key_id: k.private_key_id } : {}),
    ...(k.project_id ? { project_id: k.project_id } : {}),
  };
}
