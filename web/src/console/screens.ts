// The console's screens: path, menu label, icon and the roles that see each one. The roles follow the
// API's `config.access` so a menu never offers a screen whose calls would be refused.
import type { StaffRole } from './staff.tsx';

export const ALL_STAFF: readonly StaffRole[] = [
  'teller',
  'reviewer',
  'finance',
  'risk',
  'manager',
  'district_viewer',
  'admin',
];

export interface ScreenDef {
  key: string;
  path: string;
  zh: string;
  en: string;
  roles: readonly StaffRole[];
  /** Shown in the menu (detail screens are reached from a list). */
  menu: boolean;
}

export const SCREENS: readonly ScreenDef[] = [
  { key: 'dashboard', path: 'dashboard', zh: '业务总览', en: 'Dashboard', roles: ALL_STAFF, menu: true },
  { key: 'depositors', path: 'depositors', zh: '缴存人查询', en: 'Depositors', roles: ALL_STAFF, menu: true },
  {
    key: 'register',
    path: 'register',
    zh: '开户登记',
    en: 'Registration',
    roles: ['teller', 'manager', 'admin'],
    menu: true,
  },
  {
    key: 'deposit',
    path: 'deposit',
    zh: '柜面缴存',
    en: 'Counter deposit',
    roles: ['teller', 'manager'],
    menu: true,
  },
  {
    key: 'withdrawals',
    path: 'withdrawals',
    zh: '提取复核',
    en: 'Withdrawal review',
    roles: ['reviewer', 'manager'],
    menu: true,
  },
  {
    key: 'loans',
    path: 'loans',
    zh: '贷款审批',
    en: 'Loans',
    roles: ['teller', 'reviewer', 'finance', 'risk', 'manager', 'admin'],
    menu: true,
  },
  {
    key: 'reconciliation',
    path: 'reconciliation',
    zh: '银行对账',
    en: 'Reconciliation',
    roles: ['finance', 'manager'],
    menu: true,
  },
  {
    key: 'payouts',
    path: 'payouts',
    zh: '付款与退票',
    en: 'Payouts and returns',
    roles: ['finance', 'manager'],
    menu: true,
  },
  {
    key: 'referrals',
    path: 'housing-referrals',
    zh: '住房保障推荐',
    en: 'Housing referrals',
    roles: ['manager', 'reviewer', 'district_viewer'],
    menu: true,
  },
  {
    key: 'liquidity',
    path: 'liquidity',
    zh: '流动性监测',
    en: 'Liquidity',
    roles: ['finance', 'risk', 'manager'],
    menu: true,
  },
  {
    key: 'close',
    path: 'close',
    zh: '日终结账',
    en: 'Business-day close',
    roles: ['manager', 'admin', 'finance'],
    menu: true,
  },
  {
    key: 'imports',
    path: 'imports',
    zh: '社保数据导入',
    en: 'Social-insurance import',
    roles: ['teller', 'manager', 'admin'],
    menu: true,
  },
  { key: 'units', path: 'units', zh: '单位管理', en: 'Units', roles: ALL_STAFF, menu: true },
  {
    key: 'unit-imports',
    path: 'unit-imports',
    zh: '单位名册导入',
    en: 'Unit file import',
    roles: ['teller', 'manager', 'admin'],
    menu: true,
  },
  { key: 'transfers', path: 'transfers', zh: '转移接续', en: 'Transfers', roles: ALL_STAFF, menu: true },
  {
    key: 'parameters',
    path: 'parameters',
    zh: '参数管理',
    en: 'Parameters',
    roles: ['teller', 'reviewer', 'finance', 'risk', 'manager', 'admin'],
    menu: true,
  },
  {
    key: 'audit',
    path: 'audit',
    zh: '审计日志',
    en: 'Audit log',
    roles: ['manager', 'admin', 'risk'],
    menu: true,
  },
];

export function screenAllowed(key: string, roles: readonly StaffRole[]): boolean {
  const screen = SCREENS.find((s) => s.key === key);
  return !!screen && roles.some((r) => screen.roles.includes(r));
}
