// A loan over-payment in the depositor portal, in a real browser at phone width (test/browser/harness.ts):
// a borrower with a disbursed loan sees nothing extra on it while nothing was over-paid (and another
// depositor cannot read the loan's repayments); after a lost bank debit result, a counter repayment and
// the late success (test/support/loan-overpayment.ts), the loan shows the money held for refund, the
// card it goes to (masked) and why, in Chinese and in English; after finance refund it through the
// service and the bank confirms, it shows the refund: when, how much and to which card.
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { bearer } from '../api/test-app.ts';
import {
  borrowersWithLoans,
  overpayInstallmentsDue,
  type LoanBorrower,
  type Overpaid,
} from '../support/loan-overpayment.ts';
import { staff } from '../support/services.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { fenToYuanString } from '../../src/domain/money.ts';
import { InProcessBank } from '../../src/integrations/bank/in-process-bank.ts';
import { InProcessCreditBureau } from '../../src/integrations/credit-bureau/in-process-credit-bureau.ts';
import { refundLoanOverpayment } from '../../src/services/loans/refund-loan-overpayment.ts';
import { viewLoanRepayments } from '../../src/services/loans/view-loan-repayments.ts';
import { formatYuan } from '../../web/src/lib/money.ts';
import { describeBrowser, useBrowserHarness, type BrowserWindow } from './harness.ts';

const h = useBrowserHarness({ name: 'portal-loan-overpayment', businessDate: '2024-09-02' });
const PHONE = { width: 390, height: 844 };
const PASSWORD = 'overpaid-pass-2025';
const BANK = '中国建设银行包头分行';

let borrower: LoanBorrower;
let overpaid: Overpaid;
let page: Page;
const debitBank = new InProcessBank({ serialPrefix: 'BRPO', timeoutMs: 50 });
const maskedCard = () => `${borrower.card.slice(0, 4)} **** **** ${borrower.card.slice(-4)}`;
const held = () => formatYuan(fenToYuanString(overpaid.unappliedFen));

async function noSidewaysScroll(): Promise<void> {
  const width = await page.evaluate(
    () => (globalThis as unknown as BrowserWindow).document.documentElement.scrollWidth,
  );
  expect(width, `page is ${width}px wide at 390px`).toBeLessThanOrEqual(PHONE.width);
}

/** Opens (or reloads) the loan screen and waits until the loan's repayments have been read. */
async function loanScreen(reload: boolean): Promise<void> {
  const read = page.waitForResponse(
    (r) => r.url().endsWith(`/api/v1/loans/${borrower.loanId}/repayments`) && r.status() === 200,
  );
  if (reload) await page.reload();
  else await page.getByRole('link', { name: '贷款', exact: true }).click();
  await read;
  await page.locator('.ant-tag').filter({ hasText: '已放款' }).first().waitFor();
}

describeBrowser('a loan over-payment in the portal at 390 px', () => {
  beforeAll(async () => {
    const { db } = h().t;
    borrower = (
      await borrowersWithLoans(db, {
        bank: debitBank,
        bureau: new InProcessCreditBureau({ timeoutMs: 20 }),
        names: ['吴多付'],
        seed: 790,
      })
    )[0]!;
    await db
      .updateTable('depositors')
      .set({ password_hash: await hashPassword(PASSWORD) })
      .where('id', '=', BigInt(borrower.depositorId))
      .execute();
  }, 180_000);

  it('shows nothing extra on a loan that received no more than it owed; only the borrower reads it', async () => {
    page = await h().newPage(PHONE);
    await h().loginDepositorThroughPortal(page, { ...borrower, password: PASSWORD });

    await loanScreen(false);
    expect(await page.getByTestId('loan-overpayment').count()).toBe(0);
    await h().screenshot(page, '01-nothing-overpaid');

    // Another depositor is told there is no such loan.
    const other = await h().t.createDepositor();
    const res = await h().t.inject({
      method: 'GET',
      url: `/api/v1/loans/${borrower.loanId}/repayments`,
      headers: bearer(await h().t.loginDepositor(other)),
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'LOAN_NOT_FOUND' });
  }, 120_000);

  it('shows the over-payment held for refund, the card it goes to and why, in Chinese and English', async () => {
    const { db } = h().t;
    overpaid = (await overpayInstallmentsDue(db, debitBank, '2025-06-12'))[0]!;
    const view = await viewLoanRepayments({
      db,
      actor: staff('teller1', ['teller']),
      loanId: borrower.loanId,
    });
    const repayment = view.repayments.find((r) => r.repaymentId === overpaid.repaymentId)!;
    expect(repayment).toMatchObject({ channel: 'debit', refundStatus: 'held' });

    await loanScreen(true);
    const box = page.getByTestId('loan-overpayment');
    await box.getByText(`多收款项 ${held()}`).waitFor();
    await box.getByText('多出的部分不用于还贷，由公积金中心退还至您签约的银行卡', { exact: false }).waitFor();
    const row = (label: string) => box.locator('tr').filter({ hasText: label });
    await row('待退还').getByText(held()).waitFor();
    await row('已退还').getByText('¥0.00').waitFor();
    await row('退款银行卡').getByText(`${BANK} ${maskedCard()}`).waitFor();
    expect(await box.getByText(borrower.card).count()).toBe(0);
    const item = box.locator('li').filter({ hasText: `${repayment.businessDate} 银行代扣` });
    await item.getByText(`到账 ${formatYuan(repayment.amount)}，多收 ${held()}`).waitFor();
    await item.locator('.ant-tag').filter({ hasText: '待退还' }).waitFor();
    expect(await page.getByTestId('loan-overpayment-refunds').count()).toBe(0);
    const cjk = await h().checkChineseRenders(page, '多收款项待退还银行卡');
    expect(cjk, JSON.stringify(cjk)).toMatchObject({ ok: true });
    await noSidewaysScroll();
    await h().screenshot(page, '02-held');

    await page.getByText('EN', { exact: true }).click();
    await box.getByText(`${held()} received beyond what was owed`).waitFor();
    await box
      .getByText('the center refunds it to the bank card of your agreement', { exact: false })
      .waitFor();
    await row('Held for refund').getByText(held()).waitFor();
    await box
      .locator('li')
      .filter({ hasText: `${repayment.businessDate} Bank debit` })
      .locator('.ant-tag')
      .filter({ hasText: 'To be refunded' })
      .waitFor();
    await noSidewaysScroll();
    await h().screenshot(page, '03-held-en');
    await page.getByText('中文', { exact: true }).click();
    await box.getByText(`多收款项 ${held()}`).waitFor();
  }, 180_000);

  it('shows the refund once finance paid it back: when, how much and to which card', async () => {
    const { db, app } = h().t;
    const refund = await refundLoanOverpayment({
      db,
      bank: app.deps.bank,
      actor: staff('finance1', ['finance']),
      loanId: borrower.loanId,
      idempotencyKey: 'portal-overpayment-refund-1',
    });
    expect(refund.amount).toBe(fenToYuanString(overpaid.unappliedFen));
    const payout = async () =>
      (
        await db
          .selectFrom('payouts')
          .select('status')
          .where('id', '=', BigInt(refund.payoutId))
          .executeTakeFirstOrThrow()
      ).status;
    await expect.poll(payout, { timeout: 15_000 }).toBe('confirmed');

    await loanScreen(true);
    const box = page.getByTestId('loan-overpayment');
    const row = (label: string) => box.locator('tr').filter({ hasText: label });
    await row('已退还').getByText(held()).waitFor();
    await row('待退还').getByText('¥0.00').waitFor();
    await box.locator('li .ant-tag').filter({ hasText: '已退还' }).first().waitFor();
    const refunds = page.getByTestId('loan-overpayment-refunds');
    const listed = refunds.locator('li').filter({ hasText: `${refund.businessDate} ${held()}` });
    await listed.getByText(`退至 ${BANK} ${maskedCard()}`).waitFor();
    await listed.locator('.ant-tag').filter({ hasText: '已退还' }).waitFor();
    await noSidewaysScroll();
    await h().screenshot(page, '04-refunded');
  }, 120_000);
});
