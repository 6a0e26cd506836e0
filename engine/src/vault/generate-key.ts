import { randomBytes } from 'node:crypto';

/** A new master key in the same format as Python's Fernet.generate_key(). */
export function generateKey(): string {
  return randomBytes(32).toString('base64url') + '=';
}
