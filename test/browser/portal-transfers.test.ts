// The depositor portal's transfers between cities (异地转移接续, rules.md §5.4) in a real browser at phone
// width (test/browser/harness.ts). A depositor who moved to Baotou asked the counter three times: once
// cancelled while the old center was reviewing the letter (with the reason), once credited (the money
// and the months counted as continuous), and once still with the old center. In the portal they cancel
// that one with a reason and apply for a new transfer in themselves, which the old center answers and
// the account is credited. Every screen is saved as a screenshot.
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import type { InProcessPeerCenter } from '../../src/integrations/transfer-platform/in-process-peer-center.ts';
import { cancelTransferIn } from '../../src/services/transfers/cancel-transfer-in.ts';
import { startTransferIn } from '../../src/services/transfers/start-transfer-in.ts';
import { personId } from '../support/people.ts';
import { openedDepositor, teller } from '../support/services.ts';
import { describeBrowser, useBrowserHarness, type BrowserWindow } from './harness.ts';

const h = useBrowserHarness({ name: 'portal-transfers', businessDate: '2025-03-03' });
const PHONE = { width: 390, height: 844 };
const NAME = '孙迁入';
const ID_NUMBER = personId('1987-11-20', 'male', 63);
const PASSWORD = 'transfer-portal-2025';

let page: Page;
const numbers: Record<'cancelled' | 'credited' | 'waiting', string> = {
  cancelled: '',
  credited: '',
  waiting: '',
};

describeBrowser('transfers between cities in the portal at 390 px', () => {
  beforeAll(async () => {
    const { db } = h().t;
    const peer = h().t.app.deps.transferPlatform as InProcessPeerCenter;
    const { account } = await openedDepositor(
      db,
      { idNumber: ID_NUMBER, name: NAME, phone: '13904720063', password: PASSWORD },
      'flexible',
    );
    const oldAccount = (accountNumber: string, principalFen: bigint) =>
      peer.addAccount({
        accountNumber,
        idNumber: ID_NUMBER,
        name: NAME,
        principalFen,
        interestFen: 1_234n,
        openDate: '2019-04-01',
        paidUpToMonth: '2025-01',
        continuousMonths: 20,
      });
    const start = (oldAccountNumber: string, key: string) =>
      startTransferIn({
        db,
        actor: teller,
        platform: peer,
        accountId: account.accountId,
        oldCenterCode: peer.centerCode,
        oldCenterName: peer.centerName,
        oldAccountNumber,
        idempotencyKey: key,
      });

    oldAccount('BJ-PT-1', 500_000n);
    peer.setFault('BJ-PT-1', { kind: 'review' });
    const first = await start('BJ-PT-1', 'portal-transfer-1');
    await cancelTransferIn({
      db,
      actor: teller,
      platform: peer,
      transferId: first.transferId,
      reason: '原单位补缴未完成，暂缓转入',
      idempotencyKey: 'portal-transfer-cancel-1',
    });
    numbers.cancelled = first.transferNo;

    oldAccount('BJ-PT-2', 2_500_000n);
    const second = await start('BJ-PT-2', 'portal-transfer-2');
    await peer.idle();
    numbers.credited = second.transferNo;

    oldAccount('BJ-PT-3', 100_000n);
    peer.setFault('BJ-PT-3', { kind: 'review' });
    numbers.waiting = (await start('BJ-PT-3', 'portal-transfer-3')).transferNo;
  }, 120_000);

  it('shows each transfer with where it stands, the money and months credited, and why one was cancelled', async () => {
    page = await h().newPage(PHONE);
    await h().loginDepositorThroughPortal(page, { idNumber: ID_NUMBER, password: PASSWORD, name: NAME });
    // The months brought from the old city count for the credit grade (rules.md §9).
    const grade = page.getByTestId('credit-grade');
    await grade.getByText('近 12 个月缴存 11 个月').waitFor();
    await grade.getByText('累计缴存 20 个月（含转入的缴存记录）').waitFor();
    await grade.getByText('B', { exact: true }).waitFor();
    await h().screenshot(page, '00-home-credit-grade');
    await page.getByRole('link', { name: '异地转移', exact: true }).click();
    await page.getByRole('heading', { name: '异地转移接续' }).waitFor();
    const card = (transferNo: string) => page.getByTestId('portal-transfer').filter({ hasText: transferNo });

    const credited = card(numbers.credited);
    await credited.getByText('已入账').waitFor();
    await credited.getByText('¥25,012.34', { exact: false }).waitFor();
    await credited.getByText('（本金 ¥25,000.00，利息 ¥12.34）').waitFor();
    await credited.getByText('20 个月').waitFor();
    await credited.getByText('00 办结').waitFor();

    const cancelled = card(numbers.cancelled);
    await cancelled.getByText('已撤销').waitFor();
    await cancelled.getByText('05 转入撤销').waitFor();
    await cancelled.getByText('原单位补缴未完成，暂缓转入').waitFor();

    const waiting = card(numbers.waiting);
    await waiting.getByText('联系函已发').waitFor();
    await waiting.getByText('等待原中心回复').waitFor();
    await waiting.getByRole('button', { name: '撤销' }).waitFor();
    expect(await cancelled.getByRole('button', { name: '撤销' }).count()).toBe(0);
    expect(await credited.getByRole('button', { name: '撤销' }).count()).toBe(0);

    // Newest first, and nothing wider than the phone.
    const order = await page.getByTestId('portal-transfer').allTextContents();
    expect(order.map((text) => Object.values(numbers).find((no) => text.includes(no)))).toEqual([
      numbers.waiting,
      numbers.credited,
      numbers.cancelled,
    ]);
    const width = await page.evaluate(
      () => (globalThis as unknown as BrowserWindow).document.documentElement.scrollWidth,
    );
    expect(width, `page is ${width}px wide at 390px`).toBeLessThanOrEqual(PHONE.width);
    const cjk = await h().checkChineseRenders(page, '异地转移接续已入账已撤销');
    expect(cjk, JSON.stringify(cjk)).toMatchObject({ ok: true });
    await h().screenshot(page, '01-transfers');
  }, 120_000);

  it('lets the depositor cancel the one still with the old center, with a reason', async () => {
    const waiting = page.getByTestId('portal-transfer').filter({ hasText: numbers.waiting });
    await waiting.getByRole('button', { name: '撤销' }).click();
    const dialog = page.getByRole('dialog', { name: '撤销转入' });
    await dialog.getByRole('button', { name: '确认撤销' }).click();
    await dialog.getByText('请填写撤销原因').waitFor();
    await dialog.getByLabel('撤销原因').fill('已在本市另行购房，不再转入');
    await h().screenshot(page, '02-cancel-dialog');
    await dialog.getByRole('button', { name: '确认撤销' }).click();
    await page.getByText('已撤销，已通知原中心').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await waiting.getByText('已撤销').waitFor();
    await waiting.getByText('已在本市另行购房，不再转入').waitFor();
    await waiting.getByRole('button', { name: '撤销' }).waitFor({ state: 'detached' });
    const peer = h().t.app.deps.transferPlatform as InProcessPeerCenter;
    expect(peer.transfer(numbers.waiting)?.status).toBe('05');
    const audit = await h()
      .t.db.selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'transfer.in.cancelled')
      .where('summary', '@>', JSON.stringify({ transferNo: numbers.waiting }))
      .executeTakeFirstOrThrow();
    expect(audit.actor).toMatch(/^depositor:/);
    await h().screenshot(page, '03-cancelled');
  }, 60_000);

  it('lets the depositor apply for a transfer in; the old center answers and the account is credited', async () => {
    const peer = h().t.app.deps.transferPlatform as InProcessPeerCenter;
    peer.addAccount({
      accountNumber: 'BJ-PT-4',
      idNumber: ID_NUMBER,
      name: NAME,
      principalFen: 800_000n,
      interestFen: 0n,
      openDate: '2021-06-01',
      paidUpToMonth: '2025-01',
      continuousMonths: 9,
    });
    await page.getByRole('button', { name: '申请转入' }).click();
    const dialog = page.getByRole('dialog', { name: '申请转入' });
    await dialog.getByRole('button', { name: '提交申请' }).click();
    await dialog.getByText('请填写原个人账号').waitFor();
    await dialog.getByLabel('原缴存地公积金中心').fill(peer.centerName);
    await dialog.getByLabel('原中心代码').fill(peer.centerCode);
    await dialog.getByLabel('原个人账号').fill('BJ-PT-4');
    await h().screenshot(page, '04-apply-dialog');
    await dialog.getByRole('button', { name: '提交申请' }).click();
    await page.getByText('已受理，联系函已发往原中心').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await peer.idle();
    await page.reload();
    const added = page.getByTestId('portal-transfer').filter({ hasText: 'BJ-PT-4' });
    await added.getByText('已入账').waitFor();
    await added.getByText('¥8,000.00', { exact: false }).waitFor();
    await added.getByText('9 个月').waitFor();
    expect(await page.getByTestId('portal-transfer').count()).toBe(4);
    await h().screenshot(page, '05-applied-credited');
  }, 60_000);

  it('reads in English too', async () => {
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: 'Transfers between cities' }).waitFor();
    await page
      .getByTestId('portal-transfer')
      .filter({ hasText: numbers.cancelled })
      .getByText('Cancelled', { exact: true })
      .waitFor();
    await page.getByText('Months counted as continuous').first().waitFor();
    await h().screenshot(page, '06-transfers-en');
    await page.close();
  }, 60_000);
});
