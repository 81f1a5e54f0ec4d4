// The referral list for the housing-security department (rules.md §5.1, ours): depositors who asked to be
// referred and are still eligible on the business date (open or sealed account, consecutive covered months,
// no loan), as CSV or Excel. Set-based: one query counts consecutive months and leaves out anyone with a
// loan outstanding, for the whole list.
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { DbOrTx } from '../../db/connection.ts';
import { addMonthsToMonth, monthOf } from '../../domain/dates.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { districtScopeOf, type Actor } from '../../domain/roles.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { getIntegerParameter } from '../parameters/get-parameter.ts';

export interface ReferralRow {
  name: string;
  idNumberMasked: string;
  phone: string;
  districtCode: string;
  accountNumber: string;
  consecutiveMonths: number;
  balance: string;
  queues: string[];
  householdSize: number;
  requestedOn: string;
}

export async function listHousingReferrals(
  db: DbOrTx,
  actor: Actor,
): Promise<{ businessDate: string; rows: ReferralRow[] }> {
  const businessDate = await getBusinessDate(db);
  const latest = `${addMonthsToMonth(monthOf(businessDate), -1)}-01`;
  const minMonths = await getIntegerParameter(db, 'withdrawal.min_consecutive_months', businessDate);
  const scope = districtScopeOf(actor);
  const rows = await sql<{
    name: string;
    id_number_masked: string;
    phone: string;
    district_code: string;
    account_number: string;
    balance_fen: bigint;
    queues: string[];
    household_size: number;
    requested_on: string;
    consecutive: number;
  }>`
    WITH run AS (
      SELECT m.account_id, count(*)::int AS consecutive FROM (
        SELECT am.account_id, am.month,
          row_number() OVER (PARTITION BY am.account_id ORDER BY am.month DESC) AS rn
        FROM account_months am JOIN housing_referrals r ON r.account_id = am.account_id
        WHERE am.covered AND am.month <= ${latest}::date
      ) m
      WHERE m.month = (${latest}::date - ((m.rn - 1) * interval '1 month'))::date
      GROUP BY m.account_id
    )
    SELECT d.name, d.id_number_masked, d.phone, a.district_code, a.account_number, a.balance_fen,
      r.queues, r.household_size, r.requested_on::text AS requested_on, COALESCE(run.consecutive, 0) AS consecutive
    FROM housing_referrals r
    JOIN depositors d ON d.id = r.depositor_id
    JOIN accounts a ON a.id = r.account_id
    LEFT JOIN run ON run.account_id = r.account_id
    WHERE a.state IN ('01', '02') AND COALESCE(run.consecutive, 0) >= ${minMonths}
      ${scope === null ? sql`` : sql`AND a.district_code = ${scope}`}
      -- No loan outstanding, as loans/has-outstanding-loan.ts defines it: disbursed, as borrower or as
      -- spouse co-borrower (two probes, so each uses its index: loans_depositor, loans_spouse).
      AND NOT EXISTS (SELECT 1 FROM loans l WHERE l.status = 'disbursed' AND l.depositor_id = r.depositor_id)
      AND NOT EXISTS (SELECT 1 FROM loans l WHERE l.status = 'disbursed' AND l.spouse_depositor_id = r.depositor_id)
    ORDER BY r.requested_on, r.id`.execute(db);
  return {
    businessDate,
    rows: rows.rows.map((r) => ({
      name: r.name,
      idNumberMasked: r.id_number_masked,
      phone: r.phone,
      districtCode: r.district_code,
      accountNumber: r.account_number,
      consecutiveMonths: r.consecutive,
      balance: fenToYuanString(r.balance_fen),
      queues: r.queues,
      householdSize: r.household_size,
      requestedOn: r.requested_on,
    })),
  };
}

const HEADERS: Array<[keyof ReferralRow, string]> = [
  ['name', '姓名'],
  ['idNumberMasked', '证件号码'],
  ['phone', '联系电话'],
  ['districtCode', '行政区划'],
  ['accountNumber', '个人账号'],
  ['consecutiveMonths', '连续缴存月数'],
  ['balance', '账户余额'],
  ['queues', '申请保障类型'],
  ['householdSize', '家庭人口'],
  ['requestedOn', '申请日期'],
];

const QUEUE_LABELS: Record<string, string> = { public_rental: '公租房', affordable_rental: '保障性租赁住房' };

function cell(row: ReferralRow, key: keyof ReferralRow): string | number {
  const value = row[key];
  if (Array.isArray(value)) return value.map((q) => QUEUE_LABELS[q] ?? q).join('、');
  return value;
}

export function referralsCsv(rows: ReferralRow[]): string {
  const quote = (v: string | number) => {
    const text = String(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [HEADERS.map(([, h]) => h).join(',')];
  for (const row of rows) lines.push(HEADERS.map(([k]) => quote(cell(row, k))).join(','));
  // A BOM so spreadsheet programs read the Chinese text as UTF-8.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function referralsXlsx(rows: ReferralRow[], businessDate: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('住房保障推荐名单');
  sheet.addRow(HEADERS.map(([, h]) => h));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(HEADERS.map(([k]) => cell(row, k)));
  sheet.columns.forEach((c) => (c.width = 18));
  book.created = new Date(`${businessDate}T00:00:00Z`);
  return Buffer.from(await book.xlsx.writeBuffer());
}
