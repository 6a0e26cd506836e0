// Config fields every integration node shares.
import { z } from 'zod';

/**
 * `credentialId`: optional when the owner has exactly one credential of the node's provider (the
 * engine then lends that one); with none or several, the step fails with a message naming the
 * provider. Never a secret: only the id of a stored credential.
 */
export const credentialIdField = z.uuid('must be the id of one of your credentials').optional().describe('Which connection to use; optional when you have exactly one');
