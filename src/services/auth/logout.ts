// Logout: ends the session of the presented token (other sessions of the same user stay).
import { revokeSession } from '../../auth/sessions.ts';
import type { DbOrTx } from '../../db/connection.ts';

export async function logout(options: {
  db: DbOrTx;
  token: string;
  now: Date;
}): Promise<{ revoked: boolean }> {
  return { revoked: await revokeSession(options.db, options.token, options.now) };
}
