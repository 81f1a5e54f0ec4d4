// Signing or cancelling monthly balance offset (冲还贷, rules.md §6.5): with it signed, the close takes each
// installment from the borrower's FLEX balance first, the rest by bank debit. Staff (teller, manager) or
// the borrower themself (portal); a loan not settled or rejected, and for signing an open flexible account.
// Audited; asking for the state the loan is already in changes nothing and writes nothing.
import { AppError } from '../../domain/errors.ts';
import { actorLabel, hasRole, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { lockLoan } from './loan-store.ts';
import type { Db } from '../../db/connection.ts';

export interface BalanceOffsetState extends Record<string, unknown> {
  loanId: string;
  balanceOffset: boolean;
  changedOn: string | null;
  changed: boolean;
}

export async function setBalanceOffset(input: {
  db: Db;
  actor: Actor;
  loanId: string | bigint;
  signed: boolean;
}): Promise<BalanceOffsetState> {
  const { db, actor } = input;
  return db.transaction().execute(async (tx) => {
    const loan = await lockLoan(tx, input.loanId);
    const isBorrower = actor.type === 'depositor' && actor.depositorId === loan.depositor_id;
    // Another depositor's loan is "not found", as every loan read answers.
    if (actor.type === 'depositor' && !isBorrower) throw new AppError('LOAN_NOT_FOUND', { field: 'loanId' });
    if (actor.type !== 'depositor' && !hasRole(actor, 'teller', 'manager')) {
      throw new AppError('LOAN_ROLE_REQUIRED', { details: { roles: ['teller', 'manager'] } });
    }
    if (loan.status === 'settled') {
      throw new AppError('LOAN_ALREADY_SETTLED', {
        field: 'loanId',
        details: { settledOn: loan.settled_on },
      });
    }
    if (loan.status === 'rejected') {
      throw new AppError('LOAN_STEP_OUT_OF_ORDER', { field: 'loanId', details: { status: loan.status } });
    }
    if (loan.balance_offset === input.signed) {
      return {
        loanId: String(loan.id),
        balanceOffset: loan.balance_offset,
        changedOn: loan.balance_offset_changed_on,
        changed: false,
      };
    }
    if (input.signed) {
      const account = await tx
        .selectFrom('accounts')
        .select(['state', 'pool'])
        .where('id', '=', loan.account_id)
        .executeTakeFirst();
      if (!account || account.state !== '01' || account.pool !== 'FLEX') {
        throw new AppError('LOAN_OFFSET_NOT_AVAILABLE', {
          field: 'loanId',
          details: { accountState: account?.state ?? null },
        });
      }
    }
    const date = await getBusinessDate(tx);
    await tx
      .updateTable('loans')
      .set({ balance_offset: input.signed, balance_offset_changed_on: date })
      .where('id', '=', loan.id)
      .execute();
    await recordAudit(tx, {
      actor: actorLabel(actor),
      action: input.signed ? 'loan.balance_offset.sign' : 'loan.balance_offset.cancel',
      subjectType: 'loan',
      subjectId: loan.id,
      businessDate: date,
      summary: { from: loan.balance_offset, to: input.signed, accountId: String(loan.account_id) },
    });
    return { loanId: String(loan.id), balanceOffset: input.signed, changedOn: date, changed: true };
  });
}
