// The logged-in depositor as GET /me answers: profile, accounts and agreements.
import { api } from '../lib/api.ts';
import { useApi } from '../lib/useApi.ts';

export interface MyAccount {
  accountId: string;
  accountNumber: string;
  pool: string;
  kind: string;
  state: string;
  balance: string;
  openedOn: string;
  closedOn: string | null;
}

export interface MyAgreement {
  agreementId: string;
  agreementNumber: string;
  status: string;
  termsVersion: string;
  depositMode: 'monthly' | 'quarterly' | 'annual' | 'flexible';
  monthlyAmount: string | null;
  debitDay: number | null;
  bankName: string;
  bankCard: string;
  signedAt: string | null;
  textSha256: string | null;
  accountId: string | null;
}

export interface Me {
  depositorId: string;
  name: string;
  idNumberMasked: string;
  phone: string;
  districtCode: string;
  employmentForm: string;
  birthDate: string;
  retirementGroup: string;
  registeredOn: string;
  accounts: MyAccount[];
  agreements: MyAgreement[];
}

export function useMe() {
  return useApi((signal) => api<Me>('GET', '/me', { as: 'depositor', signal }), []);
}

/** The flexible account (the open one first). */
export function flexibleAccount(me: Me | undefined): MyAccount | undefined {
  const flex = me?.accounts.filter((a) => a.pool === 'FLEX') ?? [];
  return flex.find((a) => a.closedOn === null) ?? flex[0];
}

export function signedAgreement(me: Me | undefined): MyAgreement | undefined {
  return me?.agreements.find((a) => a.status === 'signed');
}

export const STATE_LABELS: Record<string, [string, string]> = {
  '01': ['正常', 'Normal'],
  '02': ['封存', 'Sealed'],
  '03': ['合并', 'Merged'],
  '04': ['外部转出销户', 'Closed by transfer out'],
  '05': ['提取销户', 'Closed by withdrawal'],
  '06': ['冻结', 'Frozen'],
  '99': ['其他', 'Other'],
};

export const MODE_LABELS: Record<string, [string, string]> = {
  monthly: ['按月缴存', 'Monthly'],
  quarterly: ['按季缴存', 'Quarterly'],
  annual: ['按年缴存', 'Annual'],
  flexible: ['灵活缴存', 'Flexible'],
};
