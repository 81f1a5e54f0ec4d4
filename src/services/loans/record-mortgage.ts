// The mortgage registration of the purchased house (抵押登记, rules.md §6.5 collateral): the certificate
// number, address, area and price as registered, which must be the house of the application:
// contracted → mortgaged, with an audit row.
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString, positiveYuanToFen } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { assertStatus, assertStaffRole, loanJson, lockLoan, readLoan, type LoanJson } from './loan-store.ts';
import type { Db } from '../../db/connection.ts';

export async function recordMortgage(input: {
  db: Db;
  actor: Actor;
  loanId: string | bigint;
  certificateNo: string;
  address: string;
  areaSqm: string;
  price: string;
}): Promise<LoanJson> {
  const { db, actor } = input;
  assertStaffRole(actor, ['teller', 'manager']);
  const certificateNo = typeof input.certificateNo === 'string' ? input.certificateNo.trim() : '';
  if (!/^[\w\-()（）\u4e00-\u9fa5]{4,60}$/.test(certificateNo)) {
    throw new AppError('VALIDATION_FAILED', { field: 'certificateNo' });
  }
  const priceFen = positiveYuanToFen(input.price, 'price');
  if (!/^\d{1,6}(\.\d{1,2})?$/.test(String(input.areaSqm)))
    throw new AppError('VALIDATION_FAILED', { field: 'areaSqm' });
  return db.transaction().execute(async (tx) => {
    const loan = await lockLoan(tx, input.loanId);
    assertStatus(loan, ['contracted']);
    const mismatches: string[] = [];
    if (input.address.trim() !== loan.house_address) mismatches.push('address');
    if (Number(input.areaSqm) !== Number(loan.house_area_sqm)) mismatches.push('areaSqm');
    if (priceFen !== loan.house_price_fen) mismatches.push('price');
    if (mismatches.length > 0) {
      throw new AppError('LOAN_MORTGAGE_MISMATCH', {
        field: mismatches[0]!,
        details: { fields: mismatches },
      });
    }
    const date = await getBusinessDate(tx);
    const label = actorLabel(actor);
    const taken = await tx
      .selectFrom('loans')
      .select('id')
      .where('mortgage_certificate_no', '=', certificateNo)
      .executeTakeFirst();
    if (taken)
      throw new AppError('VALIDATION_FAILED', {
        field: 'certificateNo',
        details: { reason: 'already used' },
      });
    await tx
      .updateTable('loans')
      .set({
        status: 'mortgaged',
        mortgage_certificate_no: certificateNo,
        mortgage_address: loan.house_address,
        mortgage_area_sqm: loan.house_area_sqm,
        mortgage_price_fen: priceFen,
        mortgage_recorded_on: date,
      })
      .where('id', '=', loan.id)
      .execute();
    await recordAudit(tx, {
      actor: label,
      action: 'loan.mortgage',
      subjectType: 'loan',
      subjectId: loan.id,
      businessDate: date,
      summary: {
        from: 'contracted',
        to: 'mortgaged',
        certificateNo,
        address: loan.house_address,
        areaSqm: loan.house_area_sqm,
        price: fenToYuanString(priceFen),
      },
    });
    return loanJson(await readLoan(tx, loan.id));
  });
}
