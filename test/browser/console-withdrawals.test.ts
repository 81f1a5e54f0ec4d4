// Using the money in the staff console, in a real browser (test/browser/harness.ts): a teller's counter
// rent withdrawal for a public-rental tenant waits for a reviewer, who approves it (maker-checker); a
// closure shows the subsidy preview first and gives its certificate PDF; the tax certificate's year comes
// from the center's business date (not the browser's clock); a housing-security referral is recorded and
// the referral list downloads as CSV and Excel; finance finds a paid payout and records the bank's return
// (退票), and the money is back on the account; a standing monthly rent order is set up, listed, paid by
// the close and stopped. Every screen is saved as a screenshot.
import { readFileSync } from 'node:fs';
import type { Download, Locator, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { button, describeBrowser, useBrowserHarness } from './harness.ts';
import { bearer } from '../api/test-app.ts';
import { openedDepositor, teller as tellerActor } from '../support/services.ts';
import { personId } from '../support/people.ts';
import { formatYuan } from '../../web/src/lib/money.ts';
import { advanceBusinessDate } from '../../src/services/calendar/business-date.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { payRentOrders } from '../../src/services/withdrawals/pay-rent-orders.ts';

const h = useBrowserHarness({ name: 'console-withdrawals', businessDate: '2024-04-01' });
const system = { type: 'system' as const, id: 'browser-test' };

interface Person {
  depositorId: string;
  accountId: string;
  accountNumber: string;
}

let renter: Person;
let closer: Person;
let saver: Person;
let returner: Person;

async function staffPage(username: string, path: string, page?: Page): Promise<Page> {
  const tab = page ?? (await h().newPage());
  await h().loginStaffInto(tab, username);
  await tab.goto(h().url(path));
  return tab;
}

async function api(username: string, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) {
  const token = await h().t.loginStaff(username, h().password);
  return h().t.inject({
    method,
    url: `/api/v1${url}`,
    headers: bearer(token),
    ...(payload ? { payload } : {}),
  });
}

async function balanceOf(person: Person): Promise<string> {
  const res = await api('manager1', 'GET', `/depositors/${person.depositorId}`);
  return res.json<{ accounts: Array<{ balance: string }> }>().accounts[0]!.balance;
}

/** Clicks what starts a download and returns the file's name and bytes. */
async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await (file as Download).path();
  return { name: (file as Download).suggestedFilename(), bytes: readFileSync(path) };
}

/** Fills an antd range picker: the start through its label, then the end input of the same picker. */
async function fillRange(scope: Locator, label: string, from: string, to: string) {
  const start = scope.getByLabel(label, { exact: true });
  await start.click();
  await start.fill(from);
  await start.press('Enter');
  const end = scope.locator('.ant-picker-range input').nth(1);
  await end.fill(to);
  await end.press('Enter');
}

describeBrowser('using the money in the staff console', () => {
  beforeAll(async () => {
    // Four depositors with thirteen months of deposits (April 2024 to April 2025), then 2025-05-06: more
    // than a year since the first deposit (the closure subsidy) and covered months for rent withdrawals.
    const { db } = h().t;
    const opened = async (n: number, name: string): Promise<Person> => {
      const { person, account } = await openedDepositor(
        db,
        { idNumber: personId('1987-08-08', n % 2 ? 'male' : 'female', 820 + n), name },
        'flexible',
      );
      return {
        depositorId: person.depositorId,
        accountId: account.accountId,
        accountNumber: account.accountNumber,
      };
    };
    renter = await opened(1, '孙租房');
    closer = await opened(2, '周销户');
    saver = await opened(3, '吴按月');
    returner = await opened(4, '郑退票');
    let key = 0;
    const payAll = async () => {
      for (const [person, amount] of [
        [renter, '6500.00'],
        [closer, '1000.00'],
        [saver, '3000.00'],
        [returner, '3000.00'],
      ] as const) {
        await recordCounterDeposit({
          db,
          actor: tellerActor,
          accountId: person.accountId,
          amount,
          idempotencyKey: `console-wd-seed-${++key}`,
        });
      }
    };
    await payAll();
    for (let month = 5; month <= 16; month++) {
      const year = month > 12 ? 2025 : 2024;
      const date = `${year}-${String(((month - 1) % 12) + 1).padStart(2, '0')}-02`;
      await advanceBusinessDate(db, date, system);
      await payAll();
    }
    await advanceBusinessDate(db, '2025-05-06', system);
  }, 180_000);

  it('sends a teller’s counter rent withdrawal to a reviewer, who approves it', async () => {
    const before = await balanceOf(renter);
    const teller = await staffPage('teller1', `/console/depositors/${renter.depositorId}`);
    await teller.getByRole('tab', { name: '租房提取' }).click();
    const panel = teller.getByRole('tabpanel', { name: '租房提取' });
    // The form checks before sending: nothing filled in.
    await panel.getByRole('button', { name: button('提交租房提取') }).click();
    await panel.getByText('请输入金额').first().waitFor();
    await panel.getByText('须确认本人及配偶在本市无自有住房').waitFor();
    // A public-rental tenant above the general yearly cap (14,000.00): allowed by the contract rent, but a
    // second person checks it.
    await panel.getByLabel('提取金额', { exact: true }).fill('15000.00');
    await panel.getByLabel('出租人', { exact: true }).fill('包头市公租房管理中心');
    await panel.getByLabel('租赁地址', { exact: true }).fill('包头市青山区幸福路 6 号 2-301');
    await panel.getByLabel('合同编号', { exact: true }).fill('GZF-2025-0601');
    await fillRange(panel, '租期', '2025-01-01', '2025-12-31');
    await panel.getByLabel('月租金', { exact: true }).fill('2000.00');
    await panel.getByLabel('公租房承租人').check();
    await panel.getByLabel('缴存人声明本人及配偶在本市无自有住房').check();
    await h().screenshot(teller, 'rent-counter-form');
    await panel.getByRole('button', { name: button('提交租房提取') }).click();
    const outcome = teller.getByTestId('withdrawal-outcome');
    await outcome.getByText('已提交，等待复核').waitFor();
    await outcome.getByText('WITHDRAWAL_OVER_ANNUAL_CAP').waitFor();
    await h().screenshot(teller, 'rent-counter-waiting');
    expect(await balanceOf(renter)).toBe(before);

    // The teller cannot approve their own work; the reviewer can.
    const queue = await staffPage('reviewer1', '/console/withdrawals');
    await queue.getByRole('cell', { name: '孙租房' }).waitFor();
    await queue.getByText('¥15,000.00').waitFor();
    await queue.getByText('staff:teller1').first().waitFor();
    await h().screenshot(queue, 'rent-review-queue');
    await queue.getByRole('button', { name: button('批准') }).click();
    const dialog = queue.getByRole('dialog');
    await dialog.getByLabel('意见').fill('公租房合同核实无误');
    await dialog.getByRole('button', { name: button('批准') }).click();
    await queue.getByText('没有待复核的提取').waitFor();
    await h().screenshot(queue, 'rent-review-approved');
    expect(await balanceOf(renter)).toBe((Number(before) - 15000).toFixed(2));
    const row = await h()
      .t.db.selectFrom('withdrawals')
      .select(['status', 'maker', 'checker', 'public_rental'])
      .where('account_id', '=', BigInt(renter.accountId))
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ maker: 'staff:teller1', checker: 'staff:reviewer1', public_rental: true });
    expect(['posted', 'paid']).toContain(row.status);
    await teller.close();
    await queue.close();
  }, 120_000);

  it('closes an account after the subsidy preview and downloads the closure certificate', async () => {
    const preview = (await api('teller1', 'GET', `/accounts/${closer.accountId}/subsidy-preview`)).json<{
      eligible: boolean;
      subsidy: string;
    }>();
    expect(preview.eligible).toBe(true);
    const page = await staffPage('teller1', `/console/depositors/${closer.depositorId}`);
    await page.getByRole('tab', { name: '销户' }).click();
    await page.getByRole('button', { name: '预览缴存补贴' }).click();
    const panel = page.getByRole('tabpanel', { name: '销户' });
    await panel.getByText('年补贴率').waitFor();
    await panel.getByText(formatYuan(preview.subsidy), { exact: true }).first().waitFor();
    await panel.getByText('2024-04-01', { exact: true }).waitFor(); // the first deposit
    await h().screenshot(page, 'closure-preview');
    await page.getByRole('button', { name: '确认销户' }).click();
    await page
      .locator('.ant-popconfirm-buttons')
      .getByRole('button', { name: button('销户') })
      .click();
    const outcome = page.getByTestId('closure-outcome');
    await outcome.getByText('账户已销户').waitFor();
    await outcome.getByText(formatYuan(preview.subsidy), { exact: true }).first().waitFor();
    await h().screenshot(page, 'closure-done');
    const pdf = await downloaded(page, () => outcome.getByRole('button', { name: /销户证明 PDF/ }).click());
    expect(pdf.name).toBe(`closure-${closer.accountNumber}.pdf`);
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  }, 120_000);

  it('defaults the tax certificate to the year before the business date, whatever the browser’s clock', async () => {
    const page = await h().newPage();
    // The browser thinks it is 2031; the center's business date is 2025-05-06, so the default is 2024.
    await page.clock.setFixedTime(new Date('2031-07-01T10:00:00+08:00'));
    await staffPage('teller1', `/console/depositors/${saver.depositorId}`, page);
    const card = page.locator('.ant-card').filter({ hasText: '个税扣除缴存证明' });
    const year = card.getByLabel('年度');
    await expect.poll(() => year.inputValue(), { timeout: 15_000 }).toBe('2024');
    await card.getByRole('button', { name: '出具证明' }).click();
    // Nine deposits of 3,000.00 in 2024, all deductible (under the cap).
    await expect.poll(() => card.getByText('¥27,000.00', { exact: true }).count()).toBe(2);
    await card.getByText('验证码').waitFor();
    await h().screenshot(page, 'tax-certificate');
    const pdf = await downloaded(page, () => card.getByRole('button', { name: button('下载') }).click());
    expect(pdf.name).toBe('tax-certificate-2024.pdf');
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  }, 120_000);

  it('records a housing-security referral and downloads the referral list as CSV and Excel', async () => {
    const teller = await staffPage('teller1', `/console/depositors/${saver.depositorId}`);
    await teller.getByRole('tab', { name: '住房保障推荐' }).click();
    const panel = teller.getByRole('tabpanel', { name: '住房保障推荐' });
    await panel.getByRole('button', { name: button('提交推荐申请') }).click();
    await panel.getByText('请至少选择一项').waitFor();
    await panel.getByLabel('公租房', { exact: true }).check();
    await panel.getByLabel('保障性租赁住房').check();
    await panel.getByLabel('家庭人口').fill('3');
    await panel.getByLabel('缴存人声明本人及配偶在本市无自有住房').check();
    await panel.getByRole('button', { name: button('提交推荐申请') }).click();
    await teller.getByTestId('referral-outcome').getByText('已登记住房保障推荐').waitFor();
    await h().screenshot(teller, 'referral-request');
    // Not a screen for tellers.
    const tellerMenu = teller.getByRole('navigation', { name: '主菜单' });
    await tellerMenu.getByText('缴存人查询').waitFor();
    expect(await tellerMenu.getByText('住房保障推荐').count()).toBe(0);
    await teller.close();

    const page = await staffPage('manager1', '/console/dashboard');
    await page.getByRole('navigation', { name: '主菜单' }).getByText('住房保障推荐').click();
    await page.getByRole('heading', { name: '住房保障推荐' }).waitFor();
    const row = page.locator('tr.ant-table-row').filter({ hasText: '吴按月' });
    await row.getByText('保障性租赁住房').waitFor();
    expect(await row.getByRole('cell', { name: saver.accountNumber }).count()).toBe(1);
    expect((await h().checkChineseRenders(page)).ok).toBe(true);
    await h().screenshot(page, 'referral-list');
    const excel = await downloaded(page, () => page.getByRole('button', { name: /下载 Excel/ }).click());
    expect(excel.name).toBe('housing-referrals-2025-05-06.xlsx');
    expect(excel.bytes.subarray(0, 2).toString()).toBe('PK');
    const csv = await downloaded(page, () => page.getByRole('button', { name: /下载 CSV/ }).click());
    expect(csv.name).toBe('housing-referrals-2025-05-06.csv');
    const lines = csv.bytes
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('姓名');
    expect(lines.some((l) => l.includes('吴按月') && l.includes('公租房、保障性租赁住房'))).toBe(true);
    await page.close();
  }, 120_000);

  it('lets finance record a returned payment and puts the money back on the account', async () => {
    const before = await balanceOf(returner);
    const made = await api('teller1', 'POST', `/accounts/${returner.accountId}/withdrawals/free`, {
      amount: '2000.00',
      idempotencyKey: 'console-wd-return-0001',
    });
    expect(made.statusCode).toBe(201);
    const payoutId = made.json<{ payoutId: string }>().payoutId;
    const status = async () =>
      (
        await h()
          .t.db.selectFrom('payouts')
          .select('status')
          .where('id', '=', BigInt(payoutId))
          .executeTakeFirstOrThrow()
      ).status;
    await expect.poll(status, { timeout: 15_000 }).toBe('confirmed');
    expect(await balanceOf(returner)).toBe((Number(before) - 2000).toFixed(2));

    const page = await staffPage('finance1', '/console/dashboard');
    await page.getByRole('navigation', { name: '主菜单' }).getByText('付款与退票').click();
    await page.getByRole('heading', { name: '付款与退票' }).waitFor();
    await page.getByLabel('账号', { exact: true }).fill(returner.accountNumber);
    await page.getByRole('button', { name: button('查询') }).click();
    const row = page.locator('tr.ant-table-row').filter({ hasText: '郑退票' });
    // The unfiltered list shows this payout too: wait for the query's answer, one row.
    await expect.poll(() => page.locator('tr.ant-table-row').count(), { timeout: 15_000 }).toBe(1);
    await row.getByText('已付款').waitFor();
    await row.getByText('¥2,000.00').waitFor();
    await h().screenshot(page, 'payouts');

    await row.getByRole('button', { name: /登记退票/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('¥2,000.00').waitFor();
    // The form checks before sending.
    await dialog.getByRole('button', { name: /登记退票/ }).click();
    await dialog.getByText('请输入银行流水号').waitFor();
    await dialog.getByText('请输入退票原因').waitFor();
    await dialog.getByLabel('银行退票流水号').fill('TP202505060001');
    await dialog.getByLabel('退票原因').fill('收款卡已销户');
    await h().screenshot(page, 'payout-return-form');
    await dialog.getByRole('button', { name: /登记退票/ }).click();
    await page.getByText('已登记退票').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await row.getByText('已退票').waitFor();
    await row.getByText(/TP202505060001/).waitFor();
    expect(await row.getByRole('button', { name: /登记退票/ }).count()).toBe(0);
    await h().screenshot(page, 'payout-returned');
    expect(await status()).toBe('returned');

    // The money is on the account again: the depositor page shows the balance before the withdrawal.
    await row.getByRole('link', { name: '郑退票' }).click();
    await page.waitForURL(`**/console/depositors/${returner.depositorId}`);
    await page.getByText(formatYuan(before), { exact: true }).first().waitFor();
    expect(await balanceOf(returner)).toBe(before);
    await h().screenshot(page, 'payout-returned-balance');
    await page.close();
  }, 120_000);

  it('sets up a standing monthly rent order, lists it, shows the month the close paid and stops it', async () => {
    const page = await staffPage('teller1', `/console/depositors/${saver.depositorId}`);
    const card = page.getByTestId('rent-orders');
    await card.getByText('没有按月租房提取').waitFor();
    await card.getByRole('button', { name: /设立按月提取/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('每月提取金额').fill('1200.00');
    await dialog.getByLabel('出租人', { exact: true }).fill('刘房东');
    await dialog.getByLabel('租赁地址', { exact: true }).fill('包头市昆都仑区友谊大街 20 号 5-502');
    await dialog.getByLabel('合同编号', { exact: true }).fill('ZL-2025-0520');
    await fillRange(dialog, '租期', '2025-01-01', '2025-12-31');
    await dialog.getByLabel('月租金', { exact: true }).fill('1000.00');
    await dialog.getByLabel('缴存人声明本人及配偶在本市无自有住房').check();
    // Checked before sending: more each month than the rent.
    await dialog.getByRole('button', { name: button('设立') }).click();
    await dialog.getByText('不得超过月租金').waitFor();
    await dialog.getByLabel('每月提取金额').fill('1000.00');
    await dialog.getByText('不得超过月租金').waitFor({ state: 'hidden' });
    await h().screenshot(page, 'rent-order-form');
    await dialog.getByRole('button', { name: button('设立') }).click();
    await page.getByText('已设立，首次支付日 2025-05-10').waitFor();
    const row = card.locator('tr.ant-table-row').first();
    await row.getByText('生效中').waitFor();
    await row.getByText('¥1,000.00').waitFor();
    await row.getByText('每月 10 日').waitFor();
    await row.getByRole('cell', { name: '2025-05-10' }).waitFor();
    expect(await card.getByRole('button', { name: /设立按月提取/ }).count()).toBe(0);
    await h().screenshot(page, 'rent-order-listed');

    // The business-day close of 2025-05-10 pays the month (its rent-orders step, run here directly).
    const { db } = h().t;
    await advanceBusinessDate(db, '2025-05-10', system);
    expect(await payRentOrders({ db, date: '2025-05-10', actor: system })).toMatchObject({ paid: 1 });
    await page.reload();
    await row.getByText('2025-05-10 · ¥1,000.00').waitFor();
    await row.getByRole('cell', { name: '2025-06-10' }).waitFor();
    await row.getByText('1 个月').waitFor();
    await h().screenshot(page, 'rent-order-paid');

    await row.getByRole('button', { name: button('停止') }).click();
    const stop = page.getByRole('dialog');
    // The dialog is open with its form before OK is pressed with the reason left empty.
    await stop.getByLabel('停止原因').waitFor();
    await stop.getByRole('button', { name: button('停止') }).click();
    await stop.getByText('请输入停止原因').waitFor();
    await stop.getByLabel('停止原因').fill('缴存人已退租');
    await stop.getByRole('button', { name: button('停止') }).click();
    await row.getByText('已停止 2025-05-10').waitFor();
    await card.getByRole('button', { name: /设立按月提取/ }).waitFor();
    await h().screenshot(page, 'rent-order-stopped');
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor', 'summary'])
      .where('action', '=', 'rent_order.cancel')
      .executeTakeFirstOrThrow();
    expect(audit.actor).toBe('staff:teller1');
    expect(audit.summary).toMatchObject({ reason: '缴存人已退租', unpaidDueDate: '2025-06-10' });
    await page.close();
  }, 120_000);
});
