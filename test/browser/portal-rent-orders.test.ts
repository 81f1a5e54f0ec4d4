// The depositor portal's standing monthly rent orders (按月提取, rules.md §5.1) and the tax certificate's
// default year, in a real browser at phone width (test/browser/harness.ts). A depositor with six months
// of deposits logs in with the password and the one-time code and sees their order; an order stopped at
// the counter meanwhile is refused with the server's coded message; the order the close paid once and
// could not pay the next month (no balance) shows both, and the depositor stops it with a reason (audited
// as theirs). The tax certificate defaults to the year before the center's business date, whatever the
// browser's clock, and the current year can still be picked.
import type { Locator, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { bearer } from '../api/test-app.ts';
import { personId } from '../support/people.ts';
import { openedDepositor, teller as tellerActor } from '../support/services.ts';
import { advanceBusinessDate } from '../../src/services/calendar/business-date.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { payRentOrders } from '../../src/services/withdrawals/pay-rent-orders.ts';
import { describeBrowser, useBrowserHarness, type BrowserWindow } from './harness.ts';

const h = useBrowserHarness({ name: 'portal-rent-orders', businessDate: '2025-03-03' });
const PHONE = { width: 390, height: 844 };
const system = { type: 'system' as const, id: 'browser-test' };

const NAME = '钱按月';
const ID_NUMBER = personId('1991-02-14', 'female', 57);
const PASSWORD = 'rent-order-pass-2025';

let depositorId: string;
let accountId: string;
let page: Page;

const lease = (contractNo: string) => ({
  landlordName: '冯房东',
  leaseAddress: '包头市昆都仑区钢铁大街 66 号 3-201',
  leaseStart: '2025-01-01',
  leaseEnd: '2025-12-31',
  monthlyRent: '1500.00',
  contractNo,
});

async function asTeller(method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) {
  const token = await h().t.loginStaff('teller1', h().password);
  const res = await h().t.inject({
    method,
    url: `/api/v1${url}`,
    headers: bearer(token),
    ...(payload ? { payload } : {}),
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json<Record<string, unknown>>();
}

async function setUpOrder(contractNo: string): Promise<string> {
  const made = await asTeller('POST', `/accounts/${accountId}/rent-orders`, {
    monthlyAmount: '1000.00',
    payDay: 10,
    idempotencyKey: `portal-ro-${contractNo}`,
    declaredNoHousing: true,
    lease: lease(contractNo),
  });
  return made.rentOrderId as string;
}

/** The card of the order with this contract number. */
const orderCard = (contractNo: string): Locator =>
  page.getByTestId('rent-order').filter({ hasText: `合同 ${contractNo}` });

describeBrowser('standing rent orders and the tax certificate in the portal at 390 px', () => {
  beforeAll(async () => {
    // Six months of deposits (September 2024 to February 2025): enough covered months for rent withdrawals
    // (rules.md §5.1), four of them in 2024 for that year's tax certificate.
    const { db } = h().t;
    const { person, account } = await openedDepositor(
      db,
      { idNumber: ID_NUMBER, name: NAME, phone: '13904720057', password: PASSWORD },
      'flexible',
    );
    depositorId = person.depositorId;
    accountId = account.accountId;
    for (const month of ['2024-09', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02']) {
      await recordCounterDeposit({
        db,
        actor: tellerActor,
        accountId,
        amount: '2000.00',
        valueDate: `${month}-10`,
        idempotencyKey: `portal-ro-seed-${month}`,
      });
    }
  }, 120_000);

  it('logs the depositor in and lists their standing rent order', async () => {
    await setUpOrder('ZL-2025-0101');
    page = await h().newPage(PHONE);
    await h().loginDepositorThroughPortal(page, { idNumber: ID_NUMBER, password: PASSWORD, name: NAME });

    await page.getByRole('link', { name: '按月租房', exact: true }).click();
    await page.getByRole('heading', { name: '按月租房提取' }).waitFor();
    const card = orderCard('ZL-2025-0101');
    await card.getByText('生效中').waitFor();
    await card.getByText('¥1,000.00', { exact: true }).waitFor();
    await card.getByText('每月 10 日').waitFor();
    await card.getByText('2025-03-10').waitFor();
    await card.getByText('0 个月，共 ¥0.00').waitFor();
    await card.getByText('包头市昆都仑区钢铁大街 66 号 3-201').waitFor();
    const cjk = await h().checkChineseRenders(page, '按月租房提取生效中停止');
    expect(cjk, JSON.stringify(cjk)).toMatchObject({ ok: true });
    await h().screenshot(page, '01-listed');
  }, 120_000);

  it('shows the coded refusal when the order was stopped at the counter meanwhile', async () => {
    const rentOrderId = (
      (await asTeller('GET', `/accounts/${accountId}/rent-orders`)).items as { rentOrderId: string }[]
    )[0]!.rentOrderId;
    await asTeller('POST', `/rent-orders/${rentOrderId}/cancel`, { reason: '缴存人到柜台申请停止' });

    // The page still shows the order as active: the depositor tries to stop it too.
    const card = orderCard('ZL-2025-0101');
    await card.getByRole('button', { name: '停止' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('停止原因').fill('不再租住');
    h().allowErrors(/status of 409/);
    await dialog.getByRole('button', { name: '确认停止' }).click();
    await dialog
      .getByRole('alert')
      .getByText(/^该按月租房提取已终止.*\[RENT_ORDER_NOT_ACTIVE\]$/)
      .waitFor();
    await h().screenshot(page, '02-refused');

    // Closing the dialog shows the order as it is now: stopped, with no stop button.
    await dialog.getByRole('button', { name: '取消' }).click();
    await card.getByText('已停止 2025-03-03').waitFor();
    expect(await card.getByRole('button', { name: '停止' }).count()).toBe(0);
  }, 120_000);

  it('shows what the close paid and could not pay, and stops the order with a reason', async () => {
    const { db } = h().t;
    const rentOrderId = await setUpOrder('ZL-2025-0102');
    // The close of 2025-03-10 pays March (its rent-orders step, run here directly).
    await advanceBusinessDate(db, '2025-03-10', system);
    expect(await payRentOrders({ db, date: '2025-03-10', actor: system })).toMatchObject({ paid: 1 });
    // The depositor takes out the rest of the balance, so April's run finds nothing to pay.
    const token = await h().t.loginDepositor({
      id: BigInt(depositorId),
      idNumber: ID_NUMBER,
      password: PASSWORD,
      phone: '13904720057',
    });
    const { balance_fen } = await db
      .selectFrom('accounts')
      .select('balance_fen')
      .where('id', '=', BigInt(accountId))
      .executeTakeFirstOrThrow();
    const balance = (Number(balance_fen) / 100).toFixed(2);
    expect(balance).toBe('11000.00');
    const free = await h().t.inject({
      method: 'POST',
      url: `/api/v1/accounts/${accountId}/withdrawals/free`,
      headers: bearer(token),
      payload: { amount: balance, idempotencyKey: 'portal-ro-drain' },
    });
    expect(free.statusCode, free.body).toBe(201);
    await advanceBusinessDate(db, '2025-04-10', system);
    expect(await payRentOrders({ db, date: '2025-04-10', actor: system })).toMatchObject({
      paid: 0,
      skipped: { no_balance: 1 },
    });

    await page.reload();
    const card = orderCard('ZL-2025-0102');
    await card.getByText('生效中').waitFor();
    await card.getByText('2025-05-10').waitFor();
    await card.getByText('1 个月，共 ¥1,000.00').waitFor();
    await card.getByText('2025-03-10 · ¥1,000.00').waitFor();
    await card.getByText('2025-04-10 账户余额不足').waitFor();
    // The order stopped at the counter is listed too, without a stop button.
    await orderCard('ZL-2025-0101').getByText('已停止 2025-03-03').waitFor();
    expect(await page.getByRole('button', { name: '停止' }).count()).toBe(1);
    const width = await page.evaluate(
      () => (globalThis as unknown as BrowserWindow).document.documentElement.scrollWidth,
    );
    expect(width, `page is ${width}px wide at 390px`).toBeLessThanOrEqual(PHONE.width);
    await h().screenshot(page, '03-paid-and-unpaid');

    await card.getByRole('button', { name: '停止' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('已支付的月份不受影响').waitFor();
    // A reason is required before anything is sent.
    await dialog.getByRole('button', { name: '确认停止' }).click();
    await dialog.getByText('请填写停止原因').waitFor();
    await dialog.getByLabel('停止原因').fill('已退租，不再需要按月提取');
    await h().screenshot(page, '04-stop-dialog');
    await dialog.getByRole('button', { name: '确认停止' }).click();
    await page.getByText('已停止，自 2025-04-10 起不再支付').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await card.getByText('已停止 2025-04-10').waitFor();
    expect(await page.getByRole('button', { name: '停止' }).count()).toBe(0);
    await h().screenshot(page, '05-stopped');

    const order = await db
      .selectFrom('rent_orders')
      .select(['status', 'ended_on', 'ended_reason'])
      .where('id', '=', BigInt(rentOrderId))
      .executeTakeFirstOrThrow();
    expect(order).toEqual({ status: 'ended', ended_on: '2025-04-10', ended_reason: 'cancelled' });
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor', 'summary'])
      .where('action', '=', 'rent_order.cancel')
      .where('subject_id', '=', rentOrderId)
      .executeTakeFirstOrThrow();
    expect(audit.actor).toBe(`depositor:${depositorId}`);
    expect(audit.summary).toMatchObject({ reason: '已退租，不再需要按月提取', unpaidDueDate: '2025-05-10' });
  }, 120_000);

  it('defaults the tax certificate to the year before the business date, whatever the browser’s clock', async () => {
    // The browser thinks it is 2031; the center's business date is 2025-04-10, so the default is 2024.
    await page.clock.setFixedTime(new Date('2031-07-01T10:00:00+08:00'));
    await page.goto(h().url('/portal/certificates'));
    const card = page.locator('.ant-card').filter({ hasText: '个人所得税扣除缴存证明' });
    const year = card.getByLabel('年度');
    await expect.poll(() => year.inputValue(), { timeout: 15_000 }).toBe('2024');
    await card.getByRole('button', { name: '开具证明' }).click();
    // Four deposits of 2,000.00 in 2024 (September to December).
    const certificate = page.getByTestId('tax-certificate');
    await certificate.getByText('¥8,000.00').first().waitFor();
    await h().screenshot(page, '06-tax-certificate');

    // The current year is still there to pick: January and February 2025.
    await year.fill('2025');
    await card.getByRole('button', { name: '开具证明' }).click();
    await certificate.getByText('¥4,000.00').first().waitFor();
  }, 120_000);
});
