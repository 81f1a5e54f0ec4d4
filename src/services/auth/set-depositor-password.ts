// Setting a depositor's portal password: at registration (counter or self-service) and on reset at the
// counter. The hash and the audit row commit together; a reset by staff also ends the depositor's sessions.
import { recordAudit } from '../../audit/audit-trail.ts';
import { assertPasswordPolicy, hashPassword } from '../../auth/passwords.ts';
import { revokeAllSessions } from '../../auth/sessions.ts';
import type { DbOrTx } from '../../db/connection.ts';
import { AppError } from '../../domain/errors.ts';
import { actorLabel, hasRole, type Actor } from '../../domain/roles.ts';

export interface SetDepositorPasswordOptions {
  /** The database, or the caller's transaction (e.g. the registration that creates the depositor). */
  db: DbOrTx;
  actor: Actor;
  depositorId: bigint;
  password: string;
  now: Date;
  businessDate?: string | null;
}

export interface SetDepositorPasswordResult {
  depositorId: bigint;
  /** True when a password existed before (a reset rather than a first setting). */
  reset: boolean;
  sessionsRevoked: number;
}

function inTransaction<T>(db: DbOrTx, work: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

export async function setDepositorPassword(
  options: SetDepositorPasswordOptions,
): Promise<SetDepositorPasswordResult> {
  const { actor, depositorId, now } = options;
  const allowed =
    actor.type === 'system' ||
    (actor.type === 'depositor' && actor.depositorId === depositorId) ||
    hasRole(actor, 'teller', 'manager', 'admin');
  if (!allowed) throw new AppError('FORBIDDEN');
  assertPasswordPolicy(options.password);
  const passwordHash = await hashPassword(options.password);

  return inTransaction(options.db, async (tx) => {
    const depositor = await tx
      .selectFrom('depositors')
      .select(['id', 'password_hash'])
      .where('id', '=', depositorId)
      .forUpdate()
      .executeTakeFirst();
    if (!depositor) throw new AppError('NOT_FOUND', { field: 'depositorId' });
    const reset = depositor.password_hash !== null;
    await tx
      .updateTable('depositors')
      .set({ password_hash: passwordHash })
      .where('id', '=', depositorId)
      .execute();
    // A reset at the counter usually means the password leaked or was forgotten: end open sessions.
    const sessionsRevoked =
      reset && actor.type === 'staff'
        ? await revokeAllSessions(tx, { type: 'depositor', id: depositorId }, now)
        : 0;
    await recordAudit(
      tx,
      {
        actor: actorLabel(actor),
        action: reset ? 'depositor.password_reset' : 'depositor.password_set',
        subjectType: 'depositor',
        subjectId: depositorId,
        businessDate: options.businessDate ?? null,
        summary: { reset, sessionsRevoked },
      },
      now,
    );
    return { depositorId, reset, sessionsRevoked };
  });
}
