// Dated parameters with maker-checker (rules.md: every number is a dated parameter) and the business date.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { expectRefusedWithoutWrites } from '../support/snapshot.ts';
import { manager, staff, startCenter } from '../support/services.ts';
import { getFenParameter, getPercentParameter } from '../../src/services/parameters/get-parameter.ts';
import { proposeParameterChange } from '../../src/services/parameters/propose-parameter-change.ts';
import { decideParameterChange } from '../../src/services/parameters/decide-parameter-change.ts';
import { listParametersInForce, parameterHistory } from '../../src/services/parameters/list-parameters.ts';
import { advanceBusinessDate, getBusinessDate } from '../../src/services/calendar/business-date.ts';

let t: TestDatabase;
const admin = staff('admin1', ['admin']);
beforeAll(async () => {
  t = await createTestDatabase();
  await startCenter(t.db, '2025-06-01');
});
afterAll(() => t.close());

describe('dated parameters', () => {
  it('reads the Baotou limits in force on each date (rules.md §3.1)', async () => {
    expect(await getFenParameter(t.db, 'deposit.monthly_upper_limit_fen', '2024-06-30')).toBe(610400n);
    expect(await getFenParameter(t.db, 'deposit.monthly_upper_limit_fen', '2024-07-01')).toBe(657400n);
    expect(await getFenParameter(t.db, 'deposit.monthly_lower_limit_fen', '2025-01-01')).toBe(19800n);
    expect((await getPercentParameter(t.db, 'loan.rate.first_home_gt5_pct', '2025-05-07')).toString()).toBe(
      '2.85',
    );
    expect((await getPercentParameter(t.db, 'loan.rate.first_home_gt5_pct', '2025-05-08')).toString()).toBe(
      '2.6',
    );
  });

  it('takes effect only after a different user approves, and keeps the history', async () => {
    const proposal = await proposeParameterChange({
      db: t.db,
      actor: manager,
      key: 'deposit.monthly_upper_limit_fen',
      value: '700000',
      effectiveFrom: '2025-07-01',
      reason: '2025年度缴存上限',
    });
    expect(proposal.status).toBe('proposed');
    expect(await getFenParameter(t.db, 'deposit.monthly_upper_limit_fen', '2025-07-01')).toBe(657400n);
    const approved = await decideParameterChange({
      db: t.db,
      actor: admin,
      id: proposal.id,
      decision: 'approve',
    });
    expect(approved.status).toBe('approved');
    expect(await getFenParameter(t.db, 'deposit.monthly_upper_limit_fen', '2025-07-01')).toBe(700000n);
    expect(await getFenParameter(t.db, 'deposit.monthly_upper_limit_fen', '2025-06-30')).toBe(657400n);
    const history = await parameterHistory(t.db, 'deposit.monthly_upper_limit_fen');
    expect(history.map((h) => h.value)).toEqual(['700000', '657400', '610400']);
    const inForce = await listParametersInForce(t.db, '2025-07-01');
    expect(inForce.find((p) => p.key === 'deposit.monthly_upper_limit_fen')?.value).toBe('700000');
  });

  it('refuses approval by the proposer and writes nothing', async () => {
    const proposal = await proposeParameterChange({
      db: t.db,
      actor: manager,
      key: 'rent.annual_cap_fen',
      value: '1500000',
      effectiveFrom: '2026-01-01',
      reason: '市场租金调整',
    });
    await expectRefusedWithoutWrites(
      t.db,
      () => decideParameterChange({ db: t.db, actor: manager, id: proposal.id, decision: 'approve' }),
      'PARAMETER_SELF_APPROVAL',
      expect,
    );
  });

  it('refuses retroactive values, short notice for the subsidy rate, and bad values', async () => {
    const base = { db: t.db, actor: manager, reason: 'x' };
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        proposeParameterChange({
          ...base,
          key: 'interest.annual_rate_pct',
          value: '1.25',
          effectiveFrom: '2025-05-31',
        }),
      'PARAMETER_EFFECTIVE_DATE_PASSED',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        proposeParameterChange({
          ...base,
          key: 'subsidy.annual_rate_pct',
          value: '0.6',
          effectiveFrom: '2025-06-10',
        }),
      'PARAMETER_NOTICE_TOO_SHORT',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        proposeParameterChange({
          ...base,
          key: 'interest.annual_rate_pct',
          value: 'abc',
          effectiveFrom: '2025-07-01',
        }),
      'PARAMETER_VALUE_INVALID',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () => proposeParameterChange({ ...base, key: 'no.such.key', value: '1', effectiveFrom: '2025-07-01' }),
      'PARAMETER_UNKNOWN',
      expect,
    );
  });

  it('a rejected proposal never takes effect and cannot be decided twice', async () => {
    const proposal = await proposeParameterChange({
      db: t.db,
      actor: manager,
      key: 'subsidy.lifetime_cap_fen',
      value: '2000000',
      effectiveFrom: '2025-08-01',
      reason: '提高上限',
    });
    await decideParameterChange({
      db: t.db,
      actor: admin,
      id: proposal.id,
      decision: 'reject',
      note: '无依据',
    });
    expect(await getFenParameter(t.db, 'subsidy.lifetime_cap_fen', '2025-09-01')).toBe(1000000n);
    await expectRefusedWithoutWrites(
      t.db,
      () => decideParameterChange({ db: t.db, actor: admin, id: proposal.id, decision: 'approve' }),
      'PARAMETER_NOT_PROPOSED',
      expect,
    );
  });
});

describe('the business date', () => {
  it('moves forward and never back', async () => {
    expect(await getBusinessDate(t.db)).toBe('2025-06-01');
    await advanceBusinessDate(t.db, '2025-06-02', { type: 'system', id: 'test' });
    await expectRefusedWithoutWrites(
      t.db,
      () => advanceBusinessDate(t.db, '2025-06-01', { type: 'system', id: 'test' }),
      'BUSINESS_DATE_BACKWARDS',
      expect,
    );
    expect(await getBusinessDate(t.db)).toBe('2025-06-02');
  });
});
