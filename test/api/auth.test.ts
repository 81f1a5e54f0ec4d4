// Authentication and access through the HTTP API (app.inject on a fresh database): staff and depositor
// logins, the failed-login lock, sessions, logout, declared access on every route, the error shape and
// the OpenAPI document.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertDepositorSelf, assertDistrictScope, scopedDistrict } from '../../src/api/access.ts';
import { buildApp } from '../../src/api/app.ts';
import { AppError } from '../../src/domain/errors.ts';
import type { Actor } from '../../src/domain/roles.ts';
import { SimulatedSmsGateway } from '../../src/integrations/sms.ts';
import { setDepositorPassword } from '../../src/services/auth/set-depositor-password.ts';
import { residentId } from '../support/people.ts';
import { bearer, createTestApp, TEST_PASSWORD, type TestApp } from './test-app.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let t: TestApp;
let ipCounter = 0;
/** A fresh client address per test: the IP lock of one test must not leak into another. */
function freshIp(): string {
  ipCounter += 1;
  return `192.0.2.${ipCounter}`;
}

beforeAll(async () => {
  t = await createTestApp({
    // A route area only the tests mount: district scoping and an unexpected failure.
    extraV1Routes: [
      async (app: FastifyInstance) => {
        app.get<{ Params: { district: string } }>(
          '/test/districts/:district',
          { config: { access: { staff: true } } },
          async (request) => {
            assertDistrictScope(request.actor!, request.params.district);
            return { district: request.params.district };
          },
        );
        app.get('/test/boom', { config: { access: { public: true } } }, async () => {
          throw new Error('secret internal detail');
        });
      },
    ],
  });
});

afterAll(async () => {
  await t?.close();
});

function staffLogin(username: string, password: string, ip: string) {
  return t.inject({
    method: 'POST',
    url: '/api/v1/auth/staff/login',
    payload: { username, password },
    remoteAddress: ip,
  });
}

function depositorLogin(idNumber: string, password: string, ip: string) {
  return t.inject({
    method: 'POST',
    url: '/api/v1/auth/depositor/login',
    payload: { idNumber, password },
    remoteAddress: ip,
  });
}

function verifyCode(challengeId: string, code: string, ip: string) {
  return t.inject({
    method: 'POST',
    url: '/api/v1/auth/depositor/verify',
    payload: { challengeId, code },
    remoteAddress: ip,
  });
}

function me(token?: string) {
  return t.inject({ method: 'GET', url: '/api/v1/auth/me', headers: token ? bearer(token) : {} });
}

describe('staff login', () => {
  it('a right user name and password open a session and write an audit row', async () => {
    const user = await t.createStaff({ username: 'teller.ok', roles: ['teller'] });
    const res = await staffLogin('Teller.OK', user.password, freshIp());
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.actor).toEqual({
      type: 'staff',
      id: String(user.id),
      username: 'teller.ok',
      roles: ['teller'],
      districtCode: null,
    });
    expect(new Date(body.expiresAt).getTime()).toBe(t.clock.now().getTime() + 8 * HOUR);

    const who = await me(body.token);
    expect(who.statusCode).toBe(200);
    expect(who.json()).toMatchObject({ actor: { username: 'teller.ok' }, displayName: 'Test teller.ok' });

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor', 'subject_id'])
      .where('action', '=', 'auth.login')
      .where('actor', '=', 'staff:teller.ok')
      .execute();
    expect(audit).toEqual([{ actor: 'staff:teller.ok', subject_id: String(user.id) }]);
    // Only the hash of the token is stored.
    const stored = await t.db.selectFrom('sessions').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(body.token);
  });

  it('a wrong password and an unknown user get the same answer, which does not say which part was wrong', async () => {
    await t.createStaff({ username: 'teller.wrong', roles: ['teller'] });
    const wrongPassword = await staffLogin('teller.wrong', 'not-the-password1', freshIp());
    const unknownUser = await staffLogin('nobody.here', 'not-the-password1', freshIp());
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownUser.statusCode).toBe(401);
    expect(wrongPassword.json()).toEqual(unknownUser.json());
    expect(wrongPassword.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    const attempts = await t.db
      .selectFrom('login_attempts')
      .select(['succeeded'])
      .where('principal_key', '=', 'staff:teller.wrong')
      .execute();
    expect(attempts).toEqual([{ succeeded: false }]);
  });

  it('a disabled user is refused even with the right password', async () => {
    const user = await t.createStaff({ username: 'teller.gone', roles: ['teller'], active: false });
    const res = await staffLogin(user.username, user.password, freshIp());
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('STAFF_USER_INACTIVE');
  });
});

describe('the failed-login lock: 5 failures in 15 minutes lock for 15 minutes', () => {
  it('the 6th attempt of a user is refused with 429 even with the right password, from any address', async () => {
    const user = await t.createStaff({ username: 'teller.locked', roles: ['teller'] });
    for (let i = 0; i < 5; i += 1) {
      t.clock.advance(MINUTE);
      const res = await staffLogin(user.username, `wrong-password-${i}`, freshIp());
      expect(res.statusCode).toBe(401);
    }
    const sixth = await staffLogin(user.username, user.password, freshIp());
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json()).toMatchObject({ code: 'LOGIN_RATE_LIMITED', details: { retryAfterSeconds: 900 } });
    expect(sixth.headers['retry-after']).toBe('900');

    t.clock.advance(14 * MINUTE);
    expect((await staffLogin(user.username, user.password, freshIp())).statusCode).toBe(429);
    t.clock.advance(MINUTE);
    expect((await staffLogin(user.username, user.password, freshIp())).statusCode).toBe(200);
  });

  it('failures spread over more than 15 minutes do not lock', async () => {
    const user = await t.createStaff({ username: 'teller.slow', roles: ['teller'] });
    for (let i = 0; i < 6; i += 1) {
      t.clock.advance(4 * MINUTE);
      expect((await staffLogin(user.username, 'wrong-password-1', freshIp())).statusCode).toBe(401);
    }
    expect((await staffLogin(user.username, user.password, freshIp())).statusCode).toBe(200);
  });

  it('one address guessing many users is locked; other addresses are not', async () => {
    const user = await t.createStaff({ username: 'teller.shared', roles: ['teller'] });
    const attacker = freshIp();
    for (let i = 0; i < 5; i += 1) {
      expect((await staffLogin(`guess${i}`, 'wrong-password-1', attacker)).statusCode).toBe(401);
    }
    expect((await staffLogin(user.username, user.password, attacker)).statusCode).toBe(429);
    expect((await staffLogin(user.username, user.password, freshIp())).statusCode).toBe(200);
    t.clock.advance(15 * MINUTE);
  });
});

describe('sessions', () => {
  it('a staff session ends after 8 idle hours; each use pushes the end out', async () => {
    const user = await t.createStaff({ username: 'teller.idle', roles: ['teller'] });
    const token = await t.loginStaff(user.username, user.password, freshIp());
    t.clock.advance(7 * HOUR);
    expect((await me(token)).statusCode).toBe(200);
    t.clock.advance(7 * HOUR);
    expect((await me(token)).statusCode).toBe(200);
    t.clock.advance(8 * HOUR + MINUTE);
    const expired = await me(token);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('UNAUTHENTICATED');
  });

  it('a depositor session ends after 30 idle minutes', async () => {
    const depositor = await t.createDepositor();
    const token = await t.loginDepositor(depositor, freshIp());
    t.clock.advance(29 * MINUTE);
    expect((await me(token)).statusCode).toBe(200);
    t.clock.advance(31 * MINUTE);
    expect((await me(token)).statusCode).toBe(401);
  });

  it('logout ends the session', async () => {
    const user = await t.createStaff({ username: 'teller.bye', roles: ['teller'] });
    const token = await t.loginStaff(user.username, user.password, freshIp());
    const out = await t.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(token) });
    expect(out.statusCode).toBe(204);
    expect((await me(token)).statusCode).toBe(401);
  });

  it('a disabled user loses open sessions', async () => {
    const user = await t.createStaff({ username: 'teller.fired', roles: ['teller'] });
    const token = await t.loginStaff(user.username, user.password, freshIp());
    await t.db.updateTable('staff_users').set({ active: false }).where('id', '=', user.id).execute();
    expect((await me(token)).statusCode).toBe(401);
  });
});

describe('depositor login in two steps: password, then the SMS code', () => {
  it('the code sent by SMS opens a depositor session', async () => {
    const depositor = await t.createDepositor({ phone: '13812345678' });
    const ip = freshIp();
    const start = await depositorLogin(depositor.idNumber, depositor.password, ip);
    expect(start.statusCode).toBe(200);
    const challenge = start.json();
    expect(challenge.maskedPhone).toBe('138****5678');
    expect(challenge.simulatedCode).toMatch(/^\d{6}$/);
    expect(t.sms.lastCodeFor('13812345678')).toBe(challenge.simulatedCode);
    expect(t.sms.messagesTo('13812345678').at(-1)?.text).toContain(challenge.simulatedCode);

    const verify = await verifyCode(challenge.challengeId, challenge.simulatedCode, ip);
    expect(verify.statusCode).toBe(200);
    expect(verify.json().actor).toEqual({
      type: 'depositor',
      id: String(depositor.id),
      depositorId: String(depositor.id),
    });
    const who = await me(verify.json().token);
    expect(who.json()).toMatchObject({
      actor: { depositorId: String(depositor.id) },
      displayName: '测试缴存人',
    });

    // A code works once.
    const again = await verifyCode(challenge.challengeId, challenge.simulatedCode, ip);
    expect(again.statusCode).toBe(401);
    expect(again.json().code).toBe('OTP_CHALLENGE_EXPIRED');
  });

  it('the ID number may be typed with blanks, a lower-case x, or as a legacy 15-digit number', async () => {
    const idNumber = residentId('150203', '1985-02-03', 418);
    const depositor = await t.createDepositor({ idNumber });
    const legacy15 = idNumber.slice(0, 6) + idNumber.slice(8, 17);
    for (const typed of [`  ${idNumber.toLowerCase()} `, legacy15]) {
      const res = await depositorLogin(typed, depositor.password, freshIp());
      expect(res.statusCode).toBe(200);
    }
  });

  it('a wrong password, an unknown ID number and a depositor without a portal password get the same 401', async () => {
    const depositor = await t.createDepositor();
    const noPassword = await t.createDepositor({ password: null });
    const answers = await Promise.all([
      depositorLogin(depositor.idNumber, 'wrong-password-1', freshIp()),
      depositorLogin(residentId('150203', '1970-01-01', 998), 'wrong-password-1', freshIp()),
      depositorLogin(noPassword.idNumber, 'wrong-password-1', freshIp()),
    ]);
    for (const res of answers) {
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('INVALID_CREDENTIALS');
    }
  });

  it('a wrong code counts down; the 5th wrong code burns the challenge', async () => {
    const depositor = await t.createDepositor();
    const ip = freshIp();
    const challenge = (await depositorLogin(depositor.idNumber, depositor.password, ip)).json();
    const wrong = challenge.simulatedCode === '000000' ? '111111' : '000000';
    const first = await verifyCode(challenge.challengeId, wrong, ip);
    expect(first.statusCode).toBe(401);
    expect(first.json()).toMatchObject({
      code: 'OTP_CODE_INCORRECT',
      field: 'code',
      details: { attemptsLeft: 4 },
    });
    for (let i = 0; i < 3; i += 1) await verifyCode(challenge.challengeId, wrong, ip);
    const fifth = await verifyCode(challenge.challengeId, wrong, ip);
    expect(fifth.json().code).toBe('OTP_ATTEMPTS_EXHAUSTED');
    // Now even the right code is refused: by the burnt challenge, and the 5 failures lock the depositor.
    const right = await verifyCode(challenge.challengeId, challenge.simulatedCode, freshIp());
    expect(right.statusCode).toBe(429);
    t.clock.advance(15 * MINUTE);
    const later = await verifyCode(challenge.challengeId, challenge.simulatedCode, freshIp());
    expect(later.json().code).toBe('OTP_ATTEMPTS_EXHAUSTED');
  });

  it('a code expires after 5 minutes', async () => {
    const depositor = await t.createDepositor();
    const ip = freshIp();
    const challenge = (await depositorLogin(depositor.idNumber, depositor.password, ip)).json();
    t.clock.advance(5 * MINUTE);
    const res = await verifyCode(challenge.challengeId, challenge.simulatedCode, ip);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('OTP_CHALLENGE_EXPIRED');
  });

  it('a new login supersedes the previous code', async () => {
    const depositor = await t.createDepositor();
    const ip = freshIp();
    const first = (await depositorLogin(depositor.idNumber, depositor.password, ip)).json();
    const second = (await depositorLogin(depositor.idNumber, depositor.password, ip)).json();
    expect((await verifyCode(first.challengeId, first.simulatedCode, ip)).json().code).toBe(
      'OTP_CHALLENGE_EXPIRED',
    );
    expect((await verifyCode(second.challengeId, second.simulatedCode, ip)).statusCode).toBe(200);
  });

  it('5 wrong passwords lock the ID number: the 6th is refused with 429 even when right', async () => {
    const depositor = await t.createDepositor();
    for (let i = 0; i < 5; i += 1) {
      expect((await depositorLogin(depositor.idNumber, `wrong-password-${i}`, freshIp())).statusCode).toBe(
        401,
      );
    }
    const sixth = await depositorLogin(depositor.idNumber, depositor.password, freshIp());
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json().code).toBe('LOGIN_RATE_LIMITED');
    t.clock.advance(15 * MINUTE);
  });

  it('a malformed ID number is a validation error and counts nothing', async () => {
    const ip = freshIp();
    const res = await depositorLogin('150203199005171230', TEST_PASSWORD, ip); // wrong check character
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'ID_NUMBER_CHECKSUM', field: 'idNumber' });
    const counted = await t.db
      .selectFrom('login_attempts')
      .select('id')
      .where('client_ip', '=', ip)
      .execute();
    expect(counted).toEqual([]);
  });
});

describe('declared access on every route', () => {
  it('a protected route without a token is 401, with a malformed or unknown token too', async () => {
    for (const headers of [{}, { authorization: 'Basic abc' }, bearer('x'.repeat(43))]) {
      const res = await t.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('UNAUTHENTICATED');
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
  });

  it('a staff-only route refuses a depositor (403) and staff without the role (403)', async () => {
    const depositorToken = await t.loginDepositor(await t.createDepositor(), freshIp());
    const teller = await t.createStaff({ username: 'teller.noadmin', roles: ['teller'] });
    const tellerToken = await t.loginStaff(teller.username, teller.password, freshIp());
    const payload = { username: 'x.user', displayName: 'X', password: 'abc12345', roles: ['teller'] };
    for (const token of [depositorToken, tellerToken]) {
      const res = await t.inject({
        method: 'POST',
        url: '/api/v1/staff-users',
        headers: bearer(token),
        payload,
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
    }
  });

  it('a route under /api/v1 without config.access makes buildApp fail', async () => {
    const sms = new SimulatedSmsGateway();
    await expect(
      buildApp({
        db: t.db,
        sms,
        databaseKind: 'pglite',
        extraV1Routes: [async (app) => void app.get('/undeclared', async () => ({}))],
      }),
    ).rejects.toThrow(/GET \/api\/v1\/undeclared: config.access is missing/);
    await expect(
      buildApp({
        db: t.db,
        sms,
        databaseKind: 'pglite',
        extraV1Routes: [
          async (app) =>
            void app.get(
              '/typo',
              { config: { access: { roles: ['cashier' as 'teller'] } } },
              async () => ({}),
            ),
        ],
      }),
    ).rejects.toThrow(/unknown roles: cashier/);
  });

  it('a district viewer reaches only their district; other staff reach every district', async () => {
    const viewer = await t.createStaff({
      username: 'viewer.kdl',
      roles: ['district_viewer'],
      districtCode: '150203',
    });
    const manager = await t.createStaff({ username: 'manager.city', roles: ['manager'] });
    const viewerToken = await t.loginStaff(viewer.username, viewer.password, freshIp());
    const managerToken = await t.loginStaff(manager.username, manager.password, freshIp());
    const get = (token: string, district: string) =>
      t.inject({ method: 'GET', url: `/api/v1/test/districts/${district}`, headers: bearer(token) });
    expect((await get(viewerToken, '150203')).statusCode).toBe(200);
    expect((await get(viewerToken, '150202')).statusCode).toBe(403);
    expect((await get(managerToken, '150202')).statusCode).toBe(200);
  });

  it('scoping helpers: depositors see only themselves; district viewers only their district', () => {
    const depositor: Actor = { type: 'depositor', id: 7n, depositorId: 7n };
    const viewer: Actor = {
      type: 'staff',
      id: 1n,
      username: 'v',
      roles: ['district_viewer'],
      districtCode: '150204',
    };
    const viewerAndTeller: Actor = { ...viewer, roles: ['district_viewer', 'teller'] };
    const teller: Actor = { type: 'staff', id: 2n, username: 't', roles: ['teller'], districtCode: null };
    expect(() => assertDepositorSelf(depositor, 7n)).not.toThrow();
    expect(() => assertDepositorSelf(depositor, '7')).not.toThrow();
    expect(() => assertDepositorSelf(depositor, 8n)).toThrow(AppError);
    expect(() => assertDepositorSelf(teller, 8n)).not.toThrow();
    expect(scopedDistrict(viewer)).toBe('150204');
    expect(scopedDistrict(viewerAndTeller)).toBeNull();
    expect(scopedDistrict(teller)).toBeNull();
    expect(() => scopedDistrict(depositor)).toThrow(AppError);
    expect(() => assertDistrictScope(viewer, '150202')).toThrow(AppError);
    expect(() => assertDistrictScope(teller, '150202')).not.toThrow();
  });
});

describe('creating staff users (admin)', () => {
  it('an admin creates a user, who can then log in; the creation is audited', async () => {
    const adminToken = await t.loginStaff(t.adminUsername, TEST_PASSWORD, freshIp());
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/staff-users',
      headers: bearer(adminToken),
      payload: {
        username: 'Viewer.Qs',
        displayName: '青山 查看员',
        password: 'view2025ok',
        roles: ['district_viewer'],
        districtCode: '150204',
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      username: 'viewer.qs',
      roles: ['district_viewer'],
      districtCode: '150204',
    });
    expect(res.json().id).toMatch(/^\d+$/);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor', 'summary'])
      .where('action', '=', 'staff_user.create')
      .where('subject_id', '=', res.json().id)
      .executeTakeFirstOrThrow();
    expect(audit.actor).toBe('staff:admin');
    expect(JSON.stringify(audit.summary)).not.toContain('view2025ok');
    expect((await staffLogin('viewer.qs', 'view2025ok', freshIp())).statusCode).toBe(200);
  });

  it('refuses a taken name (409), a weak password and a district viewer without district (400)', async () => {
    const adminToken = await t.loginStaff(t.adminUsername, TEST_PASSWORD, freshIp());
    const create = (payload: Record<string, unknown>) =>
      t.inject({
        method: 'POST',
        url: '/api/v1/staff-users',
        headers: bearer(adminToken),
        payload: {
          username: 'new.user',
          displayName: 'New',
          password: 'good2025pw',
          roles: ['teller'],
          ...payload,
        },
      });
    const taken = await create({ username: 'admin' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'USERNAME_TAKEN', field: 'username' });
    const weak = await create({ password: 'onlyletters' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ code: 'PASSWORD_TOO_WEAK', field: 'password' });
    const noDistrict = await create({ roles: ['district_viewer'] });
    expect(noDistrict.json()).toMatchObject({ code: 'DISTRICT_REQUIRED', field: 'districtCode' });
    const unknownDistrict = await create({ districtCode: '999999' });
    expect(unknownDistrict.json()).toMatchObject({ code: 'UNKNOWN_DISTRICT', field: 'districtCode' });
    const users = await t.db
      .selectFrom('staff_users')
      .select('id')
      .where('username', '=', 'new.user')
      .execute();
    expect(users).toEqual([]);
  });
});

describe('setting a depositor password (registration and reset)', () => {
  it('a first setting enables the portal login; a reset by staff ends open sessions; both are audited', async () => {
    const depositor = await t.createDepositor({ password: null });
    const system: Actor = { type: 'system', id: 'registration' };
    const first = await setDepositorPassword({
      db: t.db,
      actor: system,
      depositorId: depositor.id,
      password: 'first2025',
      now: t.clock.now(),
    });
    expect(first).toEqual({ depositorId: depositor.id, reset: false, sessionsRevoked: 0 });
    const token = await t.loginDepositor({ ...depositor, password: 'first2025' }, freshIp());

    const teller = await t.createStaff({ username: 'teller.reset', roles: ['teller'] });
    const tellerActor: Actor = {
      type: 'staff',
      id: teller.id,
      username: teller.username,
      roles: ['teller'],
      districtCode: null,
    };
    const reset = await setDepositorPassword({
      db: t.db,
      actor: tellerActor,
      depositorId: depositor.id,
      password: 'second2025',
      now: t.clock.now(),
    });
    expect(reset).toMatchObject({ reset: true, sessionsRevoked: 1 });
    expect((await me(token)).statusCode).toBe(401);
    expect((await depositorLogin(depositor.idNumber, 'second2025', freshIp())).statusCode).toBe(200);

    const actions = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('subject_type', '=', 'depositor')
      .where('subject_id', '=', String(depositor.id))
      .where('action', 'like', 'depositor.password%')
      .orderBy('id')
      .execute();
    expect(actions).toEqual([
      { action: 'depositor.password_set', actor: 'system:registration' },
      { action: 'depositor.password_reset', actor: 'staff:teller.reset' },
    ]);
  });

  it('another depositor may not set it, and a weak password changes nothing', async () => {
    const depositor = await t.createDepositor();
    const other: Actor = { type: 'depositor', id: 999n, depositorId: 999n };
    await expect(
      setDepositorPassword({
        db: t.db,
        actor: other,
        depositorId: depositor.id,
        password: 'abc12345',
        now: t.clock.now(),
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const self: Actor = { type: 'depositor', id: depositor.id, depositorId: depositor.id };
    await expect(
      setDepositorPassword({
        db: t.db,
        actor: self,
        depositorId: depositor.id,
        password: 'short1',
        now: t.clock.now(),
      }),
    ).rejects.toMatchObject({ code: 'PASSWORD_TOO_WEAK', field: 'password' });
    expect((await depositorLogin(depositor.idNumber, depositor.password, freshIp())).statusCode).toBe(200);
  });
});

describe('errors and documents', () => {
  it('a schema violation is 400 VALIDATION_FAILED naming the field', async () => {
    const missing = await t.inject({
      method: 'POST',
      url: '/api/v1/auth/staff/login',
      payload: { username: 'a' },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      message_zh: '输入不符合要求',
      message_en: 'The input is not valid',
      field: 'password',
    });
    const badPattern = await t.inject({
      method: 'POST',
      url: '/api/v1/auth/depositor/verify',
      payload: { challengeId: '8c1f6c3e-1b2a-4c3d-9e8f-0a1b2c3d4e5f', code: '12ab' },
    });
    expect(badPattern.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'code' });
    const malformed = await t.inject({
      method: 'POST',
      url: '/api/v1/auth/staff/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('VALIDATION_FAILED');
  });

  it('an unexpected failure is 500 INTERNAL_ERROR without its details', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/v1/test/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      code: 'INTERNAL_ERROR',
      message_zh: '系统内部错误',
      message_en: 'Internal error',
    });
    expect(res.body).not.toContain('secret');
  });

  it('an unknown route is 404 NOT_FOUND', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/v1/nowhere' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
  });

  it('health reports the database and the business date', async () => {
    const before = await t.inject({ method: 'GET', url: '/api/health' });
    expect(before.json()).toEqual({ status: 'ok', database: t.handle.kind, businessDate: null });
    await t.db.insertInto('business_calendar').values({ id: 1, business_date: '2025-03-03' }).execute();
    const after = await t.inject({ method: 'GET', url: '/api/health' });
    expect(after.json().businessDate).toBe('2025-03-03');
  });

  it('the OpenAPI document lists the routes with their access', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/api/health',
      '/api/v1/auth/staff/login',
      '/api/v1/auth/depositor/login',
      '/api/v1/auth/depositor/verify',
      '/api/v1/auth/logout',
      '/api/v1/auth/me',
      '/api/v1/staff-users',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.paths['/api/v1/staff-users'].post.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/api/v1/staff-users'].post.description).toContain('Access: staff roles admin');
    expect(doc.paths['/api/v1/auth/staff/login'].post.security).toBeUndefined();
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('/api/docs serves the browsable documentation', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('swagger-ui');
  });
});
