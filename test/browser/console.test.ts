// The staff console in a real browser (test/browser/harness.ts): a teller logs in and sees the dashboard,
// registers a depositor through the wizard and takes a counter deposit; a reviewer approves a teller's
// withdrawal (maker-checker); a loan goes review → approve → contract → mortgage → disburse with its
// schedule on screen; a manager closes the day and watches the steps; a district viewer sees only their
// district; the language switch turns the console English; a manager freezes, unfreezes and pays a free
// withdrawal from the depositor screen; a teller imports social-insurance records. Every screen is saved as
// a screenshot.
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { button, chooseOption, describeBrowser, useBrowserHarness } from './harness.ts';
import { bearer } from '../api/test-app.ts';
import type { InProcessBank } from '../../src/integrations/bank/in-process-bank.ts';
import { openedDepositor, teller as tellerActor } from '../support/services.ts';
import { personId } from '../support/people.ts';
import { advanceBusinessDate } from '../../src/services/calendar/business-date.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';

const h = useBrowserHarness({ name: 'console', businessDate: '2024-09-02' });

/** Picks an option of an antd Select found by its form label (typing `search` first when it is searchable). */
const choose = chooseOption;

let borrower: { depositorId: string; accountId: string };
let saver: { depositorId: string; accountId: string };

async function staffPage(username: string, path: string): Promise<Page> {
  const page = await h().newPage();
  await h().loginStaffInto(page, username);
  await page.goto(h().url(path));
  return page;
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

describeBrowser('the staff console', () => {
  beforeAll(async () => {
    // Two depositors with eight months of deposits: one borrows, one withdraws above the review threshold.
    const { db } = h().t;
    const opened = async (n: number) => {
      const { person, account } = await openedDepositor(
        db,
        { idNumber: personId('1988-06-15', 'male', 700 + n), name: n === 1 ? '王借款' : '李提取' },
        'flexible',
      );
      return { depositorId: person.depositorId, accountId: account.accountId };
    };
    borrower = await opened(1);
    saver = await opened(2);
    let key = 0;
    const pay = (accountId: string, amount: string) =>
      recordCounterDeposit({
        db,
        actor: tellerActor,
        accountId,
        amount,
        idempotencyKey: `console-seed-${++key}`,
      });
    const months = [
      '2024-10-02',
      '2024-11-04',
      '2024-12-02',
      '2025-01-02',
      '2025-02-03',
      '2025-03-03',
      '2025-04-02',
    ];
    await pay(borrower.accountId, '5000.00');
    await pay(saver.accountId, '6500.00');
    for (const date of months) {
      await advanceBusinessDate(db, date, { type: 'system', id: 'browser-test' });
      await pay(borrower.accountId, '5000.00');
      await pay(saver.accountId, '6500.00');
    }
    await advanceBusinessDate(db, '2025-05-06', { type: 'system', id: 'browser-test' });
  }, 120_000);

  it('logs a teller in and shows the dashboard', async () => {
    const page = await h().newPage();
    await page.goto(h().url('/console'));
    await page.waitForURL('**/console/login');
    await page.getByLabel('用户名').fill('teller1');
    await page.getByLabel('密码').fill(h().password);
    await h().screenshot(page, 'login');
    await page.getByRole('button', { name: button('登录') }).click();
    await page.waitForURL('**/console/dashboard');
    await page.getByRole('heading', { name: '业务总览' }).waitFor();
    await page.getByText('缴存人数').waitFor();
    await page.getByText('2025-05-06').first().waitFor();
    // The teller's menu: counter work, no close, no audit.
    const menu = page.getByRole('navigation', { name: '主菜单' });
    await menu.getByText('开户登记').waitFor();
    expect(await menu.getByText('日终结账').count()).toBe(0);
    expect(await menu.getByText('审计日志').count()).toBe(0);
    expect((await h().checkChineseRenders(page)).ok).toBe(true);
    await page.waitForTimeout(500); // charts finish their animation
    await h().screenshot(page, 'dashboard');
    await page.close();
  }, 120_000);

  it('registers a depositor through the wizard, opens the account and takes a counter deposit', async () => {
    const page = await staffPage('teller1', '/console/register');
    await page.getByRole('heading', { name: '开户登记' }).waitFor();
    // The form checks before sending: an ID number with a wrong check character is caught at the field.
    await page.getByLabel('证件号码').fill('150203199203040001');
    await page.getByRole('button', { name: '检查开户资格' }).click();
    await page.getByText('证件号码格式或校验位错误').waitFor();
    await page.getByLabel('证件号码').fill(personId('1992-03-04', 'female', 61));
    await page.getByLabel('姓名').fill('赵新户');
    await page.getByLabel('手机号码').fill('13912345678');
    await choose(page, '所属区县', '昆都仑区');
    await choose(page, '就业形式', '新业态');
    await page.getByLabel('职业', { exact: true }).fill('外卖骑手');
    await page.getByLabel('本人声明具有完全民事行为能力').check();
    await page.getByLabel('本人声明未在其他单位建立住房公积金账户').check();
    await h().screenshot(page, 'register-person');
    await page.getByRole('button', { name: '检查开户资格' }).click();
    await page.getByText('符合开户条件').waitFor();
    await h().screenshot(page, 'register-eligibility');
    await page.getByRole('button', { name: '确认登记' }).click();

    // Flexible deposits: the counter takes any amount within the limits (a monthly plan pays due periods).
    await choose(page, '缴存方式', '灵活缴存');
    await page.getByLabel('扣款银行').fill('中国建设银行包头分行');
    await page.getByLabel('银行卡号').fill('6217000010009876543');
    await page.getByLabel('同意中心核验社保、税务等信息').check();
    await page.getByRole('button', { name: '生成协议文本' }).click();
    await page.getByRole('button', { name: '确认签署' }).waitFor();
    await h().screenshot(page, 'register-agreement');
    await page.getByRole('button', { name: '确认签署' }).click();
    await page.getByRole('button', { name: '开立账户' }).click();
    await page.getByText('账户已开立').waitFor();
    await h().screenshot(page, 'register-opened');

    await page.getByRole('button', { name: '办理缴存' }).click();
    await page.waitForURL('**/console/deposit?account=*');
    await page.getByText('本年度尚可缴存').waitFor();
    // Validation before sending: not an amount.
    await page.getByLabel('金额（元）').fill('12.345');
    await page.getByRole('button', { name: button('提交') }).click();
    await page.getByText('金额应大于 0，最多两位小数').waitFor();
    await page.getByLabel('金额（元）').fill('500');
    await page.getByRole('button', { name: button('提交') }).click();
    await page.getByRole('dialog').getByText('¥500.00').waitFor();
    await page.getByRole('button', { name: '确认入账' }).click();
    await page.getByText('缴存成功').waitFor();
    await h().screenshot(page, 'counter-deposit');

    // The new depositor is found by name, ID number shown in full to the teller on the profile.
    await page.goto(h().url('/console/depositors'));
    await page.getByLabel('关键字').fill('赵新户');
    await page.getByRole('button', { name: button('查询') }).click();
    await page.getByRole('link', { name: '赵新户' }).click();
    await page.getByTestId('id-number').waitFor();
    expect(await page.getByTestId('id-number').innerText()).toBe(personId('1992-03-04', 'female', 61));
    await page.getByText('¥500.00').first().waitFor();
    // A depositor of today: the credit grade with its reasons (rules.md §9), C until deposits build up.
    const grade = page.getByTestId('credit-grade');
    await grade.getByText('C', { exact: true }).waitFor();
    await grade.getByText('无住房公积金贷款记录').waitFor();
    await grade.getByText('× 0.9').waitFor();
    await h().screenshot(page, 'account-statement');
    await page.close();
  }, 180_000);

  it('lets a reviewer, not the teller who made it, approve a withdrawal', async () => {
    const made = await api('teller1', 'POST', `/accounts/${saver.accountId}/withdrawals/free`, {
      amount: '51000.00',
      idempotencyKey: 'console-withdrawal-0001',
    });
    expect(made.statusCode).toBe(201);
    expect(made.json()).toMatchObject({ status: 'pending_review' });

    const page = await staffPage('reviewer1', '/console/withdrawals');
    await page.getByRole('cell', { name: '李提取' }).waitFor();
    await page.getByText('¥51,000.00').waitFor();
    await h().screenshot(page, 'withdrawal-queue');
    await page.getByRole('button', { name: button('批准') }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('意见').fill('材料齐全');
    await dialog.getByRole('button', { name: button('批准') }).click();
    await page.getByText('没有待复核的提取').waitFor();
    await h().screenshot(page, 'withdrawal-approved');
    await page.close();
  }, 120_000);

  it('takes a loan from review to disbursement and shows its schedule', async () => {
    // The teller takes the application at the counter: quota check first, then the application.
    const teller = await staffPage('teller1', '/console/loans');
    await teller.getByRole('button', { name: '新贷款申请' }).click();
    const form = teller.getByRole('dialog');
    await form.getByLabel('借款人', { exact: true }).fill('王借款');
    await teller
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: '王借款' })
      .click();
    await form.getByTestId('picked-account').waitFor();
    await form.getByLabel('房屋地址').fill('包头市昆都仑区钢铁大街8号');
    await form.getByLabel('面积（㎡）').fill('90.00');
    await form.getByLabel('房价（元）').fill('800000.00');
    await form.getByLabel('家庭月收入（元）').fill('20000.00');
    await form.getByLabel('月负债（元）').fill('1000.00');
    await form.getByLabel('收入证明').fill('个税记录');
    await form.getByLabel('售房人', { exact: true }).fill('王某');
    await form.getByLabel('售房人开户行').fill('中国工商银行包头分行');
    await form.getByLabel('售房人账号').fill('6222020000001111222');
    await form.getByLabel('申请金额（元）').fill('300000.00');
    await form.getByRole('button', { name: '额度测算' }).click();
    await form.getByText('可贷额度').waitFor();
    await h().screenshot(teller, 'loan-application');
    await form.getByRole('button', { name: '提交申请' }).click();
    await teller.waitForURL(/\/console\/loans\/\d+$/);
    const loan = { loanId: teller.url().split('/').pop() ?? '' };
    await teller.getByTestId('loan-status').getByText('已申请').waitFor();
    await teller.getByText('还款计划（预计，放款时确定）').waitFor();
    await teller.getByTestId('schedule-table').locator('tr.ant-table-row').first().waitFor();
    await h().screenshot(teller, 'loan-applied');
    await teller.getByRole('button', { name: button('初审') }).click();
    await teller.getByTestId('loan-status').getByText('已初审').waitFor();

    const reviewer = await staffPage('reviewer1', `/console/loans/${loan.loanId}`);
    await reviewer.getByRole('button', { name: button('审批') }).click();
    await reviewer.getByTestId('loan-status').getByText('已审批').waitFor();
    await reviewer.getByText('还款计划（预计，放款时确定）').waitFor();
    await reviewer.getByTestId('schedule-table').locator('tr.ant-table-row').nth(11).waitFor();
    await h().screenshot(reviewer, 'loan-approved-schedule');

    await teller.reload();
    await teller.getByRole('button', { name: '签订合同' }).click();
    await teller.getByTestId('loan-status').getByText('已签合同').waitFor();
    await teller.getByRole('button', { name: '抵押登记' }).click();
    await teller.getByLabel('不动产登记证明号').fill('蒙(2025)包头市不动产证明第0012345号');
    await teller
      .getByRole('dialog')
      .getByRole('button', { name: button('登记') })
      .click();
    await teller.getByTestId('loan-status').getByText('已抵押').waitFor();

    const finance = await staffPage('finance1', `/console/loans/${loan.loanId}`);
    await finance.getByRole('button', { name: button('放款') }).click();
    await finance.getByTestId('loan-status').getByText('已放款').waitFor();
    await finance.getByText('还款计划', { exact: true }).waitFor();
    await finance.getByTestId('schedule-table').getByText('2025-06').first().waitFor();
    await h().screenshot(finance, 'loan-disbursed-schedule');
    for (const p of [teller, reviewer, finance]) await p.close();
  }, 180_000);

  it('closes the business day and shows each step', async () => {
    const page = await staffPage('manager1', '/console/close');
    await page.getByTestId('close-business-date').getByText('2025-05-06').waitFor();
    await h().screenshot(page, 'close-before');
    let polls = 0;
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/close-day/')) polls += 1;
    });
    await page.getByRole('button', { name: '开始日终' }).click();
    await page.getByRole('button', { name: button('开始') }).click();
    // While the close runs the screen says which step it is on (a fast close may already be done).
    if (await page.getByText('正在执行').isVisible()) await h().screenshot(page, 'close-running');
    await page.getByTestId('close-status').getByText('已完成').waitFor({ timeout: 90_000 });
    await page.getByText('已结账：2025-05-06').waitFor();
    await page.getByTestId('close-business-date').getByText('2025-05-07').waitFor();
    expect(await page.locator('tr.ant-table-row').filter({ hasText: '等待' }).count()).toBe(0);
    console.log(`close status polled ${polls} time(s) while the close ran`);
    await h().screenshot(page, 'close-done');
    await page.close();
  }, 150_000);

  it('imports a bank statement and refunds the unmatched line', async () => {
    const page = await staffPage('finance1', '/console/reconciliation');
    const csv = [
      'serial,value_date,direction,amount,counterparty,memo',
      'BK202505070001,2025-05-07,in,300.00,张三,不明来款',
      'BK202505070002,2025-05-07,out,88.00,李四,未知支出',
    ].join('\n');
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'statement-20250507.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: button('导入') }).click();
    await page.getByText('1 · ¥300.00').waitFor();
    await h().screenshot(page, 'reconciliation-import');
    await page.getByRole('tab', { name: '未达账项' }).click();
    await page.getByRole('cell', { name: 'BK202505070001' }).waitFor();
    await page.getByRole('button', { name: button('处理') }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('退回付款人').check();
    await dialog.getByLabel('说明').fill('无法确认缴存人，原路退回');
    // The money goes back to the payer's card: the form asks for it before sending.
    await dialog.getByRole('button', { name: button('确认') }).click();
    await dialog.getByText('请填写卡号').waitFor();
    await dialog.getByLabel('付款人开户行').fill('中国银行包头分行');
    await dialog.getByLabel('付款人卡号').fill('6217000011112222333');
    await h().screenshot(page, 'reconciliation-refund-dialog');
    await dialog.getByRole('button', { name: button('确认') }).click();
    await page.getByText('已提交退回付款').waitFor();
    await page.getByText('没有未达账项').waitFor();
    // The bank paid it: once its result is in, the item is refunded.
    await (h().t.app.deps.bank as InProcessBank).idle();
    await page.getByText('已退回', { exact: true }).click();
    await page.getByRole('cell', { name: 'BK202505070001' }).waitFor();
    await h().screenshot(page, 'reconciliation-resolved');
    // The day's report lists the money that left the bank without a booking of ours.
    await page.getByRole('tab', { name: '对账报告' }).click();
    const date = page.getByLabel('对账日期');
    await date.click();
    await date.fill('2025-05-07');
    await date.press('Enter');
    await page.getByText('需核对的项目').waitFor();
    const row = page.getByRole('row').filter({ hasText: 'BK202505070002' });
    await row.getByRole('cell', { name: '银行支出、系统无记录' }).waitFor();
    await row.getByRole('cell', { name: '¥88.00' }).waitFor();
    await h().screenshot(page, 'reconciliation-report');
    await page.close();
  }, 120_000);

  it('proposes a parameter as finance and approves it as a manager', async () => {
    const finance = await staffPage('finance1', '/console/parameters');
    await finance.getByRole('cell', { name: '柜面提取复核金额阈值' }).waitFor();
    await finance.getByRole('button', { name: '提出变更' }).click();
    await choose(
      finance,
      '参数',
      '柜面提取复核金额阈值 (withdrawal.review_threshold_fen)',
      'review_threshold',
    );
    await finance.getByLabel('新值（单位：分）').fill('6000000');
    await finance.getByLabel('生效日期').fill('2025-06-01');
    await finance.getByLabel('生效日期').press('Enter');
    await finance.getByLabel('变更理由').fill('提高复核阈值');
    await finance.getByRole('button', { name: button('提交') }).click();
    await finance.getByText('已提交，待他人审批').waitFor();
    await finance.close();

    const manager = await staffPage('manager1', '/console/parameters');
    await manager.getByRole('tab', { name: '变更记录与审批' }).click();
    await manager.getByRole('cell', { name: '提高复核阈值' }).waitFor();
    await h().screenshot(manager, 'parameters-proposed');
    await manager.getByRole('button', { name: button('批准') }).click();
    await manager
      .getByRole('dialog')
      .getByRole('button', { name: button('确认') })
      .click();
    await manager.getByText('已批准').first().waitFor();
    await manager.getByRole('cell', { name: '¥60,000.00' }).waitFor();
    await manager.close();
  }, 120_000);

  it('checks the audit chain and lists the transfer inbox', async () => {
    const page = await staffPage('manager1', '/console/audit');
    await page.getByRole('cell', { name: 'staff:manager1' }).first().waitFor();
    await page.getByRole('button', { name: '校验哈希链' }).click();
    await page.getByText(/哈希链完整/).waitFor();
    await h().screenshot(page, 'audit');
    await page.goto(h().url('/console/transfers'));
    await page.getByText('暂无转移业务').waitFor();
    await h().screenshot(page, 'transfers');
    await page.close();
  }, 120_000);

  it('limits a district viewer to their district and switches to English', async () => {
    const page = await staffPage('viewer1', '/console/dashboard');
    await page.getByText('辖区: 昆都仑区').first().waitFor();
    await page.getByText('截至会计日期').waitFor();
    const rows = page.locator('.ant-table-tbody').first().locator('tr.ant-table-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    await h().screenshot(page, 'district-viewer-dashboard');
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.waitForTimeout(1000); // charts finish their animation
    await h().screenshot(page, 'dashboard-english');
    await page.getByText('中文', { exact: true }).click();
    await page.close();
  }, 120_000);
  it('freezes and unfreezes an account and pays a free withdrawal from the depositor screen', async () => {
    const { db } = h().t;
    const { person, account } = await openedDepositor(
      db,
      { idNumber: personId('1990-02-10', 'female', 811), name: '周冻结' },
      'flexible',
    );
    await recordCounterDeposit({
      db,
      actor: tellerActor,
      accountId: account.accountId,
      amount: '3000.00',
      idempotencyKey: 'console-freeze-seed-1',
    });
    const state = async () =>
      (await api('manager1', 'GET', `/depositors/${person.depositorId}`)).json<{
        accounts: Array<{ state: string; balance: string }>;
      }>().accounts[0];

    const page = await staffPage('manager1', `/console/depositors/${person.depositorId}`);
    await page.getByText('账户操作').waitFor();
    // The form checks before sending: a freeze needs the reason and the document number.
    await choose(page, '操作', '冻结（司法）');
    await page.getByRole('button', { name: button('确认') }).click();
    await page.getByText('请输入原因').waitFor();
    await page.getByText('请输入法律文书编号').waitFor();
    await page.getByLabel('原因').fill('法院协助冻结');
    await page.getByLabel('法律文书编号').fill('（2025）内0203执123号');
    await page.getByRole('button', { name: button('确认') }).click();
    await page.getByRole('tab', { name: /冻结/ }).waitFor();
    expect((await state())?.state).toBe('06');
    // A frozen account offers no withdrawal.
    expect(await page.getByRole('tab', { name: '自由提取' }).count()).toBe(0);
    await h().screenshot(page, 'account-frozen');

    await choose(page, '操作', '解冻');
    await page.getByLabel('原因').fill('法院解除冻结');
    await page.getByLabel('法律文书编号').fill('（2025）内0203执123号之一');
    await page.getByRole('button', { name: button('确认') }).click();
    await page.getByRole('tab', { name: '自由提取' }).click();
    expect((await state())?.state).toBe('01');

    await page.getByRole('button', { name: button('提交自由提取') }).click();
    await page.getByText('请输入金额').waitFor();
    // One deposit is not six covered months: the server's coded refusal is shown as sent.
    h().allowErrors(/withdrawals\/free/);
    await page.getByLabel(/提取金额/).fill('1000.00');
    await page.getByRole('button', { name: button('提交自由提取') }).click();
    await page.getByRole('alert').getByText('操作未完成').waitFor();
    expect((await state())?.balance).toBe('3000.00');

    // The saver has eight covered months: a small free withdrawal posts at once.
    const before = (await api('manager1', 'GET', `/depositors/${saver.depositorId}`)).json<{
      accounts: Array<{ balance: string }>;
    }>().accounts[0]!.balance;
    const expected = (Number(before) - 100).toFixed(2);
    await page.goto(h().url(`/console/depositors/${saver.depositorId}`));
    await page.getByRole('tab', { name: '自由提取' }).click();
    await page.getByLabel(/提取金额/).fill('100.00');
    await page.getByRole('button', { name: button('提交自由提取') }).click();
    await page.getByTestId('withdrawal-outcome').getByText('提取已入账').waitFor();
    const after = await api('manager1', 'GET', `/depositors/${saver.depositorId}`);
    expect(after.json<{ accounts: Array<{ balance: string }> }>().accounts[0]?.balance).toBe(expected);
    await h().screenshot(page, 'free-withdrawal');
    await page.close();
  }, 120_000);

  it('imports social-insurance records and shows the report', async () => {
    const page = await staffPage('teller1', '/console/imports');
    const csv = ['身份证号码,姓名,参保年月', `${personId('1975-01-01', 'male', 901)},无此人,2025-04`].join(
      '\n',
    );
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'si-202504.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: button('导入') }).click();
    const report = page.getByTestId('si-import-report');
    await report.getByText('si-202504.csv').waitFor();
    await report.getByRole('cell', { name: '无此缴存人' }).waitFor();
    await h().screenshot(page, 'si-import');
    await page.close();
  }, 120_000);
});
