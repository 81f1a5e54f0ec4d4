// Statements, certificates and printed documents over HTTP: who may see what, the PDFs, and the public
// check of a certificate code (rules.md §2, §4.2, §12).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp, type TestDepositor } from './test-app.ts';
import { teller as tellerActor } from '../support/services.ts';
import { yuanToFen } from '../../src/domain/money.ts';
import { advanceBusinessDate, initializeBusinessDate } from '../../src/services/calendar/business-date.ts';
import { prepareAgreement } from '../../src/services/agreements/prepare-agreement.ts';
import { signAgreement } from '../../src/services/agreements/sign-agreement.ts';
import { openAccount } from '../../src/services/accounts/open-account.ts';
import { creditDeposit } from '../../src/services/deposits/credit-deposit.ts';

const SYSTEM = { type: 'system', id: 'test' } as const;

let t: TestApp;
let teller: string;
let reviewer: string;
let depositorA: TestDepositor;
let depositorB: TestDepositor;
let tokenA: string;
let tokenB: string;
let accountA: string;
let agreementA: string;

async function openFlexible(depositor: TestDepositor, name: string) {
  const draft = await prepareAgreement({
    db: t.db,
    actor: tellerActor,
    depositorId: depositor.id,
    depositMode: 'flexible',
    bankName: '包商银行',
    bankCard: '6222020000000000019',
    consentDataCheck: true,
  });
  await signAgreement({
    db: t.db,
    actor: tellerActor,
    agreementId: draft.agreementId,
    textSha256: draft.textSha256,
    signerName: name,
    clientIp: '127.0.0.1',
    userAgent: 'vitest',
    channel: 'counter',
  });
  const account = await openAccount({ db: t.db, actor: tellerActor, depositorId: depositor.id });
  return { accountId: account.accountId, agreementId: draft.agreementId };
}

async function deposit(accountId: string, amount: string, valueDate: string) {
  await t.db.transaction().execute((tx) =>
    creditDeposit(tx, {
      accountId: BigInt(accountId),
      amountFen: yuanToFen(amount),
      valueDate,
      channel: 'counter',
      actor: tellerActor,
    }),
  );
}

beforeAll(async () => {
  t = await createTestApp();
  await initializeBusinessDate(t.db, '2024-12-02', SYSTEM);
  await t.createStaff({ username: 'teller1', roles: ['teller'] });
  await t.createStaff({ username: 'reviewer1', roles: ['reviewer'] });
  teller = await t.loginStaff('teller1');
  reviewer = await t.loginStaff('reviewer1');
  depositorA = await t.createDepositor({ name: '甲缴存人' });
  depositorB = await t.createDepositor({ name: '乙缴存人' });
  tokenA = await t.loginDepositor(depositorA);
  tokenB = await t.loginDepositor(depositorB);
  const opened = await openFlexible(depositorA, '甲缴存人');
  accountA = opened.accountId;
  agreementA = opened.agreementId;
  await openFlexible(depositorB, '乙缴存人');
  // 7,000.00 in December 2024 is above that month's cap of 6,104.00 (rules.md §12).
  await deposit(accountA, '7000.00', '2024-12-02');
  await advanceBusinessDate(t.db, '2025-01-06', SYSTEM);
  await deposit(accountA, '500.00', '2025-01-06');
});
afterAll(() => t.close());

describe('GET /accounts/:id/statement', () => {
  it('gives the depositor their statement with running balances', async () => {
    const res = await t.inject({
      method: 'GET',
      url: `/api/v1/accounts/${accountA}/statement`,
      headers: bearer(tokenA),
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.lines.map((l: { balance: string }) => l.balance)).toEqual(['7000.00', '7500.00']);
    expect(body).toMatchObject({
      openingBalance: '0.00',
      closingBalance: '7500.00',
      totals: { in: '7500.00', out: '0.00' },
    });
  });

  it('takes a period for staff', async () => {
    const res = await t.inject({
      method: 'GET',
      url: `/api/v1/accounts/${accountA}/statement?from=2025-01-01&to=2025-01-31`,
      headers: bearer(teller),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ openingBalance: '7000.00', closingBalance: '7500.00' });
  });

  it('refuses depositor B (403), strangers (401) and bad periods (400)', async () => {
    const other = await t.inject({
      method: 'GET',
      url: `/api/v1/accounts/${accountA}/statement`,
      headers: bearer(tokenB),
    });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('FORBIDDEN');
    const stranger = await t.inject({ method: 'GET', url: `/api/v1/accounts/${accountA}/statement` });
    expect(stranger.statusCode).toBe(401);
    const backwards = await t.inject({
      method: 'GET',
      url: `/api/v1/accounts/${accountA}/statement?from=2025-02-01&to=2025-01-01`,
      headers: bearer(teller),
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().code).toBe('STATEMENT_PERIOD_INVALID');
    const notADate = await t.inject({
      method: 'GET',
      url: `/api/v1/accounts/${accountA}/statement?from=yesterday`,
      headers: bearer(teller),
    });
    expect(notADate.statusCode).toBe(400);
  });
});

describe('GET /accounts/:id/subsidy-preview', () => {
  it('explains why there is no subsidy yet, and what a later closure would bring', async () => {
    const now = await t.inject({
      method: 'GET',
      url: `/api/v1/accounts/${accountA}/subsidy-preview`,
      headers: bearer(tokenA),
    });
    expect(now.statusCode).toBe(200);
    expect(now.json()).toMatchObject({ eligible: false, subsidy: '0.00', oneYearOn: '2025-12-02' });
    expect(now.json().reasons[0].code).toBe('SUBSIDY_LESS_THAN_ONE_YEAR');
    const later = await t.inject({
      method: 'GET',
      url: `/api/v1/accounts/${accountA}/subsidy-preview?closureDate=2025-12-02`,
      headers: bearer(teller),
    });
    // 700,000 fen × 365 days + 50,000 fen × 330 days = 272,000,000; × 0.5 % / 360 = 3,777.78 fen → 37.78.
    expect(later.json()).toMatchObject({ eligible: true, subsidy: '37.78' });
    const other = await t.inject({
      method: 'GET',
      url: `/api/v1/accounts/${accountA}/subsidy-preview`,
      headers: bearer(tokenB),
    });
    expect(other.statusCode).toBe(403);
  });
});

describe('tax certificates', () => {
  let certificateId: string;
  let code: string;

  it('are issued to the depositor (201) and found again when nothing changed (200)', async () => {
    const url = `/api/v1/depositors/${depositorA.id}/tax-certificates`;
    const res = await t.inject({ method: 'POST', url, headers: bearer(tokenA), payload: { year: 2024 } });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.content.months[11]).toEqual({
      month: '2024-12',
      deposited: '7000.00',
      cap: '6104.00',
      deductible: '6104.00',
      excess: '896.00',
    });
    certificateId = body.certificateId;
    code = body.verificationCode;
    expect(body.pdfPath).toBe(`/api/v1/tax-certificates/${certificateId}.pdf`);
    const again = await t.inject({ method: 'POST', url, headers: bearer(teller), payload: { year: 2024 } });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ certificateId, reused: true });
  });

  it('are refused to another depositor, to roles outside the counter, and for bad years', async () => {
    const url = `/api/v1/depositors/${depositorA.id}/tax-certificates`;
    expect(
      (await t.inject({ method: 'POST', url, headers: bearer(tokenB), payload: { year: 2024 } })).statusCode,
    ).toBe(403);
    expect(
      (await t.inject({ method: 'POST', url, headers: bearer(reviewer), payload: { year: 2024 } }))
        .statusCode,
    ).toBe(403);
    const future = await t.inject({ method: 'POST', url, headers: bearer(teller), payload: { year: 2026 } });
    expect(future.statusCode).toBe(400);
    expect(future.json().code).toBe('TAX_CERTIFICATE_YEAR_INVALID');
    const empty = await t.inject({ method: 'POST', url, headers: bearer(teller), payload: { year: 2023 } });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().code).toBe('TAX_CERTIFICATE_NO_DEPOSITS');
  });

  it('print as application/pdf for the owner and staff only', async () => {
    const res = await t.inject({
      method: 'GET',
      url: `/api/v1/tax-certificates/${certificateId}.pdf`,
      headers: bearer(tokenA),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const staffView = await t.inject({
      method: 'GET',
      url: `/api/v1/tax-certificates/${certificateId}.pdf`,
      headers: bearer(reviewer),
    });
    expect(staffView.statusCode).toBe(200);
    const other = await t.inject({
      method: 'GET',
      url: `/api/v1/tax-certificates/${certificateId}.pdf`,
      headers: bearer(tokenB),
    });
    expect(other.statusCode).toBe(403);
  });

  it('are checked by anyone with the code, without logging in', async () => {
    const res = await t.inject({ method: 'GET', url: `/api/v1/certificates/verify/${code}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      valid: true,
      year: 2024,
      depositor: { name: '甲缴存人' },
      totals: { deposited: '7000.00', deductible: '6104.00', excess: '896.00' },
    });
    expect(res.json().depositor.idNumberMasked).toContain('**********');
    const wrong = await t.inject({ method: 'GET', url: '/api/v1/certificates/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ' });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().code).toBe('TAX_CERTIFICATE_NOT_FOUND');
  });
});

describe('GET /agreements/:id.pdf', () => {
  it('prints the agreement for its depositor and staff, not for others', async () => {
    const res = await t.inject({
      method: 'GET',
      url: `/api/v1/agreements/${agreementA}.pdf`,
      headers: bearer(tokenA),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(
      (
        await t.inject({
          method: 'GET',
          url: `/api/v1/agreements/${agreementA}.pdf`,
          headers: bearer(teller),
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await t.inject({
          method: 'GET',
          url: `/api/v1/agreements/${agreementA}.pdf`,
          headers: bearer(tokenB),
        })
      ).statusCode,
    ).toBe(403);
    // The JSON view of the same agreement is still reachable beside the PDF.
    expect(
      (await t.inject({ method: 'GET', url: `/api/v1/agreements/${agreementA}`, headers: bearer(tokenA) }))
        .statusCode,
    ).toBe(200);
  });
});
