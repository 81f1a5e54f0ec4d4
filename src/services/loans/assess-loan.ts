// What a loan request amounts to on a date (rules.md §6.1, §6.2, §6.3): the facts gathered from the
// database and the credit bureau, every failed eligibility rule, and, for an eligible request, the quota
// with its explanation at the rate in force. Shared by the quota preview and the application, so both
// answer the same question the same way.
import type { Decimal } from 'decimal.js';
import { AppError, errorBody } from '../../domain/errors.ts';
import { addMonthsToMonth, monthOf, monthsBetween, type IsoDate } from '../../domain/dates.ts';
import { parseIdNumber } from '../../domain/identity.ts';
import { fenToYuanString, positiveYuanToFen, yuanToFen, type Fen } from '../../domain/money.ts';
import { checkLoanEligibility, type LoanEligibilityResult } from '../../domain/loans/eligibility.ts';
import {
  DEFAULT_QUOTA_PARAMETERS,
  loanQuota,
  type QuotaExplanation,
  type QuotaParameters,
} from '../../domain/loans/quota.ts';
import { isHome, loanRateOnContract, type Home, type RateInForce } from '../../domain/loans/rates.ts';
import { isRepaymentMethod, type RepaymentMethod } from '../../domain/loans/schedule.ts';
import { isRetirementGroup } from '../../domain/retirement.ts';
import { decryptIdNumber, maskIdNumber } from '../../auth/pii.ts';
import type { CreditBureau, CreditReport } from '../../integrations/credit-bureau/gateway.ts';
import { consecutiveCoveredMonths } from '../deposits/credit-deposit.ts';
import { getFenParameter } from '../parameters/get-parameter.ts';
import { creditGrade } from '../depositors/credit-grade.ts';
import { hasOutstandingLoan } from './has-outstanding-loan.ts';
import { loanRateTable } from './loan-rate-table.ts';
import { poolAlertLevel } from './pool-alert-level.ts';
import type { Db, DbOrTx } from '../../db/connection.ts';

/** A loan request as given at the counter or on the portal (money as yuan strings). */
export interface LoanRequestInput {
  depositorId: string | bigint;
  /** The spouse co-applicant: a depositor here, or a person who is not. */
  spouse?: { depositorId: string | bigint } | { name: string; idNumber: string } | null;
  house: { address: string; areaSqm: string; price: string; home: string; inCity: boolean };
  children?: number;
  income: { monthlyIncome: string; monthlyDebts: string; evidence: string };
  seller?: { name: string; bankName: string; bankAccount: string };
  amount: string;
  termMonths: number;
  method: string;
}

export interface LoanRequest {
  depositorId: bigint;
  spouse: { depositorId: bigint } | { name: string; idNumber: string } | null;
  house: { address: string; areaSqm: string; priceFen: Fen; home: Home; inCity: boolean };
  children: number;
  incomeFen: Fen;
  debtsFen: Fen;
  evidence: string;
  amountFen: Fen;
  termMonths: number;
  method: RepaymentMethod;
}

function text(value: unknown, field: string, max = 200): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    throw new AppError('VALIDATION_FAILED', { field });
  }
  return value.trim();
}

/** Checks the shape of a request; malformed input is a bad request, not an ineligible person. */
export function parseLoanRequest(input: LoanRequestInput): LoanRequest {
  if (!/^\d+$/.test(String(input.depositorId)))
    throw new AppError('VALIDATION_FAILED', { field: 'depositorId' });
  const home = input.house?.home;
  if (typeof home !== 'string' || !isHome(home)) {
    throw new AppError('LOAN_HOME_INVALID', { field: 'house.home', details: { value: home } });
  }
  if (typeof input.method !== 'string' || !isRepaymentMethod(input.method)) {
    throw new AppError('LOAN_METHOD_INVALID', { field: 'method', details: { value: input.method } });
  }
  if (!/^\d{1,6}(\.\d{1,2})?$/.test(String(input.house.areaSqm)) || Number(input.house.areaSqm) <= 0) {
    throw new AppError('VALIDATION_FAILED', { field: 'house.areaSqm' });
  }
  if (typeof input.house.inCity !== 'boolean')
    throw new AppError('VALIDATION_FAILED', { field: 'house.inCity' });
  const children = input.children ?? 0;
  if (!Number.isInteger(children) || children < 0 || children > 20) {
    throw new AppError('VALIDATION_FAILED', { field: 'children' });
  }
  if (!Number.isInteger(input.termMonths)) {
    throw new AppError('LOAN_TERM_INVALID', { field: 'termMonths', details: { value: input.termMonths } });
  }
  const incomeFen = yuanToFen(input.income.monthlyIncome, 'income.monthlyIncome');
  const debtsFen = yuanToFen(input.income.monthlyDebts, 'income.monthlyDebts');
  if (incomeFen < 0n) throw new AppError('AMOUNT_NEGATIVE', { field: 'income.monthlyIncome' });
  if (debtsFen < 0n) throw new AppError('AMOUNT_NEGATIVE', { field: 'income.monthlyDebts' });
  let spouse: LoanRequest['spouse'] = null;
  if (input.spouse) {
    if ('depositorId' in input.spouse) {
      if (!/^\d+$/.test(String(input.spouse.depositorId))) {
        throw new AppError('LOAN_SPOUSE_INVALID', { field: 'spouse.depositorId' });
      }
      spouse = { depositorId: BigInt(input.spouse.depositorId) };
    } else {
      let idNumber: string;
      try {
        idNumber = parseIdNumber(input.spouse.idNumber).normalized;
      } catch {
        throw new AppError('LOAN_SPOUSE_INVALID', { field: 'spouse.idNumber' });
      }
      spouse = { name: text(input.spouse.name, 'spouse.name', 50), idNumber };
    }
  }
  return {
    depositorId: BigInt(input.depositorId),
    spouse,
    house: {
      address: text(input.house.address, 'house.address'),
      areaSqm: String(input.house.areaSqm),
      priceFen: positiveYuanToFen(input.house.price, 'house.price'),
      home,
      inCity: input.house.inCity,
    },
    children,
    incomeFen,
    debtsFen,
    evidence: text(input.income.evidence, 'income.evidence', 100),
    amountFen: positiveYuanToFen(input.amount, 'amount'),
    termMonths: input.termMonths,
    method: input.method,
  };
}

interface Person {
  depositorId: bigint;
  name: string;
  idNumber: string;
  birthDate: IsoDate;
  retirementGroup: string;
}

async function person(db: DbOrTx, depositorId: bigint, field: string): Promise<Person> {
  const d = await db
    .selectFrom('depositors')
    .select(['id', 'name', 'id_number_enc', 'birth_date', 'retirement_group'])
    .where('id', '=', depositorId)
    .executeTakeFirst();
  if (!d)
    throw new AppError(field === 'depositorId' ? 'DEPOSITOR_NOT_FOUND' : 'LOAN_SPOUSE_INVALID', { field });
  return {
    depositorId: d.id,
    name: d.name,
    idNumber: decryptIdNumber(d.id_number_enc),
    birthDate: d.birth_date,
    retirementGroup: d.retirement_group,
  };
}

export interface CreditReports {
  applicant: CreditReport;
  spouse: CreditReport | null;
}

/** Asks the bureau for the applicant's report and the spouse's; call it outside a transaction. */
export async function fetchCreditReports(
  db: Db,
  bureau: CreditBureau,
  request: LoanRequest,
): Promise<CreditReports> {
  const applicant = await person(db, request.depositorId, 'depositorId');
  const purpose = '住房公积金贷款申请 / HPF loan application';
  const applicantReport = await bureau.fetchReport({
    idNumber: applicant.idNumber,
    name: applicant.name,
    purpose,
  });
  let spouseReport: CreditReport | null = null;
  if (request.spouse) {
    const s =
      'depositorId' in request.spouse
        ? await person(db, request.spouse.depositorId, 'spouse.depositorId')
        : { ...request.spouse };
    spouseReport = await bureau.fetchReport({ idNumber: s.idNumber, name: s.name, purpose });
  }
  return { applicant: applicantReport, spouse: spouseReport };
}

export interface LoanAssessment {
  request: LoanRequest;
  date: IsoDate;
  applicant: Person & { accountId: bigint | null; balanceFen: Fen };
  spouse:
    | {
        depositor: true;
        depositorId: bigint;
        accountId: bigint;
        balanceFen: Fen;
        name: string;
        idMasked: string;
      }
    | { depositor: false; name: string; idMasked: string }
    | null;
  facts: {
    consecutiveMonths: number;
    coveredMonthsLast12: number;
    monthsSinceOpening: number;
    missedPeriods: number;
    outstandingLoanHere: boolean;
  };
  eligibility: LoanEligibilityResult;
  /** Present when eligible. */
  quota: QuotaExplanation | null;
  rate: RateInForce;
  reports: CreditReports;
}

async function openFlexibleAccount(db: DbOrTx, depositorId: bigint) {
  return db
    .selectFrom('accounts')
    .select(['id', 'balance_fen', 'opened_on'])
    .where('depositor_id', '=', depositorId)
    .where('kind', '=', 'flexible')
    .where('state', '=', '01')
    .executeTakeFirst();
}

export async function quotaParameters(db: DbOrTx, date: IsoDate): Promise<QuotaParameters> {
  return {
    ...DEFAULT_QUOTA_PARAMETERS,
    capSingleFen: await getFenParameter(db, 'loan.cap_single_fen', date),
    capCoupleFen: await getFenParameter(db, 'loan.cap_couple_fen', date),
  };
}

/** Gathers the facts on `date` (the expected contract date) and evaluates every rule and the quota. */
export async function assessLoan(
  db: DbOrTx,
  request: LoanRequest,
  reports: CreditReports,
  date: IsoDate,
): Promise<LoanAssessment> {
  const applicantPerson = await person(db, request.depositorId, 'depositorId');
  if (!isRetirementGroup(applicantPerson.retirementGroup)) {
    throw new AppError('RETIREMENT_GROUP_INVALID', { field: 'depositorId' });
  }
  const account = await openFlexibleAccount(db, request.depositorId);
  // Covered months are counted back from the latest completed month (rules.md §3.3).
  const latest = addMonthsToMonth(monthOf(date), -1);
  let consecutiveMonths = 0;
  let coveredMonthsLast12 = 0;
  let monthsSinceOpening = 0;
  let missedPeriods = 0;
  if (account) {
    consecutiveMonths = await consecutiveCoveredMonths(db, account.id, latest);
    const covered = await db
      .selectFrom('account_months')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('account_id', '=', account.id)
      .where('covered', '=', true)
      .where('month', '>=', `${addMonthsToMonth(latest, -11)}-01`)
      .where('month', '<=', `${latest}-01`)
      .executeTakeFirstOrThrow();
    coveredMonthsLast12 = Number(covered.n);
    // The history starts at the opening here, or earlier with months transferred from another city
    // (§5.4: they count as deposited here), so a newcomer's transferred year is not refused as impossible.
    const first = await db
      .selectFrom('account_months')
      .select((eb) => eb.fn.min('month').as('month'))
      .where('account_id', '=', account.id)
      .where('covered', '=', true)
      .executeTakeFirst();
    const openedMonth = monthOf(account.opened_on);
    const firstMonth = first?.month ? monthOf(String(first.month)) : openedMonth;
    const historyStart = firstMonth < openedMonth ? firstMonth : openedMonth;
    monthsSinceOpening = Math.max(0, monthsBetween(historyStart, latest) + 1);
    const missed = await db
      .selectFrom('deposit_periods')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('account_id', '=', account.id)
      .where('status', '=', 'missed')
      .executeTakeFirstOrThrow();
    missedPeriods = Number(missed.n);
  }
  let spouse: LoanAssessment['spouse'] = null;
  let outstandingLoanHere = await hasOutstandingLoan(db, request.depositorId);
  if (request.spouse && 'depositorId' in request.spouse) {
    if (request.spouse.depositorId === request.depositorId) {
      throw new AppError('LOAN_SPOUSE_INVALID', { field: 'spouse.depositorId' });
    }
    const s = await person(db, request.spouse.depositorId, 'spouse.depositorId');
    const sAccount = await openFlexibleAccount(db, s.depositorId);
    if (!sAccount) throw new AppError('LOAN_SPOUSE_INVALID', { field: 'spouse.depositorId' });
    spouse = {
      depositor: true,
      depositorId: s.depositorId,
      accountId: sAccount.id,
      balanceFen: sAccount.balance_fen,
      name: s.name,
      idMasked: maskIdNumber(s.idNumber),
    };
    outstandingLoanHere ||= await hasOutstandingLoan(db, s.depositorId);
  } else if (request.spouse) {
    spouse = { depositor: false, name: request.spouse.name, idMasked: maskIdNumber(request.spouse.idNumber) };
  }
  const params = await quotaParameters(db, date);
  const eligibility = checkLoanEligibility(
    {
      contractDate: date,
      accountOpen: account !== undefined,
      consecutiveMonths,
      outstandingLoanHere,
      missedPeriods,
      credit: reports.spouse ? [reports.applicant, reports.spouse] : [reports.applicant],
      houseInCity: request.house.inCity,
      termMonths: request.termMonths,
      birthDate: applicantPerson.birthDate,
      retirementGroup: applicantPerson.retirementGroup,
    },
    params,
  );
  const { grade } = await creditGrade(db, request.depositorId, date);
  if (grade === 'D') {
    const body = errorBody('LOAN_CREDIT_GRADE_NOT_ELIGIBLE');
    eligibility.failures.push({
      code: body.code,
      field: 'creditGrade',
      message_zh: body.message_zh,
      message_en: body.message_en,
    });
    eligibility.eligible = false;
  }
  const termForRate = Math.min(Math.max(request.termMonths, 1), params.maxTermMonths);
  const rate = loanRateOnContract({
    contractDate: date,
    home: request.house.home,
    termMonths: termForRate,
    table: await loanRateTable(db),
  });
  let quota: QuotaExplanation | null = null;
  if (eligibility.eligible && account) {
    quota = loanQuota(
      {
        applicantBalanceFen: account.balance_fen,
        ...(spouse?.depositor ? { spouseBalanceFen: spouse.balanceFen } : {}),
        spouseDepositor: spouse?.depositor === true,
        consecutiveMonths,
        coveredMonthsLast12,
        monthsSinceOpening,
        alertLevel: await poolAlertLevel(db, date),
        creditGrade: grade,
        monthlyIncomeFen: request.incomeFen,
        monthlyDebtsFen: request.debtsFen,
        housePriceFen: request.house.priceFen,
        home: request.house.home,
        children: request.children,
        annualRatePct: rate.ratePct,
        months: request.termMonths,
        method: request.method,
      },
      params,
    );
  }
  return {
    request,
    date,
    applicant: { ...applicantPerson, accountId: account?.id ?? null, balanceFen: account?.balance_fen ?? 0n },
    spouse,
    facts: { consecutiveMonths, coveredMonthsLast12, monthsSinceOpening, missedPeriods, outstandingLoanHere },
    eligibility,
    quota,
    rate,
    reports,
  };
}

/** The quota explanation as JSON (money as yuan strings, coefficients as written in the rule book). */
export function quotaJson(q: QuotaExplanation, rate: RateInForce): Record<string, unknown> {
  const d = (v: Decimal) => v.toFixed(Math.max(1, v.decimalPlaces()));
  return {
    quota: fenToYuanString(q.quotaFen),
    binding: q.binding.code,
    candidates: q.candidates.map((c) => ({
      code: c.code,
      label_zh: c.zh,
      label_en: c.en,
      amount: fenToYuanString(c.amountFen),
    })),
    factors: {
      deposit: {
        totalBalance: fenToYuanString(q.deposit.totalBalanceFen),
        multiple: q.deposit.multiple.toString(),
        duration: { ...q.deposit.duration, coefficient: d(q.deposit.duration.coefficient) },
        stability: { ...q.deposit.stability, coefficient: d(q.deposit.stability.coefficient) },
        liquidity: {
          alertLevel: q.deposit.liquidity.alertLevel,
          coefficient: d(q.deposit.liquidity.coefficient),
        },
        credit: { grade: q.deposit.credit.grade, coefficient: d(q.deposit.credit.coefficient) },
      },
      repayment: {
        sharePct: q.repayment.sharePct.toString(),
        monthlyLimit: fenToYuanString(q.repayment.monthlyLimitFen),
        maxPrincipal: fenToYuanString(q.repayment.maxPrincipalFen),
        installment: fenToYuanString(q.repayment.installmentFen),
        annualRate: rate.ratePct.toString(),
        rateFrom: rate.from,
        rateColumn: rate.column,
      },
      price: {
        housePrice: fenToYuanString(q.price.housePriceFen),
        home: q.price.home,
        downPaymentPct: q.price.downPaymentPct.toString(),
      },
      cap: {
        base: fenToYuanString(q.cap.baseFen),
        spouseDepositor: q.cap.spouseDepositor,
        children: q.cap.children,
        bonusPct: q.cap.bonusPct.toString(),
      },
    },
    roundedDownTo: fenToYuanString(DEFAULT_QUOTA_PARAMETERS.roundingFen),
    installment: fenToYuanString(q.quotaInstallmentFen),
  };
}
