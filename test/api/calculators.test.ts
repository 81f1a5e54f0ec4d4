// The public loan calculators over HTTP (app.inject): schedule (rules.md §6.4), affordability (§6.2 B) and
// the quota with its explanation (§6.2), no login needed; the same readers, output and coded refusals as
// `anju calc … --json`, with the HTTP status of each refusal's kind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.ts';
import { calculateQuota } from '../../src/domain/loans/calculators.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t.close();
});

function post(url: string, payload: unknown) {
  return t.inject({ method: 'POST', url: `/api/v1${url}`, payload: payload as Record<string, unknown> });
}

describe('POST /calc/schedule', () => {
  it('the rule-book example without logging in: 2,001.70; month 1 interest 1,083.33, principal 918.37', async () => {
    const r = await post('/calc/schedule', {
      principal: '500000.00',
      annualRate: '2.6',
      months: 360,
      method: 'equal-installment',
    });
    expect(r.statusCode).toBe(200);
    const body = r.json<{
      installments: Record<string, unknown>[];
      totalPayment: string;
      totalInterest: string;
    }>();
    expect(body.installments).toHaveLength(360);
    expect(body.installments[0]).toEqual({
      period: 1,
      payment: '2001.70',
      principal: '918.37',
      interest: '1083.33',
      balance: '499081.63',
    });
    expect(body.totalPayment).toBe('720611.14');
    expect(body.totalInterest).toBe('220611.14');
  });

  it('with a disbursement date: due dates on the 28th and the first period by actual days / 30, noted', async () => {
    const r = await post('/calc/schedule', {
      principal: '500000.00',
      annualRate: '2.6',
      months: 3,
      method: 'equal-principal',
      disbursed: '2025-01-31',
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      installments: [
        { period: 1, dueDate: '2025-02-28', interest: '1011.11', principal: '166666.67' },
        { period: 2, dueDate: '2025-03-28' },
        { period: 3, dueDate: '2025-04-28', balance: '0.00' },
      ],
      note: { firstPeriodDays: 28 },
    });
  });

  it('refuses with the code, both messages and the field', async () => {
    const term = await post('/calc/schedule', { principal: '500000.00', annualRate: '2.6', months: 361 });
    expect(term.statusCode).toBe(400);
    expect(term.json()).toMatchObject({
      code: 'LOAN_TERM_INVALID',
      message_zh: '贷款期限无效，应为 1 至 360 个月的整数',
      message_en: 'Invalid loan term; expected a whole number of months from 1 to 360',
      field: 'months',
    });
    const amount = await post('/calc/schedule', { principal: '1.001', annualRate: '2.6', months: 12 });
    expect(amount.statusCode).toBe(400);
    expect(amount.json()).toMatchObject({ code: 'INVALID_AMOUNT', field: 'principal' });
    const method = await post('/calc/schedule', {
      principal: '1000.00',
      annualRate: '2.6',
      months: 12,
      method: 'x',
    });
    expect(method.json()).toMatchObject({ code: 'LOAN_METHOD_INVALID', field: 'method' });
    const unknown = await post('/calc/schedule', {
      principal: '1000.00',
      annualRate: '2.6',
      months: 12,
      term: 1,
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'term' });
    const missing = await post('/calc/schedule', { principal: '1000.00', annualRate: '2.6' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'months' });
  });
});

describe('POST /calc/affordability', () => {
  it('50 % × (12,000 − 1,500) = 5,250 a month → 1,311,387.51 at 2.6 % over 360 months', async () => {
    const r = await post('/calc/affordability', {
      income: '12000.00',
      debts: '1500.00',
      annualRate: '2.6',
      months: 360,
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ monthlyLimit: '5250.00', maxPrincipal: '1311387.51', installment: '5250.00' });
  });

  it('refuses a rate above 10 % naming the field', async () => {
    const r = await post('/calc/affordability', { income: '12000.00', annualRate: '12', months: 360 });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'LOAN_RATE_OUT_OF_RANGE', field: 'annualRate' });
  });
});

describe('POST /calc/quota', () => {
  const input = {
    applicantBalance: '20012.34',
    consecutiveMonths: 24,
    coveredMonthsLast12: 12,
    income: '12000.00',
    debts: '1500.00',
    price: '1000000.00',
    annualRate: '2.6',
    months: 360,
  };

  it('answers exactly what the CLI prints: A binds at 480,296.16, rounded down to 480,000', async () => {
    const r = await post('/calc/quota', input);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual(JSON.parse(JSON.stringify(calculateQuota(input))));
    expect(r.json()).toMatchObject({
      quota: '480000.00',
      binding: { code: 'A', label_zh: '存贷挂钩额度', label_en: 'Deposit-linked', amount: '480296.16' },
      roundedDownTo: '1000.00',
    });
  });

  it('refuses credit grade D with 422 (a rule), a bad alert level with 400', async () => {
    const d = await post('/calc/quota', { ...input, creditGrade: 'D' });
    expect(d.statusCode).toBe(422);
    expect(d.json()).toMatchObject({ code: 'LOAN_CREDIT_GRADE_NOT_ELIGIBLE', field: 'creditGrade' });
    const level = await post('/calc/quota', { ...input, alertLevel: 'level4' });
    expect(level.statusCode).toBe(400);
    expect(level.json()).toMatchObject({ code: 'LOAN_ALERT_LEVEL_INVALID', field: 'alertLevel' });
  });

  it('the term limited by age: a requested term past retirement + 5 years is refused with 422', async () => {
    const r = await post('/calc/quota', {
      ...input,
      contractDate: '2026-01-20',
      birthDate: '1970-06-15',
      retirementGroup: 'male',
    });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({
      code: 'LOAN_TERM_BEYOND_AGE_LIMIT',
      field: 'months',
      details: { months: 360, maximumMonths: 129, latestMaturity: '2036-11-15' },
    });
  });
});
