// The public page and the depositor portal in a real browser at phone width (390 px): the policy and the
// calculators; registration with live eligibility → login with the one-time code → agreement → payment
// through the simulated bank page → the balance; then the other portal screens. Chinese must render as
// glyphs, the screen must not scroll sideways, and the portal's first load must stay ≤ 500 KB of gzip JS.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { personId } from '../support/people.ts';
import { formatYuan } from '../../web/src/lib/money.ts';
import {
  ARTIFACTS,
  chooseOption,
  describeBrowser,
  useBrowserHarness,
  type BrowserWindow,
} from './harness.ts';

const h = useBrowserHarness({ name: 'portal' });
const PHONE = { width: 390, height: 844 };

const idNumber = personId('1993-06-15', 'female', 41);
const password = 'portal-pass-2025';

async function noSidewaysScroll(page: Page): Promise<void> {
  const width = await page.evaluate(
    () => (globalThis as unknown as BrowserWindow).document.documentElement.scrollWidth,
  );
  expect(width, `page is ${width}px wide at 390px`).toBeLessThanOrEqual(PHONE.width);
}

async function pick(page: Page, calculator: string): Promise<void> {
  await page
    .locator('label.ant-radio-button-wrapper')
    .filter({ hasText: new RegExp(`^${calculator}$`) })
    .click();
}

const choose = chooseOption;

let page: Page;

describeBrowser('public page and depositor portal at 390 px', () => {
  it('shows the policy in Chinese (real glyphs) and in English on the switch', async () => {
    page = await h().newPage(PHONE);
    await page.goto(h().url('/'));
    await page.getByRole('heading', { name: '灵活就业人员住房公积金' }).waitFor();
    await page.getByText('月缴存额下限').first().waitFor();
    const cjk = await h().checkChineseRenders(page);
    expect(cjk, JSON.stringify(cjk)).toMatchObject({ ok: true });
    await noSidewaysScroll(page);
    await h().screenshot(page, '01-public-zh');
    await expect
      .poll(() => page.getByRole('link', { name: '在线登记开户' }).getAttribute('href'))
      .toBe('/portal/register');
    await expect
      .poll(() => page.getByRole('link', { name: '工作人员入口' }).getAttribute('href'))
      .toBe('/console');

    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: 'Housing Provident Fund for flexible workers' }).waitFor();
    await h().screenshot(page, '02-public-en');
    await page.getByText('中文', { exact: true }).click();
    await page.getByRole('heading', { name: '灵活就业人员住房公积金' }).waitFor();
  });

  it('runs the loan calculators: schedule with table and chart, capacity, quota', async () => {
    const expected = (
      await h().t.inject({
        method: 'POST',
        url: '/api/v1/calc/schedule',
        payload: { principal: '500000.00', annualRate: '2.85', months: 360 },
      })
    ).json() as { installments: { payment: string }[]; totalInterest: string };
    await page.getByRole('button', { name: '计算还款计划' }).click();
    const result = page.getByTestId('schedule-result');
    await result.waitFor();
    await result.getByText(formatYuan(expected.totalInterest)).waitFor();
    await result
      .locator('tbody tr.ant-table-row')
      .first()
      .getByText(formatYuan(expected.installments[0]?.payment))
      .first()
      .waitFor();
    await result.locator('canvas').first().waitFor();
    await expect.poll(() => result.locator('tbody tr.ant-table-row').count()).toBe(12);
    await h().screenshot(page, '03-calc-schedule');

    await pick(page, '还款能力');
    await page.getByLabel('家庭月收入（元）').fill('12000');
    await page.getByLabel('现有月还债（元）').fill('1500');
    await page.getByRole('button', { name: '计算可贷金额' }).click();
    await page.getByTestId('affordability-result').getByText('¥5,250.00').first().waitFor();

    await pick(page, '贷款额度');
    const quotaTab = page.getByRole('region', { name: '贷款额度' });
    await quotaTab.getByLabel('本人公积金余额（元）').fill('30000');
    await quotaTab.getByLabel('连续缴存月数').fill('12');
    await quotaTab.getByLabel('近12个月缴存月数').fill('12');
    await quotaTab.getByLabel('家庭月收入（元）').fill('10000');
    await quotaTab.getByLabel('房屋总价（元）').fill('800000');
    await quotaTab.getByRole('button', { name: '测算额度' }).click();
    await page.getByTestId('quota-result').getByText('¥600,000.00').first().waitFor();
    await page.getByTestId('quota-result').getByText('决定额度').waitFor();
    await h().screenshot(page, '04-calc-quota');
  });

  it('runs the interest and subsidy calculators, and refuses a bad entry before sending', async () => {
    await pick(page, '利息');
    await page.getByRole('button', { name: '计算利息' }).click();
    await page.getByTestId('interest-result').getByText('¥152.08').waitFor(); // rules.md §4.1 example

    await pick(page, '缴存补贴');
    await page.getByRole('button', { name: '计算补贴' }).click();
    await page
      .getByTestId('subsidy-result')
      .getByText(/可获缴存补贴/)
      .waitFor();
    await h().screenshot(page, '05-calc-subsidy');

    await pick(page, '还款计划');
    await page.getByLabel('贷款金额（元）').fill('12.345');
    await page.getByRole('button', { name: '计算还款计划' }).click();
    await page.getByText('金额应为正数，最多两位小数').waitFor();
  });

  it('keeps the portal’s first load under 500 KB of gzipped JavaScript', async () => {
    const probe = await h().newPage(PHONE);
    const scripts = new Map<string, number>();
    probe.on('response', async (response) => {
      const url = response.url();
      if (!url.endsWith('.js')) return;
      const body = await response.body().catch(() => Buffer.alloc(0));
      scripts.set(url.replace(h().baseUrl, ''), gzipSync(body, { level: 9 }).length);
    });
    await probe.goto(h().url('/portal/login'));
    await probe.getByRole('button', { name: '下一步：获取验证码' }).waitFor();
    await probe.waitForLoadState('networkidle');
    const total = [...scripts.values()].reduce((a, b) => a + b, 0);
    const report = {
      page: '/portal/login',
      chunks: Object.fromEntries([...scripts].sort((a, b) => b[1] - a[1])),
      totalGzipBytes: total,
      totalGzipKB: Math.round(total / 1024),
    };
    writeFileSync(join(ARTIFACTS, 'portal-initial-js.json'), JSON.stringify(report, null, 2));
    console.log(`portal initial JS: ${report.totalGzipKB} KB gzip in ${scripts.size} chunks`);
    expect(total).toBeLessThanOrEqual(500 * 1024);
    await probe.close();
  });

  it('registers with live eligibility feedback', async () => {
    await page.goto(h().url('/portal/register'));
    await page.getByLabel('证件号码').fill(idNumber);
    await choose(page, '灵活就业形式', '新业态');
    // The declarations are not yet made: the live check names what is missing.
    const eligibility = page.getByTestId('eligibility');
    await eligibility.getByText('暂不符合参加条件').waitFor();
    await eligibility
      .getByText(/CIVIL_CAPACITY|UNIT_ACCOUNT_ELSEWHERE/)
      .first()
      .waitFor();
    await h().screenshot(page, '06-register-not-yet');

    await page.getByLabel('姓名').fill('李灵活');
    await page.getByLabel('手机号码（接收验证码）').fill('13904720001');
    await choose(page, '所在区（旗、县）', '昆都仑区');
    await page.getByLabel('本人声明具有完全民事行为能力').check();
    await page.getByLabel('本人声明未在任何城市参加单位住房公积金缴存').check();
    await eligibility.getByText('符合参加条件').waitFor();

    // The form checks itself before sending: a short password is refused here.
    await page.getByLabel('设置登录密码（至少8位）').fill('short');
    await page.getByLabel('确认密码').fill('short');
    await page.getByRole('button', { name: '提交登记' }).click();
    await page.getByText('密码至少 8 位').waitFor();

    await page.getByLabel('设置登录密码（至少8位）').fill(password);
    await page.getByLabel('确认密码').fill(password);
    await page.getByText('两次密码不一致').waitFor({ state: 'hidden' });
    await noSidewaysScroll(page);
    await h().screenshot(page, '07-register-eligible');
    await page.getByRole('button', { name: '提交登记' }).click();
    await page.getByText('李灵活，您已登记成功').waitFor();
    await h().screenshot(page, '08-registered');
  });

  it('logs in with the password and the one-time code, showing a refusal in the user’s language', async () => {
    await page.getByRole('button', { name: '去登录' }).click();
    await expect.poll(() => page.getByLabel('证件号码').inputValue()).toBe(idNumber);

    h().allowErrors(/status of 401/);
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '下一步：获取验证码' }).click();
    await page
      .getByRole('alert')
      .getByText(/\[[A-Z_]+\]/)
      .waitFor();
    await h().screenshot(page, '09-login-refused');

    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '下一步：获取验证码' }).click();
    const code = (await page.getByTestId('simulated-code').textContent()) ?? '';
    expect(code).toMatch(/^\d{6}$/);
    await page.getByLabel('短信验证码').fill(code);
    await h().screenshot(page, '10-login-code');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByText('李灵活，您好').waitFor();
    await page.getByText('第一步：签订缴存协议').waitFor();
    await h().screenshot(page, '11-home-new');
  });

  it('reads and signs the agreement for flexible deposits, which opens the account', async () => {
    await page.getByRole('link', { name: '去签约' }).click();
    await page.getByText('现行月缴存额：¥198.00 – ¥6,574.00').waitFor();
    await page.getByText('灵活缴存', { exact: true }).click();
    await page.getByLabel('开户银行').fill('中国建设银行包头分行');
    await page.getByLabel('银行卡号（扣款与提取）').fill('6217 0000 1234 5678');
    await page.getByRole('button', { name: '生成协议并阅读' }).click();
    await page.getByTestId('agreement-text').getByText('灵活就业人员住房公积金缴存使用协议').waitFor();
    await h().screenshot(page, '12-agreement-text');

    await page.getByRole('button', { name: '签署协议并开户' }).click();
    await page.getByText('请确认已阅读协议').waitFor();
    await page.getByLabel('我已阅读并同意上述协议').check();
    await page.getByLabel('签名（输入本人姓名）').fill('李灵活');
    await page.getByRole('button', { name: '签署协议并开户' }).click();
    await page.getByText('协议已签署，账户已开立').waitFor();
    await h().screenshot(page, '13-signed');
  });

  it('pays through a payment order and the simulated bank page, and the balance shows it', async () => {
    await page.getByRole('button', { name: '去缴存' }).click();
    await page.getByText('本年度还可缴').waitFor();
    await page.getByLabel('缴存金额（元）').fill('100');
    await page.getByRole('button', { name: '生成支付订单' }).click();
    await page.getByText('不得低于 198.00 元').waitFor();
    await page.getByLabel('缴存金额（元）').fill('600.00');
    await page.getByRole('button', { name: '生成支付订单' }).click();
    await page.getByTestId('order-status').getByText('待支付').waitFor();
    await h().screenshot(page, '14-order');

    const [bank] = await Promise.all([
      h().context.waitForEvent('page'),
      page.getByRole('link', { name: '前往银行支付' }).click(),
    ]);
    await bank.getByText('¥600.00').waitFor();
    await h().screenshot(bank, '15-bank-page');
    await bank.getByRole('button', { name: '支付 Pay' }).click();
    await bank.getByText('已入账 Credited.').waitFor();
    await h().screenshot(bank, '16-bank-paid');
    await bank.close();

    await page.bringToFront();
    await page.getByText('已入账 ¥600.00').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: '查看余额' }).click();
    await page.getByTestId('balance').getByText('¥600.00').waitFor();
    await noSidewaysScroll(page);
    await h().screenshot(page, '17-home-balance');
  });

  it('shows the statement with the covered-months calendar and interest', async () => {
    await page.getByRole('link', { name: '明细与利息' }).click();
    await page.getByTestId('month-calendar').waitFor();
    await page.getByText('+¥600.00').waitFor();
    await page.getByText(/本年度（.+ 起）预计利息/).waitFor();
    await noSidewaysScroll(page);
    await h().screenshot(page, '18-statement');
  });

  it('shows withdrawals with the server’s coded refusal and the closure subsidy preview', async () => {
    await page.getByRole('link', { name: '返回首页' }).click();
    await page.getByRole('link', { name: '提取' }).click();
    await page.getByRole('tab', { name: '灵活提取' }).click();
    h().allowErrors(/status of 422/);
    await page.getByLabel('提取金额（元）').fill('100.00');
    await page.getByRole('button', { name: '提交提取' }).click();
    await page.getByRole('alert').getByText('[WITHDRAWAL_TOO_FEW_MONTHS]', { exact: false }).waitFor();
    await h().screenshot(page, '19-withdraw-refused');

    await page.getByRole('tab', { name: '销户' }).click();
    await page.getByText('目前不能获得缴存补贴').waitFor();
    await noSidewaysScroll(page);
    await h().screenshot(page, '20-closure-preview');
  });

  it('shows loans (no applications yet) and issues the tax certificate', async () => {
    await page.getByRole('link', { name: '返回首页' }).click();
    await page.getByRole('link', { name: '贷款' }).click();
    await page.getByText('暂无贷款申请').waitFor();
    await h().screenshot(page, '21-loans');

    await page.getByRole('link', { name: '返回首页' }).click();
    await page.getByRole('link', { name: '证明下载' }).click();
    // The year defaults to the last completed one (the business date is in 2025); the deposit is in 2025.
    const year = page.getByLabel('年度');
    await expect.poll(() => year.inputValue()).toBe('2024');
    await year.fill('2025');
    await page.getByRole('button', { name: '开具证明' }).click();
    await page.getByTestId('tax-certificate').getByText('¥600.00').first().waitFor();
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('tax-certificate').getByRole('button', { name: '下载 PDF' }).click(),
    ]);
    expect(file.suggestedFilename()).toMatch(/^tax-certificate-2025\.pdf$/);
    await noSidewaysScroll(page);
    await h().screenshot(page, '22-certificates');
  });
});
