// The whole journey through the real screens (test/browser/harness.ts), one depositor from start to loan:
//   1. a teller registers the depositor with the console's registration wizard;
//   2. the depositor logs in to the portal (ID + password + one-time code), signs the agreement and pays
//      through the simulated bank page;
//   3. a manager closes the business day on the console's close screen and watches its progress;
//   4. the portal shows the balance and the covered month;
//   5. the depositor asks for a rent withdrawal in the portal and a reviewer approves it in the console's
//      withdrawal queue;
//   6. a loan is applied for at the counter, reviewed, approved, contracted, mortgaged and disbursed by
//      different staff, and its repayment schedule shows as a table.
// Every step saves a screenshot (test-artifacts/browser/journey-*.png); any console error fails the test.
//
// Two things are done through the services rather than the screens, each commented where it happens:
// the portal password of a counter-registered depositor (the console wizard has no password field), and
// the earlier months of deposit history that rent withdrawals and loans require (rules.md §5.1, §6.1).
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { personId } from '../support/people.ts';
import { teller as tellerActor } from '../support/services.ts';
import { advanceBusinessDate, getBusinessDate } from '../../src/services/calendar/business-date.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { button, chooseOption, describeBrowser, useBrowserHarness } from './harness.ts';

const h = useBrowserHarness({ name: 'journey', businessDate: '2024-09-02' });
const PHONE = { width: 390, height: 844 };

const NAME = '周旅程';
const ID_NUMBER = personId('1990-04-12', 'male', 83);
const PORTAL_PASSWORD = 'journey-pass-2024';

/** Picks an option of an antd Select found by its form label. */
const choose = chooseOption;

async function staffPage(username: string, path: string): Promise<Page> {
  const page = await h().newPage();
  await h().loginStaffInto(page, username);
  await page.goto(h().url(path));
  return page;
}

async function chineseRenders(page: Page) {
  const cjk = await h().checkChineseRenders(page);
  expect(cjk, JSON.stringify(cjk)).toMatchObject({ ok: true });
}

/** The one account of this (fresh) database. */
async function theAccount() {
  const rows = await h().t.db.selectFrom('accounts').select('id').execute();
  expect(rows).toHaveLength(1);
  return String(rows[0]!.id);
}

let portal: Page;

describeBrowser('the journey: register → pay → close → withdraw → loan', () => {
  it('1. a teller registers the depositor with the console wizard', async () => {
    const page = await h().newPage();
    await page.goto(h().url('/console'));
    await page.waitForURL('**/console/login');
    await page.getByLabel('用户名').fill('teller1');
    await page.getByLabel('密码').fill(h().password);
    await page.getByRole('button', { name: button('登录') }).click();
    await page.waitForURL('**/console/dashboard');
    await page.getByRole('navigation', { name: '主菜单' }).getByText('开户登记').click();
    await page.getByRole('heading', { name: '开户登记' }).waitFor();
    await page.getByLabel('证件号码').fill(ID_NUMBER);
    await page.getByLabel('姓名').fill(NAME);
    await page.getByLabel('手机号码').fill('13904720083');
    // The depositor types their first portal password at the counter.
    await page.getByLabel('网上服务初始密码（选填）').fill(PORTAL_PASSWORD);
    await choose(page, '所属区县', '昆都仑区');
    await choose(page, '就业形式', '新业态');
    await page.getByLabel('本人声明具有完全民事行为能力').check();
    await page.getByLabel('本人声明未在其他单位建立住房公积金账户').check();
    await chineseRenders(page);
    await h().screenshot(page, '01-console-register');
    await page.getByRole('button', { name: '检查开户资格' }).click();
    await page.getByText('符合开户条件').waitFor();
    await page.getByRole('button', { name: '确认登记' }).click();
    await page.getByText(NAME, { exact: true }).first().waitFor();
    // The agreement step comes next; the depositor signs it in the portal instead.
    await page.getByRole('button', { name: '生成协议文本' }).waitFor();
    await h().screenshot(page, '02-console-registered');
    await page.close();
  }, 120_000);

  it('2. the depositor logs in with the one-time code, signs the agreement and pays at the bank', async () => {
    portal = await h().newPage(PHONE);
    await portal.goto(h().url('/portal/login'));
    await portal.getByLabel('证件号码').fill(ID_NUMBER);
    await portal.getByLabel('密码').fill(PORTAL_PASSWORD);
    await portal.getByRole('button', { name: '下一步：获取验证码' }).click();
    const code = (await portal.getByTestId('simulated-code').textContent()) ?? '';
    expect(code).toMatch(/^\d{6}$/);
    await portal.getByLabel('短信验证码').fill(code);
    await h().screenshot(portal, '03-portal-login-code');
    await portal.getByRole('button', { name: '登录', exact: true }).click();
    await portal.getByText(`${NAME}，您好`).waitFor();
    await chineseRenders(portal);
    await h().screenshot(portal, '04-portal-home-new');

    await portal.getByRole('link', { name: '去签约' }).click();
    await portal.getByText('灵活缴存', { exact: true }).click();
    await portal.getByLabel('开户银行').fill('中国建设银行包头分行');
    await portal.getByLabel('银行卡号（扣款与提取）').fill('6217 0000 8300 0083');
    await portal.getByRole('button', { name: '生成协议并阅读' }).click();
    await portal.getByTestId('agreement-text').getByText('灵活就业人员住房公积金缴存使用协议').waitFor();
    await portal.getByLabel('我已阅读并同意上述协议').check();
    await portal.getByLabel('签名（输入本人姓名）').fill(NAME);
    await h().screenshot(portal, '05-portal-agreement');
    await portal.getByRole('button', { name: '签署协议并开户' }).click();
    await portal.getByText('协议已签署，账户已开立').waitFor();
    await h().screenshot(portal, '06-portal-signed');

    await portal.getByRole('button', { name: '去缴存' }).click();
    await portal.getByLabel('缴存金额（元）').fill('600.00');
    await portal.getByRole('button', { name: '生成支付订单' }).click();
    await portal.getByTestId('order-status').getByText('待支付').waitFor();
    const [bank] = await Promise.all([
      h().context.waitForEvent('page'),
      portal.getByRole('link', { name: '前往银行支付' }).click(),
    ]);
    await bank.getByText('¥600.00').waitFor();
    await h().screenshot(bank, '07-bank-page');
    await bank.getByRole('button', { name: '支付 Pay' }).click();
    await bank.getByText('已入账 Credited.').waitFor();
    await h().screenshot(bank, '08-bank-paid');
    await bank.close();
    await portal.bringToFront();
    await portal.getByText('已入账 ¥600.00').waitFor({ timeout: 15_000 });
    await h().screenshot(portal, '09-portal-paid');
  }, 120_000);

  it('3. a manager closes the business day and watches the steps', async () => {
    const page = await staffPage('manager1', '/console/close');
    await page.getByTestId('close-business-date').getByText('2024-09-02').waitFor();
    await h().screenshot(page, '10-close-before');
    await page.getByRole('button', { name: '开始日终' }).click();
    await page.getByRole('button', { name: button('开始') }).click();
    if (await page.getByText('正在执行').isVisible()) await h().screenshot(page, '11-close-running');
    await page.getByTestId('close-status').getByText('已完成').waitFor({ timeout: 90_000 });
    await page.getByText('已结账：2024-09-02').waitFor();
    await page.getByTestId('close-business-date').getByText('2024-09-03').waitFor();
    expect(await page.locator('tr.ant-table-row').filter({ hasText: '等待' }).count()).toBe(0);
    await h().screenshot(page, '12-close-done');
    await page.close();
  }, 150_000);

  it('4. the portal shows the balance and the covered month', async () => {
    await portal.goto(h().url('/portal'));
    await portal.getByTestId('balance').getByText('¥600.00').waitFor();
    await h().screenshot(portal, '13-portal-balance');
    await portal.getByRole('link', { name: '明细与利息' }).click();
    const calendar = portal.getByTestId('month-calendar');
    await calendar.getByRole('listitem', { name: '2024-09 已缴 ¥600.00' }).waitFor();
    await portal.getByText('+¥600.00').waitFor();
    await h().screenshot(portal, '14-portal-covered-month');
  }, 60_000);

  it('5. a rent withdrawal asked for in the portal is approved by a reviewer in the console', async () => {
    // SET-UP THROUGH THE SERVICES: rent withdrawals need 6 consecutive covered months (rules.md §5.1) and
    // loans too (§6.1). The business date moves a month at a time and the counter takes a deposit each
    // month (as test/services/withdrawals.test.ts does), October 2024 to April 2025: with September's
    // payment above, eight consecutive covered months. Then the date moves to 2025-05-06.
    const { db } = h().t;
    const accountId = await theAccount();
    const months = [
      '2024-10-08',
      '2024-11-04',
      '2024-12-02',
      '2025-01-02',
      '2025-02-05',
      '2025-03-03',
      '2025-04-02',
    ];
    for (const date of months) {
      await advanceBusinessDate(db, date, { type: 'system', id: 'browser-test' });
      await recordCounterDeposit({
        db,
        actor: tellerActor,
        accountId,
        amount: '6500.00',
        idempotencyKey: `journey-history-${date}`,
      });
    }
    await advanceBusinessDate(db, '2025-05-06', { type: 'system', id: 'browser-test' });
    expect(await getBusinessDate(db)).toBe('2025-05-06');

    // The depositor, a public-rental tenant, asks for more than the general yearly cap (14,000.00): the
    // contract rent allows it, and a person checks it (the withdrawal waits for review).
    await portal.goto(h().url('/portal'));
    await portal.getByRole('link', { name: '提取' }).click();
    await portal.getByRole('tab', { name: '租房' }).click();
    await portal.getByLabel('提取金额（已付房租，元）').fill('15000.00');
    await portal.getByLabel('出租人').fill('包头市公租房管理中心');
    await portal.getByLabel('租赁房屋地址').fill('包头市昆都仑区阿尔丁大街 12 号 3-402');
    const range = portal.getByLabel('租期');
    await range.click();
    await range.fill('2025-01-01');
    await range.press('Enter');
    const end = portal.locator('.ant-picker-range input').nth(1);
    await end.fill('2025-12-31');
    await end.press('Enter');
    await portal.getByLabel('月租金（元）').fill('2000.00');
    await portal.getByLabel('租赁合同编号').fill('GZF-2025-0083');
    await portal.getByLabel('公租房（按实际租金提取）').check();
    await portal.getByLabel('本人及配偶在本市无自有住房').check();
    await h().screenshot(portal, '15-portal-rent-form');
    await portal.getByRole('button', { name: '提交租房提取' }).click();
    await portal.getByText('已提交，等待中心复核').waitFor();
    await h().screenshot(portal, '16-portal-rent-waiting');

    const reviewer = await staffPage('reviewer1', '/console/withdrawals');
    await reviewer.getByRole('cell', { name: NAME }).waitFor();
    await reviewer.getByText('¥15,000.00').waitFor();
    await reviewer.getByText('公租房').first().waitFor();
    await chineseRenders(reviewer);
    await h().screenshot(reviewer, '17-console-withdrawal-queue');
    await reviewer.getByRole('button', { name: button('批准') }).click();
    const dialog = reviewer.getByRole('dialog');
    await dialog.getByLabel('意见').fill('公租房合同核实无误');
    await dialog.getByRole('button', { name: button('批准') }).click();
    await reviewer.getByText('没有待复核的提取').waitFor();
    await h().screenshot(reviewer, '18-console-withdrawal-approved');
    await reviewer.close();

    const row = await db
      .selectFrom('withdrawals')
      .select(['status', 'kind'])
      .where('account_id', '=', BigInt(accountId))
      .executeTakeFirstOrThrow();
    expect(row.kind).toBe('rent');
    expect(['posted', 'paid']).toContain(row.status);
  }, 180_000);

  it('6. a loan goes from application to disbursement, and its schedule shows', async () => {
    // The teller takes the application at the counter: quota check first, then the application.
    const teller = await staffPage('teller1', '/console/loans');
    await teller.getByRole('button', { name: '新贷款申请' }).click();
    const form = teller.getByRole('dialog');
    await form.getByLabel('借款人', { exact: true }).fill(NAME);
    await teller
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: NAME })
      .click();
    await form.getByTestId('picked-account').waitFor();
    await form.getByLabel('房屋地址').fill('包头市昆都仑区钢铁大街 83 号');
    await form.getByLabel('面积（㎡）').fill('88.00');
    await form.getByLabel('房价（元）').fill('700000.00');
    await form.getByLabel('家庭月收入（元）').fill('18000.00');
    await form.getByLabel('月负债（元）').fill('800.00');
    await form.getByLabel('收入证明').fill('个税记录');
    await form.getByLabel('售房人', { exact: true }).fill('钱售房');
    await form.getByLabel('售房人开户行').fill('中国工商银行包头分行');
    await form.getByLabel('售房人账号').fill('6222020000008300083');
    await form.getByLabel('申请金额（元）').fill('200000.00');
    await form.getByRole('button', { name: '额度测算' }).click();
    await form.getByText('可贷额度').waitFor();
    await h().screenshot(teller, '19-loan-application');
    await form.getByRole('button', { name: '提交申请' }).click();
    await teller.waitForURL(/\/console\/loans\/\d+$/);
    const loanId = teller.url().split('/').pop() ?? '';
    await teller.getByTestId('loan-status').getByText('已申请').waitFor();
    await teller.getByTestId('schedule-table').locator('tr.ant-table-row').first().waitFor();
    await h().screenshot(teller, '20-loan-applied');
    await teller.getByRole('button', { name: button('初审') }).click();
    await teller.getByTestId('loan-status').getByText('已初审').waitFor();
    await h().screenshot(teller, '21-loan-reviewed');

    // A different user approves.
    const reviewer = await staffPage('reviewer1', `/console/loans/${loanId}`);
    await reviewer.getByRole('button', { name: button('审批') }).click();
    await reviewer.getByTestId('loan-status').getByText('已审批').waitFor();
    await h().screenshot(reviewer, '22-loan-approved');

    await teller.reload();
    await teller.getByRole('button', { name: '签订合同' }).click();
    await teller.getByTestId('loan-status').getByText('已签合同').waitFor();
    await h().screenshot(teller, '23-loan-contracted');
    await teller.getByRole('button', { name: '抵押登记' }).click();
    await teller.getByLabel('不动产登记证明号').fill('蒙(2025)包头市不动产证明第0008383号');
    await teller
      .getByRole('dialog')
      .getByRole('button', { name: button('登记') })
      .click();
    await teller.getByTestId('loan-status').getByText('已抵押').waitFor();
    await h().screenshot(teller, '24-loan-mortgaged');

    const finance = await staffPage('finance1', `/console/loans/${loanId}`);
    await finance.getByRole('button', { name: button('放款') }).click();
    await finance.getByTestId('loan-status').getByText('已放款').waitFor();
    await finance.getByText('还款计划', { exact: true }).waitFor();
    const schedule = finance.getByTestId('schedule-table');
    await schedule.getByText('2025-06').first().waitFor();
    expect(await schedule.locator('tr.ant-table-row').count()).toBeGreaterThan(0);
    await chineseRenders(finance);
    await h().screenshot(finance, '25-loan-disbursed-schedule');
    for (const p of [teller, reviewer, finance]) await p.close();

    // The depositor sees the loan disbursed in the portal, with its repayment schedule.
    await portal.goto(h().url('/portal'));
    await portal.getByRole('link', { name: '贷款' }).click();
    await portal.getByText('¥200,000.00', { exact: false }).first().waitFor();
    await portal.locator('.ant-tag').filter({ hasText: '已放款' }).first().waitFor();
    await portal.getByText('还款计划', { exact: true }).click();
    const portalSchedule = portal.getByTestId('portal-loan-schedule');
    await portalSchedule.getByText('2025-06').first().waitFor();
    await expect.poll(() => portalSchedule.locator('tr.ant-table-row').count()).toBe(12);
    await h().screenshot(portal, '26-portal-loan');
  }, 180_000);
});
