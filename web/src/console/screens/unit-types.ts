// The unit side as the API returns it (POST /units/imports, GET /units, GET /units/:id, remittances and
// seal / unseal), and the words for its codes.
import type { MalformedRow } from '../FileImport.tsx';

interface ReportedRow {
  row: number;
  employerCode: string;
  idNumberMasked: string;
  name: string;
}

export interface UnitImportCreated extends ReportedRow {
  accountId: string;
  accountNumber: string;
  monthlyBase: string | null;
  monthlyAmount: string | null;
  flexibleAccountNumber: string | null;
}

export type UnitUnmatchedReason =
  'no_depositor' | 'name_mismatch' | 'employer_name_mismatch' | 'unit_account_elsewhere';

export interface UnitImportUnmatched extends ReportedRow {
  reason: UnitUnmatchedReason;
}

export interface UnitImportReport {
  importId: string;
  fileName: string;
  fileSha256: string;
  duplicate: boolean;
  totalRows: number;
  employersCreated: Array<{ employerId: string; code: string; name: string }>;
  created: UnitImportCreated[];
  existing: Array<ReportedRow & { accountNumber: string }>;
  unmatched: UnitImportUnmatched[];
  malformed: MalformedRow[];
}

export interface UnitListItem {
  employerId: string;
  code: string;
  name: string;
  districtCode: string | null;
  normalAccounts: number;
  sealedAccounts: number;
  totalAccounts: number;
  lastRemittanceMonth: string | null;
}

export interface UnitAccount {
  accountId: string;
  accountNumber: string;
  depositorId: string;
  name: string;
  idNumberMasked: string;
  state: string;
  sealReason: string | null;
  sealedOn: string | null;
  monthlyBase: string | null;
  monthlyAmount: string | null;
  balance: string;
  openedOn: string;
  closedOn: string | null;
}

export interface UnitView {
  employerId: string;
  code: string;
  name: string;
  districtCode: string | null;
  accounts: UnitAccount[];
  remittances: Array<{ remittanceId: string; month: string; total: string; businessDate: string }>;
}

export interface RecordedRemittance {
  remittanceId: string;
  employerId: string;
  month: string;
  total: string;
  journalEntryId: string;
  lines: Array<{ accountId: string; accountNumber: string; amount: string }>;
  replayed: boolean;
}

export const UNMATCHED_REASON_WORDS: Record<UnitUnmatchedReason, [string, string]> = {
  no_depositor: ['无此缴存人', 'No such depositor'],
  name_mismatch: ['姓名不一致', 'Name does not match'],
  employer_name_mismatch: ['单位名称与已登记的不一致', 'Unit name differs from the one registered'],
  unit_account_elsewhere: ['已在其他单位有正常账户', 'Has a normal unit account at another unit'],
};
