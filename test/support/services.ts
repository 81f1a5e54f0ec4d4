// Shortcuts for service tests: staff actors and a depositor taken through registration, agreement and opening.
import type { Db } from '../../src/db/connection.ts';
import type { Actor, StaffRole } from '../../src/domain/roles.ts';
import { initializeBusinessDate } from '../../src/services/calendar/business-date.ts';
import {
  registerDepositor,
  type RegisterDepositorInput,
} from '../../src/services/depositors/register-depositor.ts';
import { prepareAgreement } from '../../src/services/agreements/prepare-agreement.ts';
import { signAgreement } from '../../src/services/agreements/sign-agreement.ts';
import { openAccount } from '../../src/services/accounts/open-account.ts';
import { personId } from './people.ts';

let nextStaffId = 1000n;
export function staff(
  username: string,
  roles: StaffRole[] = ['teller'],
  districtCode: string | null = null,
): Actor {
  nextStaffId += 1n;
  return { type: 'staff', id: nextStaffId, username, roles, districtCode };
}

export const teller = staff('teller1', ['teller']);
export const reviewer = staff('reviewer1', ['reviewer']);
export const manager = staff('manager1', ['manager']);

export async function startCenter(db: Db, date = '2025-03-03'): Promise<void> {
  await initializeBusinessDate(db, date, { type: 'system', id: 'test' });
}

let counter = 0;
export function registration(
  db: Db,
  overrides: Partial<RegisterDepositorInput> = {},
): RegisterDepositorInput {
  counter += 1;
  return {
    db,
    actor: teller,
    channel: 'counter',
    idNumber: personId('1990-05-17', 'male', counter),
    name: `测试${counter}`,
    phone: '13800138000',
    districtCode: '150203',
    employmentForm: 'new_forms',
    civilCapacityDeclared: true,
    noUnitAccountElsewhereDeclared: true,
    ...overrides,
  };
}

/** Registers, prepares, signs and opens: a depositor with an open flexible account. */
export async function openedDepositor(
  db: Db,
  overrides: Partial<RegisterDepositorInput> = {},
  mode = 'monthly',
) {
  const person = await registerDepositor(registration(db, overrides));
  const draft = await prepareAgreement({
    db,
    actor: teller,
    depositorId: person.depositorId,
    depositMode: mode,
    monthlyAmount: mode === 'flexible' ? null : '500.00',
    debitDay: mode === 'flexible' ? null : 15,
    bankName: '中国建设银行包头分行',
    bankCard: '6217000010001234567',
    consentDataCheck: true,
  });
  await signAgreement({
    db,
    actor: teller,
    agreementId: draft.agreementId,
    textSha256: draft.textSha256,
    signerName: person.name,
    clientIp: '127.0.0.1',
    userAgent: 'vitest',
    channel: 'counter',
  });
  const account = await openAccount({ db, actor: teller, depositorId: person.depositorId });
  return { person, draft, account };
}
