// rules.md §8: the pool's ratios and its alert level with hysteresis. Level 1 at a loan ratio of 85 % with
// three months of negative net flow, level 2 from 90 %, level 3 from 95 %; a level steps down one band after
// three consecutive months below it.
import { describe, expect, it } from 'vitest';
import { indicatedLevel, nextAlertLevel, poolRatios, type PoolMonth } from './liquidity.ts';

/** A month with this loan ratio (loans per 100 deposited) and net flow. */
const month = (loanRatio: number, netFlowFen = -1n): PoolMonth => ({
  loanBalanceFen: BigInt(loanRatio) * 1_000_000n,
  depositBalanceFen: 100_000_000n,
  bankBalanceFen: 20_000_000n,
  lentFen: 0n,
  pendingLoansFen: 0n,
  netFlowFen,
  periodsDue: 0,
  periodsPaid: 0,
});

describe('the ratios of §8', () => {
  it('loan ratio, usage ratio, payment rate and available capacity', () => {
    const m: PoolMonth = {
      loanBalanceFen: 8_750_000_00n,
      depositBalanceFen: 10_000_000_00n,
      bankBalanceFen: 1_500_000_00n,
      lentFen: 250_000_00n,
      pendingLoansFen: 300_000_00n,
      netFlowFen: -1n,
      periodsDue: 40,
      periodsPaid: 37,
    };
    expect(poolRatios(m)).toEqual({
      loanRatioPct: '87.50',
      usageRatioPct: '90.00',
      paymentRatePct: '92.50',
      // 1,500,000 − 5 % × 10,000,000 − 300,000 = 700,000 yuan
      capacityFen: 700_000_00n,
    });
  });

  it('has no ratio without deposits, and no payment rate without periods due', () => {
    expect(poolRatios({ ...month(0), depositBalanceFen: 0n })).toMatchObject({
      loanRatioPct: null,
      paymentRatePct: null,
    });
  });
});

describe('the level the figures call for', () => {
  it('85 % needs three months of negative net flow for level 1', () => {
    expect(indicatedLevel([month(85), month(85), month(86)])).toBe('level1');
    expect(indicatedLevel([month(85), month(85, 1n), month(86)])).toBe('normal');
    expect(indicatedLevel([month(85), month(86)])).toBe('normal');
  });

  it('90 % is level 2 and 95 % level 3, whatever the flow', () => {
    expect(indicatedLevel([month(90, 5n)])).toBe('level2');
    expect(indicatedLevel([month(95, 5n)])).toBe('level3');
    expect(indicatedLevel([month(84)])).toBe('normal');
  });
});

describe('hysteresis', () => {
  it('rises at once to what the figures call for', () => {
    expect(nextAlertLevel('normal', ['normal', 'normal', 'level3'], 12)).toMatchObject({
      level: 'level3',
      change: 'raised',
    });
  });

  it('steps down one band only after three months below the level in force', () => {
    expect(nextAlertLevel('level3', ['level2', 'normal'], 5)).toMatchObject({
      level: 'level3',
      change: 'held',
    });
    expect(nextAlertLevel('level3', ['level3', 'normal', 'normal'], 5)).toMatchObject({ level: 'level3' });
    const down = nextAlertLevel('level3', ['normal', 'normal', 'normal'], 5);
    expect(down).toMatchObject({ level: 'level2', change: 'stepped_down' });
    expect(down.zh).toBe('连续 3 个月低于三级预警，降一级至二级预警');
    // One band a quarter: the next month it holds, three month ends later it may step down again.
    expect(nextAlertLevel('level2', ['normal', 'normal', 'normal'], 1)).toMatchObject({ change: 'held' });
    expect(nextAlertLevel('level2', ['normal', 'normal', 'normal'], 3)).toMatchObject({ level: 'level1' });
  });

  it('stays normal while nothing is raised', () => {
    expect(nextAlertLevel('normal', ['normal'], 0)).toMatchObject({ level: 'normal', change: 'held' });
  });
});
