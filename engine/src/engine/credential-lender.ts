// Lends a node the owner's credential for one call: decrypted into a Secret-backed object
// that prints masked, looked up by owner (and id when the node names one).
import type { NodeCredential } from '@keyflow/nodes/contract';
import type { Db } from '../store/database.ts';
import type { Keyring } from '../vault/keyring.ts';
import { Secret } from '../vault/secret.ts';
import type { CredentialLender } from '../executor/types.ts';

export function createCredentialLender(db: Db, keyring: Keyring): CredentialLender {
  return async (ownerId, provider, credentialId) => {
    let q = db.selectFrom('credentials').select(['id', 'provider', 'ciphertext']).where('owner_id', '=', ownerId).where('provider', '=', provider).where('status', '!=', 'invalid');
    if (credentialId) q = q.where('id', '=', credentialId);
    const row = await q.orderBy('created_at').limit(1).executeTakeFirst();
    if (!row) return undefined;
    const secret = new Secret(keyring.decrypt(ownerId, row.ciphertext));
    await db.updateTable('credentials').set({ last_used_at: new Date() }).where('id', '=', row.id).execute();
    const credential: NodeCredential & { toJSON(): string } = {
      id: row.id,
      provider: row.provider,
      reveal: () => secret.reveal(),
      toJSON: () => secret.masked,
    };
    return credential;
  };
}
