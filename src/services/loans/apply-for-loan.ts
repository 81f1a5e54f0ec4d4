// A loan application (rules.md §6.1, §6.2), taken at the counter by staff or sent from the portal by the
// depositor for themself: the credit reports are asked for first (outside the transaction), then every
// rule is checked; an ineligible request or an amount above the quota is refused with every reason and
// nothing written; otherwise the application row, its quota explanation and an audit row, in one transaction.
import { AppError } from '../../domain/errors.ts';
import { canonicalJson } from '../../domain/canonical-json.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import type { CreditBureau } from '../../integrations/credit-bureau/gateway.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { onceByKey } from '../idempotency.ts';
import {
  assessLoan,
  fetchCreditReports,
  parseLoanRequest,
  quotaJson,
  type LoanRequestInput,
} from './assess-loan.ts';
import { assertStaffRole, loanJson, readLoan, type LoanJson } from './loan-store.ts';
import type { Db } from '../../db/connection.ts';

export interface ApplyForLoanInput {
  db: Db;
  actor: Actor;
  bureau: CreditBureau;
  request: LoanRequestInput & { seller: { name: string; bankName: string; bankAccount: string } };
  idempotencyKey: string;
}

function sellerText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 100) {
    throw new AppError('VALIDATION_FAILED', { field });
  }
  return value.trim();
}

export async function applyForLoan(input: ApplyForLoanInput): Promise<LoanJson & { replayed: boolean }> {
  const { db, actor } = input;
  if (actor.type === 'depositor') {
    if (String(actor.depositorId) !== String(input.request.depositorId)) throw new AppError('FORBIDDEN');
  } else {
    assertStaffRole(actor, ['teller', 'manager']);
  }
  if (!input.idempotencyKey?.trim()) throw new AppError('VALIDATION_FAILED', { field: 'idempotencyKey' });
  const request = parseLoanRequest(input.request);
  const seller = {
    name: sellerText(input.request.seller?.name, 'seller.name'),
    bankName: sellerText(input.request.seller?.bankName, 'seller.bankName'),
    bankAccount: sellerText(input.request.seller?.bankAccount, 'seller.bankAccount'),
  };
  const reports = await fetchCreditReports(db, input.bureau, request);
  const label = actorLabel(actor);
  const { result, replayed } = await db.transaction().execute(async (tx) =>
    onceByKey(tx, 'loan-application', input.idempotencyKey, input.request, async () => {
      const date = await getBusinessDate(tx);
      const a = await assessLoan(tx, request, reports, date);
      if (!a.eligibility.eligible || a.quota === null || a.applicant.accountId === null) {
        throw new AppError('LOAN_NOT_ELIGIBLE', { details: { failures: a.eligibility.failures } });
      }
      if (request.amountFen > a.quota.quotaFen) {
        throw new AppError('LOAN_AMOUNT_ABOVE_QUOTA', {
          field: 'amount',
          details: { amount: fenToYuanString(request.amountFen), quota: fenToYuanString(a.quota.quotaFen) },
        });
      }
      const explanation = quotaJson(a.quota, a.rate);
      const row = await tx
        .insertInto('loans')
        .values({
          depositor_id: request.depositorId,
          account_id: a.applicant.accountId,
          spouse_depositor_id: a.spouse?.depositor ? a.spouse.depositorId : null,
          spouse_account_id: a.spouse?.depositor ? a.spouse.accountId : null,
          spouse_name: a.spouse?.name ?? null,
          spouse_id_masked: a.spouse?.idMasked ?? null,
          channel: actor.type === 'depositor' ? 'portal' : 'counter',
          house_address: request.house.address,
          house_area_sqm: request.house.areaSqm,
          house_price_fen: request.house.priceFen,
          home: request.house.home,
          house_in_city: request.house.inCity,
          children: request.children,
          seller_name: seller.name,
          seller_bank_name: seller.bankName,
          seller_bank_account: seller.bankAccount,
          monthly_income_fen: request.incomeFen,
          monthly_debts_fen: request.debtsFen,
          income_evidence: request.evidence,
          requested_fen: request.amountFen,
          term_months: request.termMonths,
          method: request.method,
          credit_report: canonicalJson({
            applicant: a.reports.applicant,
            spouse: a.reports.spouse,
            facts: a.facts,
          }),
          quota_fen: a.quota.quotaFen,
          quota: canonicalJson(explanation),
          annual_rate_pct: a.rate.ratePct.toString(),
          rate_from: a.rate.from,
          status: 'applied',
          applied_on: date,
          applied_by: label,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(tx, {
        actor: label,
        action: 'loan.apply',
        subjectType: 'loan',
        subjectId: row.id,
        businessDate: date,
        summary: {
          amount: fenToYuanString(request.amountFen),
          quota: fenToYuanString(a.quota.quotaFen),
          binding: a.quota.binding.code,
          termMonths: request.termMonths,
          method: request.method,
          creditReports: [a.reports.applicant.reportNo, a.reports.spouse?.reportNo ?? null],
        },
      });
      return loanJson(await readLoan(tx, row.id));
    }),
  );
  return { ...result, replayed };
}
