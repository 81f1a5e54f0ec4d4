// Test fixtures: a depositor and a member account inserted directly (no services), with an opening
// balance posted through the ledger so the books stay balanced (rules.md §7: Σ members = 201).
import { randomBytes } from 'node:crypto';
import type { DbOrTx } from '../../src/db/connection.ts';
import type { Fen } from '../../src/domain/money.ts';
import { LEDGER } from '../../src/ledger/chart.ts';
import { postEntry } from '../../src/ledger/post.ts';

export interface TestAccountOptions {
  /** FLEX: a flexible account; MANDATORY: a unit account (an employer row is created for it). */
  pool?: 'FLEX' | 'MANDATORY';
  /** Opening balance, posted as Dr 101 / Cr 201 (entry type 'test_opening'). */
  balanceFen?: Fen;
  /** Write balanceFen on the account row only, bypassing the ledger (the books will not balance). */
  direct?: boolean;
  businessDate?: string;
  districtCode?: string;
}

/** Inserts a depositor and one open account; returns the account id. */
export async function insertTestAccount(db: DbOrTx, options: TestAccountOptions = {}): Promise<bigint> {
  const pool = options.pool ?? 'FLEX';
  const balanceFen = options.balanceFen ?? 0n;
  const businessDate = options.businessDate ?? '2024-01-02';
  const districtCode = options.districtCode ?? '150202';
  const tag = randomBytes(6).toString('hex');
  const depositor = await db
    .insertInto('depositors')
    .values({
      id_type: 'resident',
      id_number_hash: `test-${tag}`,
      id_number_enc: `test-${tag}`,
      id_number_masked: '1502**********000X',
      name: `测试${tag.slice(0, 4)}`,
      gender: 'male',
      birth_date: '1990-01-01',
      retirement_group: 'male',
      phone: '13800000000',
      district_code: districtCode,
      employment_form: 'new_forms',
      civil_capacity_declared: true,
      no_unit_account_elsewhere_declared: true,
      registered_channel: 'counter',
      registered_by: 'test',
      registered_on: businessDate,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  let employerId: bigint | null = null;
  if (pool === 'MANDATORY') {
    const employer = await db
      .insertInto('employers')
      .values({ code: `TEST-${tag}`, name: `测试单位${tag.slice(0, 4)}`, district_code: districtCode })
      .returning('id')
      .executeTakeFirstOrThrow();
    employerId = employer.id;
  }
  const account = await db
    .insertInto('accounts')
    .values({
      account_number: `T${tag}`,
      depositor_id: depositor.id,
      pool,
      kind: pool === 'FLEX' ? 'flexible' : 'unit',
      employer_id: employerId,
      state: '01',
      district_code: districtCode,
      opened_on: businessDate,
      ...(options.direct ? { balance_fen: balanceFen, current_year_fen: balanceFen } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (balanceFen > 0n && !options.direct) {
    const post = (tx: DbOrTx) =>
      postEntry(
        tx,
        {
          book: pool,
          businessDate,
          entryType: 'test_opening',
          postings: [
            { account: LEDGER.bank, side: 'D', amountFen: balanceFen },
            { account: LEDGER.members, side: 'C', amountFen: balanceFen, memberAccountId: account.id },
          ],
        },
        'system:test',
      );
    if (db.isTransaction) await post(db);
    else await db.transaction().execute(post);
  }
  return account.id;
}
