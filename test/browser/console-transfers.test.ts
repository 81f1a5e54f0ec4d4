// Sending a transfer's queued platform messages from the console (test/browser/harness.ts): a transfer out
// whose answers are still queued shows "立即重发待发送报文" to a teller (not to a reviewer); while the
// platform does not answer the messages stay queued, and once it is back one click sends them and the
// button goes away. A transfer in the old center is still reviewing can be cancelled with a reason (status
// 05), and when the old center's money crossed the cancellation finance pays it back. Every screen is
// saved as a screenshot.
import { beforeAll, expect, it } from 'vitest';
import { describeBrowser, useBrowserHarness } from './harness.ts';
import { openedDepositor, teller as tellerActor } from '../support/services.ts';
import { personId } from '../support/people.ts';
import { receiveTransferOutLetter } from '../support/transfer-letters.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { startTransferIn } from '../../src/services/transfers/start-transfer-in.ts';
import type { InProcessPeerCenter } from '../../src/integrations/transfer-platform/in-process-peer-center.ts';

const h = useBrowserHarness({ name: 'console-transfers' });
const TRANSFER_NO = 'SH2025WEB0101';
const RESEND = '立即重发待发送报文';
const OLD_ACCOUNT = 'BJ-WEB-CANCEL-1';
let cancelNo = '';

describeBrowser('the console sends queued transfer messages now', () => {
  beforeAll(async () => {
    const { db } = h().t;
    const idNumber = personId('1989-05-05', 'female', 801);
    const { account } = await openedDepositor(db, { idNumber, name: '吴重发' }, 'flexible');
    await recordCounterDeposit({
      db,
      actor: tellerActor,
      accountId: account.accountId,
      amount: '520.00',
      idempotencyKey: 'transfers-web-seed',
    });
    // The answers (status, sheet, funds) are queued and not sent, as when the platform is down.
    await receiveTransferOutLetter(db, {
      transferNo: TRANSFER_NO,
      accountNumber: account.accountNumber,
      idNumber,
      name: '吴重发',
    });

    // A transfer in that the old center is still reviewing (it has not answered).
    const peer = h().t.app.deps.transferPlatform as InProcessPeerCenter;
    const mover = personId('1990-07-07', 'male', 802);
    const moving = await openedDepositor(db, { idNumber: mover, name: '周撤销' }, 'flexible');
    peer.addAccount({
      accountNumber: OLD_ACCOUNT,
      idNumber: mover,
      name: '周撤销',
      principalFen: 300_000n,
      interestFen: 0n,
      openDate: '2020-01-01',
      paidUpToMonth: '2025-02',
      continuousMonths: 12,
    });
    peer.setFault(OLD_ACCOUNT, { kind: 'review' });
    const started = await startTransferIn({
      db,
      actor: tellerActor,
      platform: peer,
      accountId: moving.account.accountId,
      oldCenterCode: peer.centerCode,
      oldCenterName: peer.centerName,
      oldAccountNumber: OLD_ACCOUNT,
      idempotencyKey: 'transfers-web-cancel',
    });
    cancelNo = started.transferNo;
  }, 120_000);

  it('shows the button only to those who handle transfers and only while messages are queued', async () => {
    const reviewer = await h().newPage();
    await h().loginStaffInto(reviewer, 'reviewer1');
    await reviewer.goto(h().url('/console/transfers'));
    await reviewer.getByRole('button', { name: TRANSFER_NO }).click();
    const seen = reviewer.getByTestId('transfer-details');
    await seen.getByTestId('transfer-timeline').getByText('待发送').first().waitFor();
    expect(await seen.getByRole('button', { name: RESEND }).count()).toBe(0);
    await reviewer.close();

    const page = await h().newPage();
    await h().loginStaffInto(page, 'teller1');
    await page.goto(h().url('/console/transfers'));
    const row = page.locator('tr.ant-table-row').filter({ hasText: TRANSFER_NO });
    await row.getByText('吴重发').waitFor();
    await page.getByRole('button', { name: TRANSFER_NO }).click();
    const details = page.getByTestId('transfer-details');
    const timeline = details.getByTestId('transfer-timeline');
    await timeline.getByText('待发送').first().waitFor();
    const button = details.getByRole('button', { name: RESEND });
    await button.waitFor();
    await h().screenshot(page, 'transfer-queued');

    // The platform still does not answer: nothing goes, everything stays queued, the button stays.
    const peer = h().t.app.deps.transferPlatform as InProcessPeerCenter;
    peer.setFault(TRANSFER_NO, { kind: 'timeout' });
    await button.click();
    const result = details.getByTestId('resend-result');
    await result.getByText('已发送 0 条，失败 0 条，仍待发送 3 条').waitFor();
    await result.getByText('平台仍未应答', { exact: false }).waitFor();
    await timeline.getByText('TRANSFER_PLATFORM_TIMEOUT', { exact: false }).waitFor();
    await h().screenshot(page, 'transfer-resend-timed-out');

    // The platform is back: one click sends the three answers once; nothing is left queued.
    await button.click();
    await result.getByText('已发送 3 条，失败 0 条，仍待发送 0 条').waitFor();
    await button.waitFor({ state: 'detached' });
    expect(await timeline.getByText('待发送').count()).toBe(0);
    await h().screenshot(page, 'transfer-resent');
    await peer.idle();
    // The list was reloaded too: no queued messages are counted on the transfer any more.
    await page.keyboard.press('Escape');
    await row.locator('.ant-tag-red').waitFor({ state: 'detached' });
    await h().screenshot(page, 'transfers-after-resend');
    await page.close();
  }, 120_000);

  it('lets a teller cancel a transfer in the old center has not answered, with a reason', async () => {
    const reviewer = await h().newPage();
    await h().loginStaffInto(reviewer, 'reviewer1');
    await reviewer.goto(h().url('/console/transfers'));
    await reviewer.getByRole('button', { name: cancelNo }).click();
    await reviewer.getByTestId('transfer-stage').getByText('联系函已发').waitFor();
    expect(await reviewer.getByRole('button', { name: /撤销转入/ }).count()).toBe(0);
    await reviewer.close();

    const page = await h().newPage();
    await h().loginStaffInto(page, 'teller1');
    await page.goto(h().url('/console/transfers'));
    await page.getByRole('button', { name: cancelNo }).click();
    const details = page.getByTestId('transfer-details');
    await details.getByTestId('transfer-stage').getByText('联系函已发').waitFor();
    await details.getByRole('button', { name: /撤销转入/ }).click();
    const dialog = page.getByRole('dialog', { name: '撤销转入' });
    await dialog.getByText('05 转入撤销', { exact: false }).waitFor();
    // The reason is required before anything is sent.
    await dialog.getByRole('button', { name: '确认撤销' }).click();
    await dialog.getByText('请填写撤销原因').waitFor();
    await dialog.getByLabel('撤销原因').fill('本人已在本市购房，不再转入');
    await h().screenshot(page, 'transfer-cancel-dialog');
    await dialog.getByRole('button', { name: '确认撤销' }).click();
    await page.getByText('已撤销，已通知原中心').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await details.getByTestId('transfer-stage').getByText('已撤销').waitFor();
    await details.getByText('本人已在本市购房，不再转入', { exact: true }).waitFor();
    await details.getByTestId('transfer-timeline').getByText('05 转入撤销', { exact: false }).waitFor();
    await details.getByRole('button', { name: /撤销转入/ }).waitFor({ state: 'detached' });
    await h().screenshot(page, 'transfer-cancelled');
    const peer = h().t.app.deps.transferPlatform as InProcessPeerCenter;
    expect(peer.transfer(cancelNo)?.status).toBe('05');
    await page.close();
  }, 120_000);

  it('lets finance pay the money of the cancelled transfer back when the answer crossed the cancellation', async () => {
    const peer = h().t.app.deps.transferPlatform as InProcessPeerCenter;
    expect(await peer.answerReviewed(cancelNo, { crossed: true })).toBe(true);

    const teller = await h().newPage();
    await h().loginStaffInto(teller, 'teller1');
    await teller.goto(h().url('/console/transfers'));
    await teller.getByRole('button', { name: cancelNo }).click();
    await teller.getByTestId('transfer-details').getByText('21904', { exact: false }).waitFor();
    expect(await teller.getByRole('button', { name: /退回原中心/ }).count()).toBe(0);
    await teller.close();

    const page = await h().newPage();
    await h().loginStaffInto(page, 'finance1');
    await page.goto(h().url('/console/transfers'));
    await page.getByRole('button', { name: cancelNo }).click();
    const details = page.getByTestId('transfer-details');
    await details.getByText('¥3,000.00 · 21904', { exact: false }).waitFor();
    await details.getByRole('button', { name: /退回原中心/ }).click();
    const dialog = page.getByRole('dialog', { name: '退回原中心' });
    await dialog.getByTestId('return-amount').getByText('¥3,000.00').waitFor();
    await h().screenshot(page, 'transfer-return-dialog');
    await dialog.getByRole('button', { name: '确认退回' }).click();
    await page.getByText('资金已退回原中心').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await details
      .getByTestId('transfer-returned')
      .getByText(`150200R${cancelNo}`, { exact: false })
      .waitFor();
    await details.getByRole('button', { name: /退回原中心/ }).waitFor({ state: 'detached' });
    await h().screenshot(page, 'transfer-returned');
    await peer.idle();
    // The old center received its ¥3,000.00 back.
    expect(peer.transfer(cancelNo)?.fundsFen).toBe(300_000n);
    await page.close();
  }, 120_000);
});
