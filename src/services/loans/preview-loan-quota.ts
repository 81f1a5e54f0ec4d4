// The quota a request would get (rules.md §6.2), before applying: every eligibility rule first (an
// ineligible person is refused with every reason), then min(A, B, C, D) with every factor and candidate.
// Reads only; the depositor may ask for themself, staff for anyone.
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import type { Actor } from '../../domain/roles.ts';
import type { CreditBureau } from '../../integrations/credit-bureau/gateway.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import {
  assessLoan,
  fetchCreditReports,
  parseLoanRequest,
  quotaJson,
  type LoanRequestInput,
} from './assess-loan.ts';
import type { Db } from '../../db/connection.ts';

export interface LoanQuotaPreview extends Record<string, unknown> {
  date: string;
  eligible: true;
  consecutiveMonths: number;
  coveredMonthsLast12: number;
  maximumTermMonths: number;
  requested: string;
  quota: Record<string, unknown>;
}

export async function previewLoanQuota(input: {
  db: Db;
  actor: Actor;
  bureau: CreditBureau;
  request: LoanRequestInput;
}): Promise<LoanQuotaPreview> {
  const { db, actor } = input;
  if (actor.type === 'depositor' && String(actor.depositorId) !== String(input.request.depositorId)) {
    throw new AppError('FORBIDDEN');
  }
  if (actor.type === 'system') throw new AppError('FORBIDDEN');
  const request = parseLoanRequest(input.request);
  const reports = await fetchCreditReports(db, input.bureau, request);
  const date = await getBusinessDate(db);
  const a = await assessLoan(db, request, reports, date);
  if (!a.eligibility.eligible || a.quota === null) {
    throw new AppError('LOAN_NOT_ELIGIBLE', { details: { failures: a.eligibility.failures } });
  }
  return {
    date,
    eligible: true,
    consecutiveMonths: a.facts.consecutiveMonths,
    coveredMonthsLast12: a.facts.coveredMonthsLast12,
    maximumTermMonths: a.eligibility.maximumTermMonths,
    requested: fenToYuanString(request.amountFen),
    quota: quotaJson(a.quota, a.rate),
  };
}
