// The credit grade over HTTP (rules.md §9, docs/decisions/0008-credit-grade.md): computed from what the books
// hold as of the business date: a depositor with six months at the counter (B), one who brought two years
// from another city (A), one whose old center found fraud (D, and the loan quota refuses them for it). A
// depositor sees only their own grade, a district viewer only their district's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InProcessPeerCenter } from '../../src/integrations/transfer-platform/in-process-peer-center.ts';
import { advanceBusinessDate, initializeBusinessDate } from '../../src/services/calendar/business-date.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { startTransferIn } from '../../src/services/transfers/start-transfer-in.ts';
import { personId } from '../support/people.ts';
import { openedDepositor, teller } from '../support/services.ts';
import { bearer, createTestApp, TEST_PASSWORD, type TestApp } from './test-app.ts';

let t: TestApp;
let staffToken: string;
let viewerToken: string;
const people: Record<
  'steady' | 'mover' | 'fraud',
  { depositorId: string; idNumber: string; accountId: string }
> = {} as never;

const system = { type: 'system' as const, id: 'test' };

beforeAll(async () => {
  t = await createTestApp();
  await initializeBusinessDate(t.db, '2024-11-04', system);
  await t.createStaff({ username: 'teller', roles: ['teller'] });
  staffToken = await t.loginStaff('teller');
  await t.createStaff({ username: 'viewer', roles: ['district_viewer'], districtCode: '150207' });
  viewerToken = await t.loginStaff('viewer');
  const peer = t.app.deps.transferPlatform as InProcessPeerCenter;
  for (const [n, who] of (['steady', 'mover', 'fraud'] as const).entries()) {
    const idNumber = personId('1990-05-05', 'female', 700 + n);
    const { person, account } = await openedDepositor(
      t.db,
      { idNumber, password: TEST_PASSWORD, districtCode: '150203' },
      'flexible',
    );
    people[who] = { depositorId: person.depositorId, idNumber, accountId: account.accountId };
    if (who === 'steady') continue;
    peer.addAccount({
      accountNumber: `OLD-${who}`,
      idNumber,
      name: person.name,
      principalFen: 2_000_000n,
      interestFen: 0n,
      openDate: '2022-01-01',
      paidUpToMonth: '2024-10',
      continuousMonths: 24,
      fraudFound: who === 'fraud',
    });
    await startTransferIn({
      db: t.db,
      actor: teller,
      platform: peer,
      accountId: account.accountId,
      oldCenterCode: peer.centerCode,
      oldCenterName: peer.centerName,
      oldAccountNumber: `OLD-${who}`,
      idempotencyKey: `credit-transfer-${who}`,
    });
    await peer.idle();
  }
  // Six months at the counter, November to April, for everyone.
  for (const date of ['2024-11-04', '2024-12-02', '2025-01-02', '2025-02-03', '2025-03-03', '2025-04-02']) {
    if (date !== '2024-11-04') await advanceBusinessDate(t.db, date, system);
    for (const who of ['steady', 'mover', 'fraud'] as const)
      await recordCounterDeposit({
        db: t.db,
        actor: teller,
        accountId: people[who].accountId,
        amount: '1000.00',
        idempotencyKey: `credit-${who}-${date}`,
      });
  }
  await advanceBusinessDate(t.db, '2025-05-06', system);
});

afterAll(async () => {
  await t?.close();
});

const grade = (token: string, who: keyof typeof people) =>
  t.inject({
    method: 'GET',
    url: `/api/v1/depositors/${people[who].depositorId}/credit-grade`,
    headers: bearer(token),
  });

const quotaPreview = (who: keyof typeof people) =>
  t.inject({
    method: 'POST',
    url: '/api/v1/loans/quota-preview',
    headers: bearer(staffToken),
    payload: {
      depositorId: people[who].depositorId,
      house: {
        address: '包头市青山区幸福路 1 号',
        areaSqm: '90.00',
        price: '800000.00',
        home: 'first',
        inCity: true,
      },
      income: { monthlyIncome: '20000.00', monthlyDebts: '0.00', evidence: 'tax_record' },
      amount: '200000.00',
      termMonths: 240,
      method: 'equal-principal',
    },
  });

describe('GET /depositors/:id/credit-grade', () => {
  it('six months at the counter: B (20 + 10 + 20), with the reasons and the loan coefficient 1.0', async () => {
    const res = await grade(staffToken, 'steady');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      depositorId: people.steady.depositorId,
      asOf: '2025-05-06',
      grade: 'B',
      score: 50,
      loanCoefficient: '1',
      reasons: [
        {
          code: 'REGULARITY',
          points: 20,
          zh: '近 12 个月缴存 6 个月',
          en: 'Deposited in 6 of the last 12 months',
        },
        {
          code: 'TENURE',
          points: 10,
          zh: '累计缴存 6 个月（含转入的缴存记录）',
          en: '6 months deposited in all (transferred history included)',
        },
        { code: 'NO_LOAN', points: 20, zh: '无住房公积金贷款记录', en: 'No HPF loan record' },
      ],
    });
  });

  it('two years brought from another city count: A, coefficient 1.1', async () => {
    const res = await grade(staffToken, 'mover');
    expect(res.json()).toMatchObject({ grade: 'A', score: 84, loanCoefficient: '1.1' });
    expect(res.json().reasons[0]).toMatchObject({ code: 'REGULARITY', zh: '近 12 个月缴存 12 个月' });
    const preview = await quotaPreview('mover');
    expect(preview.statusCode, preview.body).toBe(200);
    expect(JSON.stringify(preview.json())).toContain('"credit":{"grade":"A","coefficient":"1.1"}');
  });

  it('fraud found by the old center: D, no coefficient, and the loan quota refuses the applicant for it', async () => {
    const res = await grade(staffToken, 'fraud');
    expect(res.json()).toMatchObject({ grade: 'D', loanCoefficient: null });
    expect(res.json().reasons[0]).toEqual({
      code: 'FRAUD',
      points: 0,
      zh: '有骗提骗贷记录',
      en: 'Fraud on record',
    });
    const preview = await quotaPreview('fraud');
    // Eligible on every other rule: the grade is the one reason.
    expect(preview.statusCode).toBe(422);
    expect(preview.json()).toMatchObject({ code: 'LOAN_NOT_ELIGIBLE' });
    expect(preview.json().details.failures.map((f: { code: string }) => f.code)).toEqual([
      'LOAN_CREDIT_GRADE_NOT_ELIGIBLE',
    ]);
  });

  it('a depositor sees their own grade only; a district viewer only their district', async () => {
    const token = await t.loginDepositor({
      id: BigInt(people.steady.depositorId),
      idNumber: people.steady.idNumber,
      password: TEST_PASSWORD,
      phone: '',
    });
    expect((await grade(token, 'steady')).statusCode).toBe(200);
    const other = await grade(token, 'mover');
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ code: 'DEPOSITOR_NOT_FOUND' });
    expect((await grade(viewerToken, 'steady')).statusCode).toBe(403);
  });
});
