// Liquidity of a pool and its alert level (资金流动性管理, rules.md §8), computed at each month end: the
// loan ratio (个贷率), usage ratio (资金使用率), payment rate (实缴率), available capacity (资金容量) and
// net flow (资金净流量), and the alert level with hysteresis: level 1 when the loan ratio is at least 85 %
// and the net flow was negative for 3 consecutive months, level 2 from 90 %, level 3 from 95 %; a level
// steps down one band after 3 consecutive months below it. The level sets the quota's liquidity
// coefficient (§6.2 A).
import { Decimal } from 'decimal.js';
import type { AlertLevel } from './loans/quota.ts';
import type { Fen } from './money.ts';

/** Loan-ratio thresholds in percent for each raised level (rules.md §8). */
export const ALERT_THRESHOLDS_PCT = { level1: 85, level2: 90, level3: 95 } as const;
/** Months of negative net flow level 1 needs, and months below a level before it steps down one band. */
export const ALERT_MONTHS = 3;
/** The reserve kept out of the available capacity, in percent of the deposit balance (rules.md §8). */
export const RESERVE_PCT = 5;

const RANK: Record<AlertLevel, number> = { normal: 0, level1: 1, level2: 2, level3: 3 };
const BY_RANK: readonly AlertLevel[] = ['normal', 'level1', 'level2', 'level3'];
const LEVEL_ZH: Record<AlertLevel, string> = {
  normal: '正常',
  level1: '一级预警',
  level2: '二级预警',
  level3: '三级预警',
};

/** One pool's balances and flows of one month, as the books show them at its end. */
export interface PoolMonth {
  loanBalanceFen: Fen;
  depositBalanceFen: Fen;
  bankBalanceFen: Fen;
  /** Lent to the other pool (11901), counted in the usage ratio. */
  lentFen: Fen;
  /** Loans approved and not yet disbursed, taken from the capacity. */
  pendingLoansFen: Fen;
  netFlowFen: Fen;
  periodsDue: number;
  periodsPaid: number;
}

export interface PoolRatios {
  /** Percent with 2 decimals, or null when nothing is deposited. */
  loanRatioPct: string | null;
  usageRatioPct: string | null;
  paymentRatePct: string | null;
  capacityFen: Fen;
}

function pct(part: Fen, whole: Fen | number): string | null {
  if (BigInt(whole) === 0n) return null;
  return new Decimal(part.toString()).times(100).dividedBy(whole.toString()).toDecimalPlaces(2).toFixed(2);
}

export function poolRatios(m: PoolMonth): PoolRatios {
  return {
    loanRatioPct: pct(m.loanBalanceFen, m.depositBalanceFen),
    usageRatioPct: pct(m.loanBalanceFen + m.lentFen, m.depositBalanceFen),
    paymentRatePct: pct(BigInt(m.periodsPaid), m.periodsDue),
    // Rounded up: the reserve is never short of 5 % by a fraction of a fen.
    capacityFen:
      m.bankBalanceFen - (m.depositBalanceFen * BigInt(RESERVE_PCT) + 99n) / 100n - m.pendingLoansFen,
  };
}

/**
 * The level this month's figures call for on their own. `history` ends with this month, oldest first;
 * level 1 needs this month and the two before it to have had a negative net flow.
 */
export function indicatedLevel(history: readonly PoolMonth[]): AlertLevel {
  const now = history[history.length - 1];
  if (!now) return 'normal';
  const ratio = poolRatios(now).loanRatioPct;
  if (ratio === null) return 'normal';
  const r = new Decimal(ratio);
  if (r.gte(ALERT_THRESHOLDS_PCT.level3)) return 'level3';
  if (r.gte(ALERT_THRESHOLDS_PCT.level2)) return 'level2';
  const lastMonths = history.slice(-ALERT_MONTHS);
  if (
    r.gte(ALERT_THRESHOLDS_PCT.level1) &&
    lastMonths.length === ALERT_MONTHS &&
    lastMonths.every((m) => m.netFlowFen < 0n)
  )
    return 'level1';
  return 'normal';
}

export interface AlertDecision {
  level: AlertLevel;
  change: 'raised' | 'stepped_down' | 'held';
  zh: string;
  en: string;
}

/**
 * The level in force after this month: raised at once to what the figures call for; lowered one band only
 * after `ALERT_MONTHS` consecutive months all indicating less than the level in force, and no sooner than
 * `ALERT_MONTHS` month ends after it took force (so a level steps down one band a quarter). `indicated`
 * ends with this month's indicated level, oldest first; `monthsInForce` counts the month ends before this
 * one at which `current` was already the level.
 */
export function nextAlertLevel(
  current: AlertLevel,
  indicated: readonly AlertLevel[],
  monthsInForce: number,
): AlertDecision {
  const now = indicated[indicated.length - 1] ?? 'normal';
  if (RANK[now] > RANK[current])
    return {
      level: now,
      change: 'raised',
      zh: `个贷率等指标达到${LEVEL_ZH[now]}条件，预警升至${LEVEL_ZH[now]}`,
      en: `The figures meet ${now}: the alert rises to ${now}`,
    };
  const recent = indicated.slice(-ALERT_MONTHS);
  if (
    RANK[current] > 0 &&
    monthsInForce >= ALERT_MONTHS &&
    recent.length === ALERT_MONTHS &&
    recent.every((level) => RANK[level] < RANK[current])
  ) {
    const lower = BY_RANK[RANK[current] - 1]!;
    return {
      level: lower,
      change: 'stepped_down',
      zh: `连续 ${ALERT_MONTHS} 个月低于${LEVEL_ZH[current]}，降一级至${LEVEL_ZH[lower]}`,
      en: `${ALERT_MONTHS} months in a row below ${current}: steps down one band to ${lower}`,
    };
  }
  return {
    level: current,
    change: 'held',
    zh: `维持${LEVEL_ZH[current]}`,
    en: `Stays ${current}`,
  };
}
