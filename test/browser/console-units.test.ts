// The unit side, conversions, transfers out and the loan list in a real browser (test/browser/harness.ts):
// a teller imports a unit file and reads the report, records a unit's remittance, converts a flexible
// account into the new unit account from the depositor's page, seals it and converts it back under a newly
// signed agreement; staff follow transfers out (done, refused, and one whose money still waits on 21903)
// in the inbox; the loan list names borrowers with masked ID numbers. Every screen is saved as a
// screenshot.
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { button, chooseOption, describeBrowser, useBrowserHarness } from './harness.ts';
import { bearer } from '../api/test-app.ts';
import { openedDepositor, teller as tellerActor } from '../support/services.ts';
import { personId } from '../support/people.ts';
import { receiveTransferOutLetter } from '../support/transfer-letters.ts';
import { advanceBusinessDate } from '../../src/services/calendar/business-date.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import type { InProcessPeerCenter } from '../../src/integrations/transfer-platform/in-process-peer-center.ts';

const h = useBrowserHarness({ name: 'console-units', businessDate: '2024-09-02' });

interface Person {
  depositorId: string;
  accountId: string;
  accountNumber: string;
  idNumber: string;
  name: string;
}

let borrower: Person;
let converter: Person;
let leaver: Person;
let waiting: Person;
let employerId = '';

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

describeBrowser('the console for units, conversions, transfers out and the loan list', () => {
  beforeAll(async () => {
    const { db } = h().t;
    const open = async (n: number, name: string): Promise<Person> => {
      const idNumber = personId('1987-07-07', n % 2 ? 'male' : 'female', 600 + n);
      const { person, account } = await openedDepositor(db, { idNumber, name }, 'flexible');
      return {
        depositorId: person.depositorId,
        accountId: account.accountId,
        accountNumber: account.accountNumber,
        idNumber,
        name,
      };
    };
    borrower = await open(1, '王贷款');
    converter = await open(2, '钱转换');
    leaver = await open(3, '孙转出');
    waiting = await open(4, '周在途');
    let key = 0;
    const pay = (accountId: string, amount: string) =>
      recordCounterDeposit({
        db,
        actor: tellerActor,
        accountId,
        amount,
        idempotencyKey: `units-seed-${++key}`,
      });
    await pay(borrower.accountId, '5000.00');
    await pay(converter.accountId, '1000.00');
    await pay(leaver.accountId, '800.00');
    await pay(waiting.accountId, '450.00');
    for (const date of [
      '2024-10-02',
      '2024-11-04',
      '2024-12-02',
      '2025-01-02',
      '2025-02-03',
      '2025-03-03',
      '2025-04-02',
    ]) {
      await advanceBusinessDate(db, date, { type: 'system', id: 'browser-test' });
      await pay(borrower.accountId, '5000.00');
      await pay(converter.accountId, '1000.00');
    }
    await advanceBusinessDate(db, '2025-05-06', { type: 'system', id: 'browser-test' });
    const applied = await api('teller1', 'POST', '/loans', {
      depositorId: borrower.depositorId,
      house: {
        address: '包头市昆都仑区钢铁大街9号',
        areaSqm: '90.00',
        price: '800000.00',
        home: 'first',
        inCity: true,
      },
      income: { monthlyIncome: '20000.00', monthlyDebts: '1000.00', evidence: 'tax_record' },
      amount: '300000.00',
      termMonths: 240,
      method: 'equal-installment',
      seller: { name: '王某', bankName: '中国工商银行包头分行', bankAccount: '6222020000001111222' },
      idempotencyKey: 'units-loan-0001',
    });
    expect(applied.statusCode).toBe(201);
  }, 180_000);

  it('imports a unit file through the screen and shows the report', async () => {
    const page = await staffPage('teller1', '/console/units');
    await page.getByRole('heading', { name: '单位管理' }).waitFor();
    await page.getByText('尚无单位，可导入单位名册').waitFor();
    await page.getByRole('button', { name: '导入单位名册' }).click();
    await page.getByRole('heading', { name: '单位名册导入' }).waitFor();
    const csv = [
      '单位编号,单位名称,区划代码,身份证号码,姓名,月缴存额',
      `UNITWEB001,包头市安居科技有限公司,150203,${converter.idNumber},钱转换,1200.00`,
      `UNITWEB001,包头市安居科技有限公司,150203,${personId('1980-01-01', 'male', 999)},无此人,800.00`,
      `UNITWEB001,包头市安居科技有限公司,999999,${personId('1981-01-01', 'female', 998)},错区划,800.00`,
    ].join('\n');
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'units-202505.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: button('导入') }).click();
    const report = page.getByTestId('unit-import-report');
    await report.getByText('units-202505.csv').waitFor();
    await report.getByRole('link', { name: '包头市安居科技有限公司 (UNITWEB001)' }).waitFor();
    await report.getByRole('cell', { name: '钱转换' }).waitFor();
    await report.getByText(`${converter.accountNumber} · 待转换`).waitFor();
    await report.getByRole('cell', { name: '无此缴存人' }).waitFor();
    await report.getByRole('cell', { name: 'DISTRICT_UNKNOWN' }).waitFor();
    expect((await h().checkChineseRenders(page)).ok).toBe(true);
    await h().screenshot(page, 'unit-import-report');
    const link = await report.getByRole('link', { name: /UNITWEB001/ }).getAttribute('href');
    employerId = link?.split('/').pop() ?? '';
    expect(employerId).toMatch(/^\d+$/);
    await page.close();
  }, 120_000);

  it('finds the unit and records a remittance at the monthly amounts on file', async () => {
    const page = await staffPage('teller1', '/console/units');
    await page.getByLabel('单位', { exact: true }).fill('安居科技');
    await page.getByRole('button', { name: button('查询') }).click();
    await page.getByRole('link', { name: '包头市安居科技有限公司' }).click();
    await page.getByRole('heading', { name: '包头市安居科技有限公司 · 单位' }).waitFor();
    await page.getByRole('link', { name: '钱转换' }).waitFor();
    await page.getByText('尚无汇缴').waitFor();
    await h().screenshot(page, 'unit-detail');

    await page.getByRole('button', { name: '登记汇缴' }).click();
    const drawer = page.getByRole('dialog').filter({ hasText: '登记汇缴' });
    await drawer.getByRole('button', { name: '核对并提交' }).click();
    await drawer.getByText('请选择汇缴月份').waitFor();
    // At the monthly amounts on file: one account, ¥1,200.00.
    await drawer.getByText('¥1,200.00').first().waitFor();
    await drawer.getByLabel('汇缴月份').fill('2025-04');
    // Enter takes the month and submits the form; a click does it when the picker kept the focus.
    await drawer.getByLabel('汇缴月份').press('Enter');
    const confirm = page.getByRole('dialog').filter({ hasText: '确认汇缴' });
    if (!(await confirm.isVisible().catch(() => false))) {
      await page.waitForTimeout(300);
      if (!(await confirm.isVisible())) await drawer.getByRole('button', { name: '核对并提交' }).click();
    }
    await confirm.getByText('2025-04').waitFor();
    await confirm.getByText('¥1,200.00').waitFor();
    await confirm.getByRole('button', { name: '确认入账' }).click();
    const result = page.getByTestId('remittance-result');
    await result.getByText('汇缴已入账').waitFor();
    await result.getByText(/2025-04 · ¥1,200\.00/).waitFor();
    await h().screenshot(page, 'unit-remittance');
    await page.keyboard.press('Escape');
    // The unit's remittance list shows the month (exactly: the result above also names it).
    await page.getByRole('cell', { name: '2025-04', exact: true }).waitFor();
    const unit = await api('teller1', 'GET', `/units/${employerId}`);
    expect(unit.json()).toMatchObject({
      accounts: [{ name: '钱转换', balance: '1200.00' }],
      remittances: [{ month: '2025-04', total: '1200.00' }],
    });
    await page.close();
  }, 120_000);

  it('converts a flexible account into the unit account, seals it and converts it back', async () => {
    const units = await api('teller1', 'GET', `/depositors/${converter.depositorId}/unit-accounts`);
    const unitAccount = units.json<{ items: Array<{ accountId: string; accountNumber: string }> }>()
      .items[0]!;
    const page = await staffPage('teller1', `/console/depositors/${converter.depositorId}`);
    await page.getByText('身份转换：灵活就业 → 单位').waitFor();
    await chooseOption(page, '转入单位账户', `${unitAccount.accountNumber} · 包头市安居科技有限公司 · 正常`);
    const preview = page.getByTestId('conversion-preview');
    await preview.getByText('¥8,000.00').first().waitFor();
    await preview.getByText(converter.accountNumber).waitFor();
    const expected = (
      await api(
        'teller1',
        'GET',
        `/accounts/${converter.accountId}/conversion-to-unit/preview?unitAccountId=${unitAccount.accountId}`,
      )
    ).json<{ amount: string; monthsCarried: number }>();
    expect(expected.monthsCarried).toBeGreaterThanOrEqual(8);
    await h().screenshot(page, 'conversion-preview');
    await page.getByRole('button', { name: '转为单位账户' }).click();
    const confirmConversion = page.getByRole('button', { name: button('确认转换') });
    await confirmConversion.waitFor();
    await confirmConversion.click();
    const result = page.getByTestId('conversion-result');
    await result.getByText('身份转换已完成').waitFor();
    // The result stays under its card after the page reloads the ended account.
    await page
      .locator('.ant-card')
      .filter({ hasText: '身份转换：灵活就业 → 单位' })
      .getByTestId('conversion-result')
      .waitFor();
    await result
      .getByText(`${converter.accountNumber} → ${unitAccount.accountNumber}`, { exact: false })
      .waitFor();
    await h().screenshot(page, 'conversion-result');
    const profile = (await api('teller1', 'GET', `/depositors/${converter.depositorId}`)).json<{
      accounts: Array<{ accountId: string; state: string; balance: string }>;
    }>();
    expect(profile.accounts.find((a) => a.accountId === converter.accountId)?.state).toBe('03');
    const unitBalance = profile.accounts.find((a) => a.accountId === unitAccount.accountId)?.balance;
    expect(Number(unitBalance)).toBeCloseTo(1200 + Number(expected.amount), 2);

    // The person left the job: the unit account is sealed with the reason; converting back needs a new agreement.
    await page.goto(h().url(`/console/units/${employerId}`));
    await page.getByRole('button', { name: '封存' }).click();
    const modal = page.getByRole('dialog').filter({ hasText: '封存单位账户' });
    await modal.getByRole('button', { name: '确认封存' }).click();
    await modal.getByText('请输入原因').waitFor();
    await modal.getByLabel('原因').fill('离职');
    await modal.getByRole('button', { name: '确认封存' }).click();
    await modal.waitFor({ state: 'hidden' });
    await page.getByText(/· 离职$/).waitFor();
    await page.getByRole('button', { name: '启封' }).waitFor();
    await h().screenshot(page, 'unit-sealed');
    await page.goto(h().url(`/console/depositors/${converter.depositorId}`));
    await page.getByRole('tab', { name: new RegExp(unitAccount.accountNumber) }).click();
    await page.getByText('身份转换：单位 → 灵活就业').waitFor();
    await page.getByText('转为灵活就业账户前须签订缴存协议').waitFor();
    expect(await page.getByRole('button', { name: '转为灵活就业账户' }).isDisabled()).toBe(true);
    await h().screenshot(page, 'conversion-to-flexible-blocked');

    // The agreement is prepared and signed on the spot; then the sealed unit account converts back.
    const card = page.locator('.ant-card').filter({ hasText: '身份转换：单位 → 灵活就业' }).first();
    await card.getByRole('button', { name: '生成协议文本' }).click();
    await card.getByText('请输入银行名称').waitFor();
    await card.getByText('须同意信息核验').waitFor();
    await card.getByLabel('扣款银行').fill('中国银行包头分行');
    await card.getByLabel('银行卡号').fill('6217000010005555666');
    await card.getByLabel('同意中心核验社保、税务等信息').check();
    await card.getByRole('button', { name: '生成协议文本' }).click();
    await card.getByLabel('协议文本').waitFor();
    await card.getByRole('button', { name: button('确认签署') }).click();
    await card.getByText('转为灵活就业账户前须签订缴存协议').waitFor({ state: 'detached' });
    await card.getByRole('button', { name: '转为灵活就业账户' }).click();
    await page.getByRole('button', { name: button('确认转换') }).click();
    const back = page.getByTestId('conversion-result');
    await back.getByText('身份转换已完成').waitFor();
    await card.getByTestId('conversion-result').waitFor();
    await back.getByText(`${unitAccount.accountNumber} →`, { exact: false }).waitFor();
    await h().screenshot(page, 'conversion-to-flexible-result');
    const after = (await api('teller1', 'GET', `/depositors/${converter.depositorId}`)).json<{
      accounts: Array<{ accountId: string; kind: string; state: string; balance: string }>;
    }>();
    expect(after.accounts.find((a) => a.accountId === unitAccount.accountId)).toMatchObject({
      state: '03',
      balance: '0.00',
    });
    const reopened = after.accounts.find((a) => a.kind === 'flexible' && a.state === '01');
    expect(Number(reopened?.balance)).toBeGreaterThanOrEqual(Number(unitBalance));
    await page.close();
  }, 150_000);

  it('shows transfers out with their stage, sheet, money held and message timeline', async () => {
    const peer = h().t.app.deps.transferPlatform as InProcessPeerCenter;
    const doneNo = await peer.startTransferOut({
      anjuAccountNumber: leaver.accountNumber,
      idNumber: leaver.idNumber,
      name: leaver.name,
    });
    await peer.startTransferOut({
      anjuAccountNumber: '999999999999',
      idNumber: leaver.idNumber,
      name: '无账户',
    });
    await peer.idle();
    await receiveTransferOutLetter(h().t.db, {
      transferNo: 'SH2025WEB0001',
      accountNumber: waiting.accountNumber,
      idNumber: waiting.idNumber,
      name: waiting.name,
    });

    const page = await staffPage('teller1', '/console/transfers');
    await chooseOption(page, '方向', '转出');
    const rows = page.locator('tr.ant-table-row');
    await rows.filter({ hasText: '孙转出' }).waitFor();
    await rows.filter({ hasText: '账户不存在' }).waitFor();
    await rows.filter({ hasText: '周在途' }).filter({ hasText: '已划出' }).waitFor();
    await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
    await h().screenshot(page, 'transfers-out');

    await page.getByRole('button', { name: doneNo }).click();
    const details = page.getByTestId('transfer-details');
    await details.getByText('转出业务无需柜面操作', { exact: false }).waitFor();
    await details.getByTestId('transfer-stage').getByText('已办结').waitFor();
    await details.getByTestId('transfer-sheet').getByText('¥800.00').waitFor();
    const timeline = details.getByTestId('transfer-timeline');
    await timeline.getByText('收到 联系函').waitFor();
    await timeline.getByText('发出 状态 02 联系函已受理').waitFor();
    await timeline.getByText('发出 账户信息表').waitFor();
    // The money paid is the balance with its interest to date.
    await timeline.getByText(/^发出 资金划转 · ¥8\d\d\.\d\d$/).waitFor();
    await timeline.getByText('收到 状态 00 办结').waitFor();
    await h().screenshot(page, 'transfer-out-done');
    await timeline.scrollIntoViewIfNeeded();
    await h().screenshot(page, 'transfer-out-timeline');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'SH2025WEB0001' }).click();
    await details.getByText(/^¥4\d\d\.\d\d · 21903 待付款项（等待转入地确认到账）$/).waitFor();
    await details.getByTestId('transfer-timeline').getByText('待发送').first().waitFor();
    await h().screenshot(page, 'transfer-out-waiting');
    await page.close();
  }, 120_000);

  it('names the borrower with a masked ID number in the loan list', async () => {
    const profile = (await api('reviewer1', 'GET', `/depositors/${borrower.depositorId}`)).json<{
      idNumberMasked: string;
    }>();
    const page = await staffPage('reviewer1', '/console/loans');
    const row = page.locator('tr.ant-table-row').filter({ hasText: '王贷款' });
    await row.getByRole('link', { name: '王贷款' }).waitFor();
    expect(await row.getByTestId('borrower-id').innerText()).toBe(profile.idNumberMasked);
    expect(profile.idNumberMasked).toContain('*');
    expect(await row.getByText(borrower.idNumber).count()).toBe(0);
    await h().screenshot(page, 'loan-list-borrowers');
    await page.close();
  }, 120_000);
});
