// The demo center: one staff user per role (printed passwords), and about 200 depositors over every
// district, form of employment and deposit mode, each taken through the same services as the counter
// and the portal (registration, agreement, signature, opening), spread over past business dates. The
// demo's days are closed by the real business-day close with the in-process bank, so periodic depositors
// have their debits (and interest accruals, the June 30 settlement) and flexible ones pay at the counter.
// On the last day a few transfers between cities go through the in-process peer center.
import { AppError } from '../../domain/errors.ts';
import { addDays, compareDates, daysBetween, type IsoDate } from '../../domain/dates.ts';
import { idCheckCharacter } from '../../domain/identity.ts';
import { EMPLOYMENT_FORMS } from '../../domain/eligibility.ts';
import { DEPOSIT_MODES } from '../../domain/agreement.ts';
import type { Actor, StaffRole } from '../../domain/roles.ts';
import { createStaffUser } from '../auth/create-staff-user.ts';
import { initializeBusinessDate } from '../calendar/business-date.ts';
import { registerDepositor } from '../depositors/register-depositor.ts';
import { prepareAgreement } from '../agreements/prepare-agreement.ts';
import { signAgreement } from '../agreements/sign-agreement.ts';
import { openAccount } from '../accounts/open-account.ts';
import { recordCounterDeposit } from '../deposits/record-counter-deposit.ts';
import { createInProcessBank } from '../deposits/handle-bank-notification.ts';
import { closeDays } from '../../jobs/close-day.ts';
import type { BankGateway } from '../../integrations/bank/gateway.ts';
import type { Db } from '../../db/connection.ts';
import { seedDemoTransfers, type DemoAccount, type DemoTransfers } from './seed-demo-transfers.ts';

export const DEMO_PASSWORD = 'anju2025';

export const DEMO_STAFF: ReadonlyArray<{
  username: string;
  displayName: string;
  roles: StaffRole[];
  districtCode?: string;
}> = [
  { username: 'teller', displayName: '柜员 张敏', roles: ['teller'] },
  { username: 'reviewer', displayName: '复核 李强', roles: ['reviewer'] },
  { username: 'finance', displayName: '财务 王静', roles: ['finance'] },
  { username: 'risk', displayName: '风控 赵磊', roles: ['risk'] },
  { username: 'manager', displayName: '主任 刘洋', roles: ['manager'] },
  {
    username: 'kundulun',
    displayName: '昆都仑区 观察员',
    roles: ['district_viewer'],
    districtCode: '150203',
  },
  { username: 'admin', displayName: '系统管理员', roles: ['admin'] },
];

const DISTRICTS = [
  '150202',
  '150203',
  '150204',
  '150205',
  '150206',
  '150207',
  '150221',
  '150222',
  '150223',
  '150271',
];
const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎'.split(
    '',
  );
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华慧巧美淑惠珠翠雅芝玉萍红娥玲芬燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽'.split(
    '',
  );
const OCCUPATIONS = [
  '外卖骑手',
  '网约车司机',
  '快递员',
  '网络主播',
  '家政服务员',
  '个体商户',
  '自由撰稿人',
  '兼职教师',
  '货车司机',
  '设计师',
];
const BANKS = [
  '中国工商银行包头分行',
  '中国建设银行包头分行',
  '中国银行包头分行',
  '中国农业银行包头分行',
  '包商银行',
];

/** A small seeded generator so the demo is the same on every machine. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeedDemoOptions {
  db: Db;
  /** The first business date of the demo center. */
  from: IsoDate;
  /** The business date the demo ends on (registrations are spread between the two). */
  to: IsoDate;
  depositors?: number;
  now?: Date;
  /** The bank the demo's closes debit through; default the in-process simulator. */
  bank?: BankGateway;
  onProgress?: (done: number, total: number) => void;
}

export interface SeedDemoResult {
  staff: Array<{ username: string; password: string; roles: StaffRole[]; districtCode?: string }>;
  depositors: Array<{ name: string; idNumber: string; password: string; districtCode: string }>;
  transfers: DemoTransfers;
  businessDate: IsoDate;
}

export async function seedDemo(options: SeedDemoOptions): Promise<SeedDemoResult> {
  const { db, from, to } = options;
  const total = options.depositors ?? 200;
  const now = options.now ?? new Date();
  const system: Actor = { type: 'system', id: 'demo' };
  const existing = await db.selectFrom('staff_users').select('id').limit(1).executeTakeFirst();
  if (existing)
    throw new AppError('VALIDATION_FAILED', {
      field: 'database',
      details: { reason: 'the demo center already exists' },
    });

  const bank = options.bank ?? createInProcessBank({ db, timeoutMs: 50 });
  /** Closes every business day before `target` (the close advances the date). */
  const closeUntil = (target: IsoDate) => closeDays({ db, bank, actor: system, to: target });
  await initializeBusinessDate(db, from, system);
  for (const s of DEMO_STAFF) {
    await createStaffUser({ db, actor: system, ...s, password: DEMO_PASSWORD, now, businessDate: from });
  }
  const tellerRow = await db
    .selectFrom('staff_users')
    .select(['id'])
    .where('username', '=', 'teller')
    .executeTakeFirstOrThrow();
  const teller: Actor = {
    type: 'staff',
    id: tellerRow.id,
    username: 'teller',
    roles: ['teller'],
    districtCode: null,
  };

  const random = rng(20230913);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const span = Math.max(daysBetween(from, to), 0);
  const people = Array.from({ length: total }, (_, i) => ({
    i,
    day: Math.floor(random() * (span + 1)),
  })).sort((a, b) => a.day - b.day || a.i - b.i);
  const created: SeedDemoResult['depositors'] = [];
  const opened: DemoAccount[] = [];
  let date = from;
  for (const [n, { i, day }] of people.entries()) {
    const target = addDays(from, day);
    if (compareDates(target, date) > 0) {
      await closeUntil(target);
      date = target;
    }
    const gender = random() < 0.55 ? 'male' : 'female';
    // Men 20–57 and women 20–48 in 2025: all below the statutory retirement age (rules.md §10).
    const birthYear = gender === 'male' ? 1968 + Math.floor(random() * 38) : 1977 + Math.floor(random() * 29);
    const birth = `${birthYear}${String(1 + Math.floor(random() * 12)).padStart(2, '0')}${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
    const district = DISTRICTS[i % DISTRICTS.length]!;
    const sequence = (i * 2 + (gender === 'male' ? 1 : 0)) % 1000;
    const body = `${district === '150271' ? '150203' : district}${birth}${String(sequence).padStart(3, '0')}`;
    const idNumber = body + idCheckCharacter(body);
    const name = pick(SURNAMES) + pick(GIVEN) + (random() < 0.6 ? pick(GIVEN) : '');
    const form = EMPLOYMENT_FORMS[i % EMPLOYMENT_FORMS.length]!;
    const mode = DEPOSIT_MODES[(i >> 2) % DEPOSIT_MODES.length]!.code;
    try {
      const person = await registerDepositor({
        db,
        actor: i % 3 === 0 ? system : teller,
        channel: i % 3 === 0 ? 'self_service' : 'counter',
        idNumber,
        name,
        phone: `13${String(100000000 + Math.floor(random() * 899999999)).slice(0, 9)}`,
        districtCode: district,
        address: `包头市${['钢铁大街', '阿尔丁大街', '民族东路', '建设路', '友谊大街'][i % 5]}${1 + (i % 200)}号`,
        employmentForm: form,
        occupation: pick(OCCUPATIONS),
        civilCapacityDeclared: true,
        noUnitAccountElsewhereDeclared: true,
        password: DEMO_PASSWORD,
      });
      const monthly = mode === 'flexible' ? null : `${200 + Math.floor(random() * 30) * 100}.00`;
      const draft = await prepareAgreement({
        db,
        actor: teller,
        depositorId: person.depositorId,
        depositMode: mode,
        monthlyAmount: monthly,
        debitDay: mode === 'flexible' ? null : 1 + Math.floor(random() * 28),
        bankName: pick(BANKS),
        bankCard: `62${String(Math.floor(random() * 1e17)).padStart(17, '0')}`,
        consentDataCheck: true,
      });
      await signAgreement({
        db,
        actor: teller,
        agreementId: draft.agreementId,
        textSha256: draft.textSha256,
        signerName: person.name,
        clientIp: '127.0.0.1',
        userAgent: 'anju-demo',
        channel: i % 3 === 0 ? 'self_service' : 'counter',
        at: now,
      });
      const account = await openAccount({ db, actor: teller, depositorId: person.depositorId });
      if (mode === 'flexible') {
        // A flexible depositor's first payment, at the counter on the day of opening.
        await recordCounterDeposit({
          db,
          actor: teller,
          accountId: account.accountId,
          amount: `${5 + Math.floor(random() * 46)}00.00`,
          idempotencyKey: `demo-first-${i}`,
        });
      }
      created.push({ name, idNumber, password: DEMO_PASSWORD, districtCode: district });
      opened.push({ accountId: account.accountId, accountNumber: account.accountNumber, idNumber, name });
    } catch (error) {
      // A generated duplicate ID number is skipped; anything else is a real fault.
      if (!(error instanceof AppError && error.code === 'DEPOSITOR_ALREADY_REGISTERED')) throw error;
    }
    options.onProgress?.(n + 1, total);
  }
  if (compareDates(to, date) > 0) await closeUntil(to);
  // Taken across the list, so that the transfers fall in several districts.
  const transfers = await seedDemoTransfers({ db, teller, accounts: opened.filter((_, n) => n % 4 === 1) });
  return {
    staff: DEMO_STAFF.map((s) => ({ ...s, password: DEMO_PASSWORD })),
    depositors: created,
    transfers,
    businessDate: compareDates(to, date) > 0 ? to : date,
  };
}
