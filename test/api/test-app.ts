// Builds the API on a fresh test database with a movable clock and the SMS simulator, and logs users
// in: the starting point of every API test (through app.inject, no network).
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type BuildAppOptions } from '../../src/api/app.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { encryptIdNumber, idNumberHash, maskIdNumber } from '../../src/auth/pii.ts';
import type { Db } from '../../src/db/connection.ts';
import type { StaffRole } from '../../src/domain/roles.ts';
import { SimulatedSmsGateway } from '../../src/integrations/sms.ts';
import { residentId } from '../support/people.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

export const TEST_PASSWORD = 'secret2025';
/** The address test logins come from unless a test says otherwise (the rate limit counts per IP). */
export const TEST_IP = '10.0.0.1';

export interface TestClock {
  now(): Date;
  set(date: Date | string): void;
  advance(ms: number): void;
}

export function movableClock(start: Date | string): TestClock {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (date) => {
      current = new Date(date);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

export interface TestDepositor {
  id: bigint;
  idNumber: string;
  password: string;
  phone: string;
}

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  handle: TestDatabase;
  sms: SimulatedSmsGateway;
  clock: TestClock;
  /** The administrator every test app starts with (password TEST_PASSWORD). */
  adminUsername: string;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  createStaff(options: {
    username: string;
    roles: StaffRole[];
    districtCode?: string | null;
    password?: string;
    active?: boolean;
  }): Promise<{ id: bigint; username: string; password: string }>;
  createDepositor(options?: {
    idNumber?: string;
    password?: string | null;
    phone?: string;
    districtCode?: string;
    name?: string;
  }): Promise<TestDepositor>;
  /** Logs a staff user in and returns the token (throws when the login fails). */
  loginStaff(username: string, password?: string, ip?: string): Promise<string>;
  /** Both depositor login steps with the simulated SMS code; returns the token. */
  loginDepositor(depositor: TestDepositor, ip?: string): Promise<string>;
  close(): Promise<void>;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

let depositorSequence = 0;

export async function createTestApp(
  options: {
    start?: Date | string;
    extraV1Routes?: BuildAppOptions['extraV1Routes'];
    sessionPolicy?: BuildAppOptions['sessionPolicy'];
    /** The web build to serve; default none (API tests do not depend on a build). */
    webDir?: string | null;
  } = {},
): Promise<TestApp> {
  const handle = await createTestDatabase();
  const db = handle.db;
  const clock = movableClock(options.start ?? '2025-03-03T01:00:00Z');
  const sms = new SimulatedSmsGateway(clock.now);
  let app: FastifyInstance;
  try {
    app = await buildApp({
      db,
      sms,
      now: clock.now,
      databaseKind: handle.kind,
      sessionPolicy: options.sessionPolicy,
      extraV1Routes: options.extraV1Routes,
      webDir: options.webDir ?? null,
    });
  } catch (error) {
    await handle.close();
    throw error;
  }

  const inject = (request: InjectOptions) => app.inject({ remoteAddress: TEST_IP, ...request });

  const createStaff: TestApp['createStaff'] = async (o) => {
    const password = o.password ?? TEST_PASSWORD;
    const row = await db
      .insertInto('staff_users')
      .values({
        username: o.username,
        display_name: `Test ${o.username}`,
        password_hash: await hashPassword(password),
        roles: o.roles,
        district_code: o.districtCode ?? null,
        active: o.active ?? true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, username: o.username, password };
  };

  const createDepositor: TestApp['createDepositor'] = async (o = {}) => {
    depositorSequence += 1;
    const idNumber = o.idNumber ?? residentId('150203', '1990-05-17', 100 + depositorSequence);
    const password = o.password === undefined ? TEST_PASSWORD : o.password;
    const phone = o.phone ?? `1380000${String(1000 + depositorSequence).slice(-4)}`;
    const row = await db
      .insertInto('depositors')
      .values({
        id_type: 'resident',
        id_number_hash: idNumberHash(idNumber),
        id_number_enc: encryptIdNumber(idNumber),
        id_number_masked: maskIdNumber(idNumber),
        name: o.name ?? '测试缴存人',
        gender: 'male',
        birth_date: '1990-05-17',
        retirement_group: 'male',
        phone,
        district_code: o.districtCode ?? '150203',
        employment_form: 'new_forms',
        civil_capacity_declared: true,
        no_unit_account_elsewhere_declared: true,
        password_hash: password === null ? null : await hashPassword(password),
        registered_channel: 'counter',
        registered_by: 'staff:test',
        registered_on: '2025-03-03',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, idNumber, password: password ?? '', phone };
  };

  const loginStaff: TestApp['loginStaff'] = async (username, password = TEST_PASSWORD, ip = TEST_IP) => {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/auth/staff/login',
      payload: { username, password },
      remoteAddress: ip,
    });
    if (res.statusCode !== 200) throw new Error(`staff login failed: ${res.statusCode} ${res.body}`);
    return (res.json() as { token: string }).token;
  };

  const loginDepositor: TestApp['loginDepositor'] = async (depositor, ip = TEST_IP) => {
    const start = await inject({
      method: 'POST',
      url: '/api/v1/auth/depositor/login',
      payload: { idNumber: depositor.idNumber, password: depositor.password },
      remoteAddress: ip,
    });
    if (start.statusCode !== 200)
      throw new Error(`depositor login failed: ${start.statusCode} ${start.body}`);
    const { challengeId, simulatedCode } = start.json() as { challengeId: string; simulatedCode: string };
    const verify = await inject({
      method: 'POST',
      url: '/api/v1/auth/depositor/verify',
      payload: { challengeId, code: simulatedCode },
      remoteAddress: ip,
    });
    if (verify.statusCode !== 200)
      throw new Error(`depositor verify failed: ${verify.statusCode} ${verify.body}`);
    return (verify.json() as { token: string }).token;
  };

  const admin = await createStaff({ username: 'admin', roles: ['admin'] });

  return {
    app,
    db,
    handle,
    sms,
    clock,
    adminUsername: admin.username,
    inject,
    createStaff,
    createDepositor,
    loginStaff,
    loginDepositor,
    close: async () => {
      await app.close();
      await handle.close();
    },
  };
}
