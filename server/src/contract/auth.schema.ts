import { z } from 'zod';

export const credentialsBody = z.strictObject({
  email: z.email().max(254).transform((e) => e.toLowerCase()),
  password: z.string().min(10, 'must be at least 10 characters').max(200),
});

export const loginBody = z.strictObject({
  email: z.string().max(254).transform((e) => e.toLowerCase()),
  password: z.string().max(200),
});

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().max(200),
  newPassword: z.string().min(10, 'must be at least 10 characters').max(200),
  revokeTokens: z.boolean().default(false).describe('also revoke every API token; by default tokens keep working after a password change'),
});

export const meResponse = z.object({ user: z.object({ id: z.uuid(), email: z.string() }), csrfToken: z.string().optional() });

export const passwordChangedResponse = meResponse.extend({
  /** API tokens revoked with the change (0 unless revokeTokens was set). */
  tokensRevoked: z.int(),
  /** API tokens that still work: revoke them with revokeTokens or DELETE /api/tokens. */
  tokensKept: z.int(),
});

export const createTokenBody = z.strictObject({ name: z.string().trim().min(1).max(100) });
export const tokensRevokedResponse = z.object({ revoked: z.int() });
export const tokenSummary = z.object({ id: z.uuid(), name: z.string(), prefix: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() });

export const deleteAccountBody = z.strictObject({
  password: z.string().min(1, 'is required: the account password, checked again before anything is deleted').max(200),
});

export const accountDeletedResponse = z.object({ deleted: z.record(z.string(), z.number().int()) });
