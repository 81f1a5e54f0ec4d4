// Refunding a loan over-payment in the staff console, in a real browser (test/browser/harness.ts): a late
// bank debit result held on 21909 shows on the loan's repayments; a teller sees it but has no refund
// button; finance confirms the amount and the card in a dialog, the money goes to the bank and the result
// is shown; a refusal (the money was refunded meanwhile) shows its coded error in Chinese. Every screen is
// saved as a screenshot.
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeBrowser, useBrowserHarness } from './harness.ts';
import {
  borrowersWithLoans,
  overpayInstallmentsDue,
  type LoanBorrower,
  type Overpaid,
} from '../support/loan-overpayment.ts';
import { staff } from '../support/services.ts';
import { formatYuan } from '../../web/src/lib/money.ts';
import { fenToYuanString } from '../../src/domain/money.ts';
import { InProcessBank } from '../../src/integrations/bank/in-process-bank.ts';
import { InProcessCreditBureau } from '../../src/integrations/credit-bureau/in-process-credit-bureau.ts';
import { refundLoanOverpayment } from '../../src/services/loans/refund-loan-overpayment.ts';

const h = useBrowserHarness({ name: 'console-loan-refund', businessDate: '2024-09-02' });

let borrower: LoanBorrower;
let overpaid: Overpaid;
const debitBank = new InProcessBank({ serialPrefix: 'BRLR', timeoutMs: 50 });
const maskedCard = () => `${borrower.card.slice(0, 4)} **** **** ${borrower.card.slice(-4)}`;

async function loanPage(username: string): Promise<Page> {
  const page = await h().newPage();
  await h().loginStaffInto(page, username);
  await page.goto(h().url(`/console/loans/${borrower.loanId}`));
  await page.getByTestId('loan-repayments').waitFor();
  return page;
}

describeBrowser('refunding a loan over-payment in the staff console', () => {
  beforeAll(async () => {
    const { db } = h().t;
    borrower = (
      await borrowersWithLoans(db, {
        bank: debitBank,
        bureau: new InProcessCreditBureau({ timeoutMs: 20 }),
        names: ['赵多付'],
        seed: 760,
      })
    )[0]!;
    overpaid = (await overpayInstallmentsDue(db, debitBank, '2025-06-12'))[0]!;
  }, 180_000);

  it('shows a teller what is held, without the refund button', async () => {
    const page = await loanPage('teller1');
    const card = page.getByTestId('loan-repayments');
    const row = card.locator('tr.ant-table-row').filter({ hasText: '银行代扣' });
    await row.getByText('多收待退').waitFor();
    await row
      .getByText(formatYuan(fenToYuanString(overpaid.unappliedFen)))
      .first()
      .waitFor();
    expect(await card.getByRole('button', { name: /退还多收款/ }).count()).toBe(0);
    expect((await h().checkChineseRenders(page)).ok).toBe(true);
    await h().screenshot(page, 'teller-held');
    await page.close();
  }, 120_000);

  it('lets finance refund it after confirming the amount and the card, and shows the result', async () => {
    const amount = formatYuan(fenToYuanString(overpaid.unappliedFen));
    const page = await loanPage('finance1');
    const card = page.getByTestId('loan-repayments');
    await card.getByRole('button', { name: /退还多收款/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('refund-amount').getByText(amount).waitFor();
    await dialog.getByText(`中国建设银行包头分行 ${maskedCard()}`).waitFor();
    await h().screenshot(page, 'refund-confirm');
    await dialog.getByRole('button', { name: /确认退款/ }).click();
    const outcome = page.getByTestId('refund-outcome');
    await outcome.getByText(`已退还多收款 ${amount}`).waitFor();
    await outcome.getByText(/PO\d{14}/).waitFor();
    await dialog.waitFor({ state: 'hidden' });
    // Nothing is held any more: the button is gone and the refund is listed.
    await card.getByRole('button', { name: /退还多收款/ }).waitFor({ state: 'detached' });
    await page.getByTestId('loan-refunds').getByText(amount).waitFor();
    const payout = async () =>
      (
        await h()
          .t.db.selectFrom('payouts')
          .select(['status', 'purpose'])
          .where('purpose', '=', 'loan_refund')
          .executeTakeFirstOrThrow()
      ).status;
    await expect.poll(payout, { timeout: 15_000 }).toBe('confirmed');
    await page.reload();
    const row = page
      .getByTestId('loan-repayments')
      .locator('tr.ant-table-row')
      .filter({ hasText: '银行代扣' });
    await row.getByText('已退还').waitFor();
    await page.getByTestId('loan-refunds').getByText('已付款').waitFor();
    await h().screenshot(page, 'refund-done');
    await page.close();
  }, 120_000);

  it('shows a refusal with its Chinese message when the money was refunded meanwhile', async () => {
    const { db } = h().t;
    const next = (await overpayInstallmentsDue(db, debitBank, '2025-07-12'))[0]!;
    const page = await loanPage('finance1');
    const card = page.getByTestId('loan-repayments');
    await card.getByRole('button', { name: /退还多收款/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog
      .getByTestId('refund-amount')
      .getByText(formatYuan(fenToYuanString(next.unappliedFen)))
      .waitFor();
    // Someone else refunds it first (another desk).
    await refundLoanOverpayment({
      db,
      actor: staff('finance2', ['finance']),
      loanId: borrower.loanId,
      idempotencyKey: 'browser-refund-elsewhere',
    });
    h().allowErrors(/422|Unprocessable/);
    await dialog.getByRole('button', { name: /确认退款/ }).click();
    await dialog.getByRole('alert').getByText('没有可退还的多收款项（未多收，或已退还、正在退还）').waitFor();
    // The screen shows what is held now: nothing, so there is nothing to confirm.
    await dialog.getByTestId('refund-amount').getByText('¥0.00').waitFor();
    expect(await dialog.getByRole('button', { name: /确认退款/ }).isDisabled()).toBe(true);
    await h().screenshot(page, 'refund-refused');
    await dialog.getByRole('button', { name: /取\s*消/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = card.locator('tr.ant-table-row').filter({ hasText: '银行代扣' }).nth(1);
    await row.getByText('退款中').waitFor();
    expect(await card.getByRole('button', { name: /退还多收款/ }).count()).toBe(0);
    await page.close();
  }, 120_000);
});
