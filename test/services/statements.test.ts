// Statements, the tax-deduction deposit certificate and the subsidy preview (rules.md §3, §4.2, §12), on a
// real database: a depositor who pays across two calendar years, one who withdrew, and one who watches.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { expectRefusedWithoutWrites, rowCounts } from '../support/snapshot.ts';
import { openedDepositor, reviewer, staff, startCenter, teller } from '../support/services.ts';
import { addDays, daysBetween } from '../../src/domain/dates.ts';
import { yuanToFen } from '../../src/domain/money.ts';
import type { Actor } from '../../src/domain/roles.ts';
import { creditDeposit } from '../../src/services/deposits/credit-deposit.ts';
import { advanceBusinessDate } from '../../src/services/calendar/business-date.ts';
import { postEntry } from '../../src/ledger/post.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { getAgreement } from '../../src/services/agreements/get-agreement.ts';
import { accountStatement } from '../../src/services/statements/account-statement.ts';
import {
  issueTaxCertificate,
  printTaxCertificate,
} from '../../src/services/statements/issue-tax-certificate.ts';
import { verifyTaxCertificate } from '../../src/services/statements/verify-tax-certificate.ts';
import { subsidyPreview } from '../../src/services/deposits/subsidy-preview.ts';
import { renderAgreementPdf } from '../../src/documents/agreement-pdf.ts';
import { TAX_CERTIFICATE_TITLE_ZH } from '../../src/documents/tax-certificate-pdf.ts';

const SYSTEM: Actor = { type: 'system', id: 'test' };

let t: TestDatabase;
let a: Awaited<ReturnType<typeof openedDepositor>>;
let b: Awaited<ReturnType<typeof openedDepositor>>;
let w: Awaited<ReturnType<typeof openedDepositor>>;
const depositorActor = (d: typeof a): Actor => ({
  type: 'depositor',
  id: 1n,
  depositorId: BigInt(d.person.depositorId),
});
const accountOf = (d: typeof a) => BigInt(d.account.accountId);

async function on(date: string): Promise<void> {
  await advanceBusinessDate(t.db, date, SYSTEM);
}

async function deposit(d: typeof a, amount: string, valueDate?: string) {
  const businessDate = (
    await t.db.selectFrom('business_calendar').select('business_date').executeTakeFirstOrThrow()
  ).business_date;
  return t.db.transaction().execute((tx) =>
    creditDeposit(tx, {
      accountId: accountOf(d),
      amountFen: yuanToFen(amount),
      valueDate: valueDate ?? businessDate,
      channel: 'counter',
      actor: teller,
    }),
  );
}

/** Stands in for postings later issues make (the June 30 settlement, a withdrawal) on the member's 201. */
async function postMember(d: typeof a, entryType: string, side: 'C' | 'D', amount: string, date: string) {
  const amountFen = yuanToFen(amount);
  const other = entryType === 'withdrawal' ? '101' : '41101';
  await t.db.transaction().execute((tx) =>
    postEntry(
      tx,
      {
        book: 'FLEX',
        businessDate: date,
        valueDate: date,
        entryType,
        memo: entryType,
        postings: [
          { account: other, side: side === 'C' ? 'D' : 'C', amountFen },
          { account: '201', side, amountFen, memberAccountId: accountOf(d) },
        ],
      },
      'system:test',
    ),
  );
}

beforeAll(async () => {
  t = await createTestDatabase();
  await startCenter(t.db, '2024-05-02');
  a = await openedDepositor(t.db, {}, 'flexible');
  b = await openedDepositor(t.db, {}, 'flexible');
  w = await openedDepositor(t.db, {}, 'flexible');
  await on('2024-05-06');
  await deposit(a, '1000.00');
  await deposit(b, '500.00');
  await deposit(w, '2000.00');
  // The June 30 settlement (rules.md §4.1): 1,000.00 × 56 days × 1.5 % / 360 = 2.33.
  await on('2024-06-30');
  await postMember(a, 'interest_settlement', 'C', '2.33', '2024-06-30');
  await t.db
    .insertInto('account_interest')
    .values({
      account_id: accountOf(a),
      hpf_year: 2023,
      settled_on: '2024-06-30',
      interest_fen: 233n,
      kind: 'annual',
    })
    .execute();
  await on('2024-11-04');
  await deposit(a, '3000.00');
  await on('2024-11-20');
  await deposit(a, '3500.00');
  // Arrived on the 19th, credited on the 22nd: it belongs before the 20th on the statement.
  await on('2024-11-22');
  await deposit(a, '300.00', '2024-11-19');
  await on('2024-12-02');
  await postMember(w, 'withdrawal', 'D', '500.00', '2024-12-02');
  await on('2024-12-10');
  await deposit(a, '2000.00');
  await on('2025-01-15');
  await deposit(a, '7000.00');
  await on('2025-02-10');
  await deposit(a, '1000.00');
  await on('2025-03-03');
});
afterAll(async () => {
  expect((await verifyBooks(t.db)).ok).toBe(true);
  await t.close();
});

describe('the account statement', () => {
  it('lists every movement by value date with a running balance, to the fen', async () => {
    const s = await accountStatement(t.db, depositorActor(a), a.account.accountId);
    expect(s.from).toBe('2024-05-02');
    expect(s.to).toBe('2025-03-03');
    expect(s.openingBalance).toBe('0.00');
    expect(s.lines.map((l) => [l.valueDate, l.kind, l.amountIn, l.amountOut, l.balance])).toEqual([
      ['2024-05-06', 'deposit', '1000.00', '0.00', '1000.00'],
      ['2024-06-30', 'interest', '2.33', '0.00', '1002.33'],
      ['2024-11-04', 'deposit', '3000.00', '0.00', '4002.33'],
      ['2024-11-19', 'deposit', '300.00', '0.00', '4302.33'],
      ['2024-11-20', 'deposit', '3500.00', '0.00', '7802.33'],
      ['2024-12-10', 'deposit', '2000.00', '0.00', '9802.33'],
      ['2025-01-15', 'deposit', '7000.00', '0.00', '16802.33'],
      ['2025-02-10', 'deposit', '1000.00', '0.00', '17802.33'],
    ]);
    expect(s.closingBalance).toBe('17802.33');
    expect(s.totals).toEqual({ in: '17802.33', out: '0.00', deposits: '17800.00', interest: '2.33' });
    const balance = await t.db
      .selectFrom('accounts')
      .select('balance_fen')
      .where('id', '=', accountOf(a))
      .executeTakeFirstOrThrow();
    expect(yuanToFen(s.closingBalance)).toBe(balance.balance_fen);
  });

  it('shows how each deposit came and the months it covers, and marks the interest credit', async () => {
    const s = await accountStatement(t.db, teller, a.account.accountId);
    const late = s.lines.find((l) => l.valueDate === '2024-11-19')!;
    expect(late.businessDate).toBe('2024-11-22');
    expect(late.deposit).toMatchObject({ channel: 'counter', months: ['2024-11'] });
    const interest = s.lines.find((l) => l.kind === 'interest')!;
    expect(interest.interest).toEqual({ hpfYear: 2023, kind: 'annual' });
    expect(interest.deposit).toBeNull();
  });

  it('opens a period with the balance at its start and lists the covered months of its calendar', async () => {
    const s = await accountStatement(t.db, depositorActor(a), a.account.accountId, {
      from: '2024-11-01',
      to: '2025-01-31',
    });
    expect(s.openingBalance).toBe('1002.33');
    expect(s.lines.map((l) => l.amountIn)).toEqual(['3000.00', '300.00', '3500.00', '2000.00', '7000.00']);
    expect(s.closingBalance).toBe('16802.33');
    expect(s.totals).toEqual({ in: '15800.00', out: '0.00', deposits: '15800.00', interest: '0.00' });
    expect(s.months.map((m) => [m.month, m.allocated, m.covered])).toEqual([
      ['2024-11', '6800.00', true],
      ['2024-12', '2000.00', true],
      ['2025-01', '7000.00', true],
    ]);
  });

  it('shows money going out', async () => {
    const s = await accountStatement(t.db, depositorActor(w), w.account.accountId);
    expect(
      s.lines.map((l) => [l.valueDate, l.kind, l.entryType, l.amountIn, l.amountOut, l.balance]),
    ).toEqual([
      ['2024-05-06', 'deposit', 'deposit', '2000.00', '0.00', '2000.00'],
      ['2024-12-02', 'other', 'withdrawal', '0.00', '500.00', '1500.00'],
    ]);
    expect(s.totals).toMatchObject({ in: '2000.00', out: '500.00' });
    expect(s.closingBalance).toBe('1500.00');
  });

  it('chains: the closing balance of a period is the opening balance of the next day (property)', async () => {
    const days = daysBetween('2024-05-01', '2025-03-03');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: days }), fc.integer({ min: 0, max: days }), async (x, y) => {
        const from = addDays('2024-05-01', Math.min(x, y));
        const to = addDays('2024-05-01', Math.max(x, y));
        const s = await accountStatement(t.db, teller, a.account.accountId, { from, to });
        const next = await accountStatement(t.db, teller, a.account.accountId, {
          from: addDays(to, 1),
          to: addDays(to, 1),
        });
        expect(yuanToFen(s.openingBalance) + yuanToFen(s.totals.in) - yuanToFen(s.totals.out)).toBe(
          yuanToFen(s.closingBalance),
        );
        expect(next.openingBalance).toBe(s.closingBalance);
      }),
      { numRuns: 25 },
    );
  });

  it('is the owner’s and staff’s only: another depositor and another district are refused', async () => {
    await expect(accountStatement(t.db, depositorActor(b), a.account.accountId)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const otherDistrict = staff('qs-viewer', ['district_viewer'], '150204');
    await expect(accountStatement(t.db, otherDistrict, a.account.accountId)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const ownDistrict = staff('kdl-viewer', ['district_viewer'], '150203');
    expect((await accountStatement(t.db, ownDistrict, a.account.accountId)).closingBalance).toBe('17802.33');
  });

  it('refuses a period that ends before it starts, and dates that are not dates', async () => {
    await expect(
      accountStatement(t.db, teller, a.account.accountId, { from: '2025-02-01', to: '2025-01-01' }),
    ).rejects.toMatchObject({ code: 'STATEMENT_PERIOD_INVALID' });
    await expect(
      accountStatement(t.db, teller, a.account.accountId, { from: '2025-02-30' }),
    ).rejects.toMatchObject({
      code: 'INVALID_DATE',
    });
    await expect(accountStatement(t.db, teller, '999999')).rejects.toMatchObject({
      code: 'ACCOUNT_NOT_FOUND',
    });
  });
});

describe('the tax-deduction deposit certificate (rules.md §12)', () => {
  const zeroMonth = (month: string, cap: string) => ({
    month,
    deposited: '0.00',
    cap,
    deductible: '0.00',
    excess: '0.00',
  });

  it('puts each month’s deposits against that year’s cap: above the cap is excess', async () => {
    const c = await issueTaxCertificate(t.db, depositorActor(a), a.person.depositorId, 2024);
    expect(c.reused).toBe(false);
    const months = Array.from({ length: 12 }, (_, i) =>
      zeroMonth(`2024-${String(i + 1).padStart(2, '0')}`, '6104.00'),
    );
    months[4] = {
      month: '2024-05',
      deposited: '1000.00',
      cap: '6104.00',
      deductible: '1000.00',
      excess: '0.00',
    };
    // November: 3,000.00 + 300.00 + 3,500.00 = 6,800.00 against 6,104.00 → 696.00 not deductible.
    months[10] = {
      month: '2024-11',
      deposited: '6800.00',
      cap: '6104.00',
      deductible: '6104.00',
      excess: '696.00',
    };
    months[11] = {
      month: '2024-12',
      deposited: '2000.00',
      cap: '6104.00',
      deductible: '2000.00',
      excess: '0.00',
    };
    expect(c.content.months).toEqual(months);
    expect(c.content.totals).toEqual({
      deposited: '9800.00',
      cap: '73248.00',
      deductible: '9104.00',
      excess: '696.00',
    });
    expect(c.content.depositor).toMatchObject({ id: a.person.depositorId, name: a.person.name });
    expect(c.content.depositor.idNumberMasked).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    expect(c.verificationCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  });

  it('takes the cap in force in each month: 2025 uses 6,574.00', async () => {
    const c = await issueTaxCertificate(t.db, teller, a.person.depositorId, 2025);
    expect(c.content.months[0]).toEqual({
      month: '2025-01',
      deposited: '7000.00',
      cap: '6574.00',
      deductible: '6574.00',
      excess: '426.00',
    });
    expect(c.content.months[1]).toMatchObject({
      month: '2025-02',
      deposited: '1000.00',
      deductible: '1000.00',
    });
    expect(c.content.totals).toEqual({
      deposited: '8000.00',
      cap: '78888.00',
      deductible: '7574.00',
      excess: '426.00',
    });
  });

  it('returns the existing certificate when nothing changed, and a new one when a deposit did', async () => {
    await expectRefusedWithoutWrites(
      t.db,
      () => issueTaxCertificate(t.db, depositorActor(b), b.person.depositorId, 2025),
      'TAX_CERTIFICATE_NO_DEPOSITS',
      expect,
    );
    await deposit(b, '800.00');
    const first = await issueTaxCertificate(t.db, depositorActor(b), b.person.depositorId, 2025);
    const before = await rowCounts(t.db);
    const again = await issueTaxCertificate(t.db, teller, b.person.depositorId, 2025);
    expect(again).toMatchObject({
      reused: true,
      certificateId: first.certificateId,
      verificationCode: first.verificationCode,
    });
    expect(await rowCounts(t.db)).toEqual(before);
    await deposit(b, '200.00');
    const changed = await issueTaxCertificate(t.db, depositorActor(b), b.person.depositorId, 2025);
    expect(changed.reused).toBe(false);
    expect(changed.certificateId).not.toBe(first.certificateId);
    expect(changed.content.months[2]).toMatchObject({ month: '2025-03', deposited: '1000.00' });
    // The first certificate stays true as of the day it was issued.
    expect((await verifyTaxCertificate(t.db, first.verificationCode)).totals.deposited).toBe('800.00');
  });

  it('refuses a future year, another depositor, and staff outside the counter, writing nothing', async () => {
    await expectRefusedWithoutWrites(
      t.db,
      () => issueTaxCertificate(t.db, teller, a.person.depositorId, 2026),
      'TAX_CERTIFICATE_YEAR_INVALID',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () => issueTaxCertificate(t.db, depositorActor(b), a.person.depositorId, 2024),
      'FORBIDDEN',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () => issueTaxCertificate(t.db, reviewer, a.person.depositorId, 2024),
      'FORBIDDEN',
      expect,
    );
  });

  it('is verified by its code, however it is typed, showing only the essentials', async () => {
    const c = await issueTaxCertificate(t.db, teller, a.person.depositorId, 2024);
    expect(c.reused).toBe(true);
    const typed = ` ${c.verificationCode.toLowerCase().replaceAll('-', ' ')} `;
    const checked = await verifyTaxCertificate(t.db, typed);
    expect(checked).toEqual({
      valid: true,
      verificationCode: c.verificationCode,
      issuer: '包头市住房公积金管理中心',
      issuedOn: '2025-03-03',
      year: 2024,
      depositor: { name: a.person.name, idNumberMasked: c.content.depositor.idNumberMasked },
      totals: { deposited: '9800.00', cap: '73248.00', deductible: '9104.00', excess: '696.00' },
    });
    expect(c.verifyPath).toBe(`/api/v1/certificates/verify/${c.verificationCode}`);
    await expect(verifyTaxCertificate(t.db, '0000-0000-0000-0000')).rejects.toMatchObject({
      code: 'TAX_CERTIFICATE_NOT_FOUND',
    });
    await expect(verifyTaxCertificate(t.db, 'not a code')).rejects.toMatchObject({
      code: 'TAX_CERTIFICATE_NOT_FOUND',
    });
  });

  it('detects tampering: a changed figure no longer verifies, the original does again', async () => {
    const c = await issueTaxCertificate(t.db, teller, a.person.depositorId, 2024);
    const id = BigInt(c.certificateId);
    const original = await t.db
      .selectFrom('tax_certificates')
      .select('content')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    await sql`UPDATE tax_certificates SET content = jsonb_set(content, '{totals,deductible}', '"9800.00"') WHERE id = ${id}`.execute(
      t.db,
    );
    await expect(verifyTaxCertificate(t.db, c.verificationCode)).rejects.toMatchObject({
      code: 'TAX_CERTIFICATE_NOT_FOUND',
    });
    await t.db
      .updateTable('tax_certificates')
      .set({ content: JSON.stringify(original.content) })
      .where('id', '=', id)
      .execute();
    expect((await verifyTaxCertificate(t.db, c.verificationCode)).totals.deductible).toBe('9104.00');
  });

  it('prints as a PDF with the Chinese title, the figures and the code', async () => {
    const c = await issueTaxCertificate(t.db, teller, a.person.depositorId, 2024);
    const { fileName, pdf } = await printTaxCertificate(t.db, depositorActor(a), c.certificateId);
    expect(fileName).toBe(`tax-certificate-2024-${c.certificateId}.pdf`);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    if (text !== null) {
      expect(text).toContain(TAX_CERTIFICATE_TITLE_ZH);
      expect(text).toContain('包头市住房公积金管理中心');
      expect(text).toContain(c.verificationCode);
      expect(text).toContain('696.00');
      expect(text).toContain('第 1 页');
    }
    await expect(printTaxCertificate(t.db, depositorActor(b), c.certificateId)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});

describe('the agreement as a PDF (rules.md §2)', () => {
  it('prints the signed text and its hash', async () => {
    const agreement = await getAgreement(t.db, depositorActor(a), a.draft.agreementId);
    const pdf = await renderAgreementPdf(agreement);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    if (text !== null) {
      expect(text).toContain(agreement.agreementNumber);
      expect(text).toContain('甲方：包头市住房公积金管理中心');
      expect(text.replace(/\s/g, '')).toContain(agreement.textSha256);
    }
  });
});

describe('the subsidy preview (rules.md §4.2)', () => {
  it('explains a refusal before one year has passed since the first deposit', async () => {
    const p = await subsidyPreview(t.db, depositorActor(a), a.account.accountId);
    expect(p).toMatchObject({
      closureDate: '2025-03-03',
      eligible: false,
      subsidy: '0.00',
      firstDepositDate: '2024-05-06',
      oneYearOn: '2025-05-06',
      used: { withdrawal: false, loan: false, transferOut: false, conversion: false },
      lifetimeCap: '10000.00',
      remainingCap: '10000.00',
    });
    expect(p.reasons.map((r) => r.code)).toEqual(['SUBSIDY_LESS_THAN_ONE_YEAR']);
  });

  it('pays Σ amount × 0.5 % × days / 360, rounded once, from the first anniversary on', async () => {
    const closureDate = '2025-05-06';
    const p = await subsidyPreview(t.db, teller, a.account.accountId, { closureDate });
    expect(p.eligible).toBe(true);
    expect(p.reasons).toEqual([]);
    const deposits: Array<[string, bigint]> = [
      ['2024-05-06', 100000n],
      ['2024-11-04', 300000n],
      ['2024-11-19', 30000n],
      ['2024-11-20', 350000n],
      ['2024-12-10', 200000n],
      ['2025-01-15', 700000n],
      ['2025-02-10', 100000n],
    ];
    expect(p.deposits.map((d) => [d.date, d.days])).toEqual(
      deposits.map(([date]) => [date, daysBetween(date, closureDate)]),
    );
    // Σ fen × days = 270,490,000; × 0.5 / 100 / 360 = 3,756.81 fen → 37.57 yuan (half-up, once).
    const fenDays = deposits.reduce((s, [date, fen]) => s + fen * BigInt(daysBetween(date, closureDate)), 0n);
    expect(fenDays).toBe(270_490_000n);
    expect(p.subsidy).toBe('37.57');
    expect(p.uncapped).toBe('37.57');
    expect(p.capped).toBe(false);
    expect(p.ratePct).toBe('0.5');
  });

  it('refuses a used account: a withdrawal was made', async () => {
    const p = await subsidyPreview(t.db, depositorActor(w), w.account.accountId, {
      closureDate: '2025-06-01',
    });
    expect(p.eligible).toBe(false);
    expect(p.used.withdrawal).toBe(true);
    expect(p.reasons.map((r) => r.code)).toEqual(['SUBSIDY_USED_WITHDRAWAL']);
    expect(p.reasons[0]!.message_zh).toContain('提取');
    expect(p.subsidy).toBe('0.00');
  });

  it('refuses a closure date in the past and another depositor’s account', async () => {
    await expect(
      subsidyPreview(t.db, teller, a.account.accountId, { closureDate: '2025-03-02' }),
    ).rejects.toMatchObject({ code: 'SUBSIDY_PREVIEW_DATE_PAST' });
    await expect(subsidyPreview(t.db, depositorActor(b), a.account.accountId)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});

/** The PDF's text through pdftotext (poppler-utils), or null when it is not installed. */
function pdfText(pdf: Buffer): string | null {
  try {
    execFileSync('which', ['pdftotext'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'anju-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
