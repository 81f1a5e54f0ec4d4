// Sessions: opaque tokens stored as hashes, sliding idle expiry, revocation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-db.ts';
import { hashPassword } from './passwords.ts';
import {
  createSession,
  DEFAULT_SESSION_POLICY,
  resolveSession,
  resolveSessionDetails,
  revokeAllSessions,
  revokeSession,
  tokenHash,
} from './sessions.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = new Date('2025-03-03T08:00:00Z');
const after = (ms: number) => new Date(T0.getTime() + ms);

let db: TestDatabase;
let staffId: bigint;
let depositorId: bigint;

beforeAll(async () => {
  db = await createTestDatabase();
  staffId = (
    await db.db
      .insertInto('staff_users')
      .values({
        username: 'viewer',
        display_name: 'Viewer',
        password_hash: await hashPassword('x1234567'),
        roles: ['district_viewer'],
        district_code: '150203',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  depositorId = (
    await db.db
      .insertInto('depositors')
      .values({
        id_type: 'resident',
        id_number_hash: 'h1',
        id_number_enc: 'e1',
        id_number_masked: 'm1',
        name: '张三',
        gender: 'male',
        birth_date: '1990-01-01',
        retirement_group: 'male',
        phone: '13800000000',
        district_code: '150203',
        employment_form: 'part_time',
        civil_capacity_declared: true,
        no_unit_account_elsewhere_declared: true,
        registered_channel: 'counter',
        registered_by: 'staff:test',
        registered_on: '2025-03-03',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
});

afterAll(async () => {
  await db?.close();
});

describe('sessions', () => {
  it('store only the SHA-256 of a 32-byte base64url token and resolve to the actor', async () => {
    const { token, expiresAt } = await createSession(db.db, {
      principal: { type: 'staff', id: staffId },
      now: T0,
    });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toEqual(after(8 * HOUR));
    const rows = await db.db.selectFrom('sessions').select('token_hash').execute();
    expect(rows.map((r) => r.token_hash)).toContain(tokenHash(token));
    expect(rows.map((r) => r.token_hash)).not.toContain(token);
    expect(await resolveSession(db.db, token, T0)).toEqual({
      type: 'staff',
      id: staffId,
      username: 'viewer',
      roles: ['district_viewer'],
      districtCode: '150203',
    });
  });

  it('a depositor session carries the depositor id and idles out after 30 minutes', async () => {
    const { token } = await createSession(db.db, {
      principal: { type: 'depositor', id: depositorId },
      now: T0,
    });
    expect(await resolveSession(db.db, token, after(29 * MINUTE))).toEqual({
      type: 'depositor',
      id: depositorId,
      depositorId,
    });
    // Used at 29 minutes: alive until 59.
    expect(await resolveSession(db.db, token, after(58 * MINUTE))).not.toBeNull();
    expect(await resolveSession(db.db, token, after(58 * MINUTE + 30 * MINUTE))).toBeNull();
  });

  it('sliding expiry: each use moves the end to now + idle time', async () => {
    const { token } = await createSession(db.db, { principal: { type: 'staff', id: staffId }, now: T0 });
    const details = await resolveSessionDetails(db.db, token, after(2 * HOUR));
    expect(details?.expiresAt).toEqual(after(10 * HOUR));
    expect(await resolveSession(db.db, token, after(9 * HOUR))).not.toBeNull();
    expect(await resolveSession(db.db, token, after(17 * HOUR + MINUTE))).toBeNull();
  });

  it('the idle times are configurable', async () => {
    const policy = { ...DEFAULT_SESSION_POLICY, staffIdleMs: 10 * MINUTE };
    const { token, expiresAt } = await createSession(db.db, {
      principal: { type: 'staff', id: staffId },
      now: T0,
      policy,
    });
    expect(expiresAt).toEqual(after(10 * MINUTE));
    expect(await resolveSession(db.db, token, after(11 * MINUTE), policy)).toBeNull();
  });

  it('revoked, unknown and malformed tokens resolve to nothing', async () => {
    const { token } = await createSession(db.db, { principal: { type: 'staff', id: staffId }, now: T0 });
    expect(await revokeSession(db.db, token, after(MINUTE))).toBe(true);
    expect(await revokeSession(db.db, token, after(MINUTE))).toBe(false);
    expect(await resolveSession(db.db, token, after(2 * MINUTE))).toBeNull();
    expect(await resolveSession(db.db, 'A'.repeat(43), T0)).toBeNull();
    expect(await resolveSession(db.db, "'; drop table sessions; --", T0)).toBeNull();
  });

  it('revokeAllSessions ends every live session of one principal only', async () => {
    const a = await createSession(db.db, { principal: { type: 'depositor', id: depositorId }, now: T0 });
    const b = await createSession(db.db, { principal: { type: 'depositor', id: depositorId }, now: T0 });
    const staff = await createSession(db.db, { principal: { type: 'staff', id: staffId }, now: T0 });
    expect(
      await revokeAllSessions(db.db, { type: 'depositor', id: depositorId }, after(MINUTE)),
    ).toBeGreaterThanOrEqual(2);
    expect(await resolveSession(db.db, a.token, after(2 * MINUTE))).toBeNull();
    expect(await resolveSession(db.db, b.token, after(2 * MINUTE))).toBeNull();
    expect(await resolveSession(db.db, staff.token, after(2 * MINUTE))).not.toBeNull();
  });
});
