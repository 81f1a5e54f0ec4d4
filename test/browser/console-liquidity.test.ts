// The console's liquidity screen (rules.md §8) in a real browser (test/browser/harness.ts): the flexible
// pool lent 96 % of its deposits at the end of February, so finance sees level 3 in force with what it
// does, the loan ratio against the 85 / 90 / 95 % lines and each month's figures; a teller has no such
// menu; risk computes January again from the screen. Every screen is saved as a screenshot.
import { beforeAll, expect, it } from 'vitest';
import { LEDGER } from '../../src/ledger/chart.ts';
import { postEntry } from '../../src/ledger/post.ts';
import { computePoolIndicators } from '../../src/services/liquidity/compute-pool-indicators.ts';
import { openedDepositor, staff } from '../support/services.ts';
import { button, describeBrowser, useBrowserHarness } from './harness.ts';

const h = useBrowserHarness({ name: 'console-liquidity', businessDate: '2025-03-03' });

describeBrowser('the liquidity screen', () => {
  beforeAll(async () => {
    const { db } = h().t;
    const { account } = await openedDepositor(db, {}, 'flexible');
    const entry = (businessDate: string, debit: string, credit: string, yuan: number) =>
      db.transaction().execute((tx) =>
        postEntry(
          tx,
          {
            book: 'FLEX',
            businessDate,
            entryType: 'test_liquidity',
            memo: 'liquidity',
            postings: [
              {
                account: debit,
                side: 'D',
                amountFen: BigInt(yuan) * 100n,
                ...(debit === LEDGER.members ? { memberAccountId: BigInt(account.accountId) } : {}),
              },
              {
                account: credit,
                side: 'C',
                amountFen: BigInt(yuan) * 100n,
                ...(credit === LEDGER.members ? { memberAccountId: BigInt(account.accountId) } : {}),
              },
            ],
          },
          'test',
        ),
      );
    await entry('2025-01-15', LEDGER.bank, LEDGER.members, 1_000_000);
    await entry('2025-01-20', LEDGER.loans, LEDGER.bank, 700_000);
    await entry('2025-02-18', LEDGER.loans, LEDGER.bank, 260_000);
    const risk = staff('risk1', ['risk']);
    await computePoolIndicators({ db, month: '2025-01', actor: risk });
    await computePoolIndicators({ db, month: '2025-02', actor: risk });
  }, 120_000);

  it('shows finance the level in force, the trend and the month-end figures', async () => {
    const teller = await h().newPage();
    await h().loginStaffInto(teller, 'teller1');
    await teller.goto(h().url('/console/dashboard'));
    const menu = teller.getByRole('navigation', { name: '主菜单' });
    await menu.getByText('业务总览').waitFor();
    expect(await menu.getByText('流动性监测').count()).toBe(0);
    await teller.close();

    const page = await h().newPage();
    await h().loginStaffInto(page, 'finance1');
    await page.goto(h().url('/console/dashboard'));
    await page.getByRole('navigation', { name: '主菜单' }).getByText('流动性监测').click();
    await page.getByRole('heading', { name: '流动性监测' }).waitFor();
    const flex = page.getByTestId('pool-FLEX');
    await flex.getByText('三级预警').waitFor();
    await flex.getByText('96.00 %').first().waitFor();
    await flex.getByText('新增放款轮候', { exact: false }).waitFor();
    const trend = page.locator('.ant-card').filter({ hasText: '灵活就业资金池个贷率' });
    await trend.locator('canvas').first().waitFor();
    const rows = page.locator('tr.ant-table-row');
    await rows
      .filter({ hasText: '2025-02' })
      .filter({ hasText: '灵活就业资金池' })
      .getByText('升级')
      .waitFor();
    await rows
      .filter({ hasText: '2025-01' })
      .filter({ hasText: '灵活就业资金池' })
      .getByText('70.00 %')
      .first()
      .waitFor();
    expect((await h().checkChineseRenders(page, '流动性监测三级预警个贷率')).ok).toBe(true);
    // Finance reads; computing again is for risk and managers.
    expect(await page.getByRole('button', { name: button('计算') }).count()).toBe(0);
    await h().screenshot(page, 'liquidity');
    await page.close();
  }, 120_000);

  it('lets risk compute a closed month again', async () => {
    const page = await h().newPage();
    await h().loginStaffInto(page, 'risk1');
    await page.goto(h().url('/console/liquidity'));
    await page.getByTestId('pool-FLEX').getByText('三级预警').waitFor();
    const picker = page.getByLabel('月份');
    await picker.click();
    await picker.fill('2025-01');
    await picker.press('Enter');
    await page.getByRole('button', { name: button('计算') }).click();
    await page.getByText('已重新计算').waitFor();
    await h().screenshot(page, 'liquidity-recomputed');
    await page.close();
  }, 120_000);
});
