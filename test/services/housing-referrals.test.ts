// The housing-security referral list (rules.md §5.1, ours) with loans in the picture: everyone asked while
// eligible, then some borrowed. The list leaves out a loan outstanding (disbursed, as borrower or as
// spouse co-borrower, as loans/has-outstanding-loan.ts says) and keeps a loan only applied for or already
// settled; the export's columns and order stay as they were.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { InProcessBank } from '../../src/integrations/bank/in-process-bank.ts';
import { InProcessCreditBureau } from '../../src/integrations/credit-bureau/in-process-credit-bureau.ts';
import { InProcessHousingRegistry } from '../../src/integrations/housing/registry.ts';
import { advanceBusinessDate } from '../../src/services/calendar/business-date.ts';
import { applyForLoan } from '../../src/services/loans/apply-for-loan.ts';
import { hasOutstandingLoan } from '../../src/services/loans/has-outstanding-loan.ts';
import { settleLoan } from '../../src/services/loans/settle-loan.ts';
import {
  listHousingReferrals,
  referralsCsv,
} from '../../src/services/withdrawals/export-housing-referrals.ts';
import { requestHousingReferral } from '../../src/services/withdrawals/request-housing-referral.ts';
import { disbursedLoan, finance, loanRequest } from '../support/loan-payoff.ts';
import { depositEachMonth } from '../support/monthly-deposits.ts';
import { personId } from '../support/people.ts';
import { manager, openedDepositor, startCenter, teller } from '../support/services.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

let t: TestDatabase;
const bank = new InProcessBank({ serialPrefix: 'HR', timeoutMs: 50 });
const bureau = new InProcessCreditBureau({ timeoutMs: 20 });
const registry = new InProcessHousingRegistry();
const system = { type: 'system', id: 'test' } as const;
interface Person {
  depositorId: string;
  accountId: string;
  accountNumber: string;
  name: string;
}

async function person(n: number, name: string): Promise<Person> {
  const idNumber = personId('1990-01-01', n % 2 ? 'male' : 'female', 900 + n);
  const { person: p, account } = await openedDepositor(t.db, { idNumber, name }, 'flexible');
  return {
    depositorId: p.depositorId,
    accountId: account.accountId,
    accountNumber: account.accountNumber,
    name,
  };
}

/** Ann has no loan; Ben borrows with his wife Cat as co-borrower; Dan only applied; Eve repaid hers. */
let ann: Person;
let ben: Person;
let cat: Person;
let dan: Person;
let eve: Person;

beforeAll(async () => {
  t = await createTestDatabase();
  await startCenter(t.db, '2024-09-02');
  ann = await person(1, '安推荐');
  ben = await person(2, '贝贷款');
  cat = await person(3, '蔡共借');
  dan = await person(4, '丁申请');
  eve = await person(5, '鄂已还');
  // Eight covered months each: eligible for the referral (6 months) and for a loan.
  await depositEachMonth(t.db, [ann, ben, cat, dan, eve], 'hr-d');
  await advanceBusinessDate(t.db, '2025-05-12', system);
  // Asked in this order (the list's order), each while eligible, so before any loan.
  for (const p of [dan, ann, ben, eve, cat]) {
    await requestHousingReferral({
      db: t.db,
      actor: teller,
      accountId: p.accountId,
      queues: ['public_rental'],
      householdSize: 2,
      declaredNoHousing: true,
      housingRegistry: registry,
    });
  }
  await disbursedLoan(t.db, bank, bureau, loanRequest(ben, { spouse: { depositorId: cat.depositorId } }));
  await applyForLoan({
    db: t.db,
    actor: teller,
    bureau,
    request: loanRequest(dan),
    idempotencyKey: 'hr-dan-apply',
  });
  const repaid = await disbursedLoan(t.db, bank, bureau, loanRequest(eve, { amount: '100000.00' }));
  await settleLoan({
    db: t.db,
    actor: finance,
    loanId: repaid,
    funding: 'bank',
    bankReference: `B-HR-${repaid}`,
    idempotencyKey: `hr-settle-${repaid}`,
  });
}, 180_000);

afterAll(async () => {
  if (t) expect((await verifyBooks(t.db)).ok).toBe(true);
  await t?.close();
});

describe('housing-security referral list with loans', () => {
  it('leaves out a loan outstanding as borrower or spouse, keeps applied and settled, in request order', async () => {
    // The per-person question the list must agree with.
    const outstanding = await Promise.all(
      [ann, ben, cat, dan, eve].map((p) => hasOutstandingLoan(t.db, BigInt(p.depositorId))),
    );
    expect(outstanding).toEqual([false, true, true, false, false]);

    const { businessDate, rows } = await listHousingReferrals(t.db, manager);
    expect(businessDate).toBe('2025-05-12');
    expect(rows.map((r) => r.accountNumber)).toEqual([dan, ann, eve].map((p) => p.accountNumber));
    expect(rows.map((r) => r.name)).toEqual(['丁申请', '安推荐', '鄂已还']);
    expect(rows[1]).toEqual({
      name: '安推荐',
      idNumberMasked: expect.stringMatching(/^\d{4}\*+\w{4}$/) as unknown,
      phone: expect.any(String) as unknown,
      districtCode: expect.any(String) as unknown,
      accountNumber: ann.accountNumber,
      consecutiveMonths: 8,
      balance: expect.stringMatching(/^4\d{4}\.\d{2}$/) as unknown,
      queues: ['public_rental'],
      householdSize: 2,
      requestedOn: '2025-05-12',
    });

    const lines = referralsCsv(rows)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      '姓名,证件号码,联系电话,行政区划,个人账号,连续缴存月数,账户余额,申请保障类型,家庭人口,申请日期',
    );
    expect(lines).toHaveLength(4);
    // The account-number column (个人账号) names exactly those without a loan outstanding.
    expect(lines.slice(1).map((line) => line.split(',')[4])).toEqual(
      [dan, ann, eve].map((p) => p.accountNumber),
    );
    expect(lines[2]).toBe(
      [
        '安推荐',
        rows[1]!.idNumberMasked,
        rows[1]!.phone,
        rows[1]!.districtCode,
        ann.accountNumber,
        '8',
        rows[1]!.balance,
        '公租房',
        '2',
        '2025-05-12',
      ].join(','),
    );
  });
});
