// The failed-login lock: 5 failures within 15 minutes lock a user (or an address) for 15 minutes.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-db.ts';
import type { AppError } from '../domain/errors.ts';
import { assertLoginAllowed, DEFAULT_RATE_LIMIT, lockedUntil, recordLoginAttempt } from './rate-limit.ts';

const MINUTE = 60_000;
const T0 = new Date('2025-03-03T08:00:00Z').getTime();
const at = (minutes: number) => new Date(T0 + minutes * MINUTE);

describe('lockedUntil (pure)', () => {
  it('5 failures within 15 minutes lock for 15 minutes from the 5th', () => {
    const failures = [0, 1, 2, 3, 10].map(at);
    expect(lockedUntil(failures, at(10))).toEqual(at(25));
    expect(lockedUntil(failures, at(24.9))).toEqual(at(25));
    expect(lockedUntil(failures, at(25))).toBeNull();
  });

  it('4 failures, or 5 spread over 15 minutes or more, do not lock', () => {
    expect(lockedUntil([0, 1, 2, 3].map(at), at(3))).toBeNull();
    expect(lockedUntil([0, 4, 8, 12, 15].map(at), at(15))).toBeNull();
  });

  it('a lock ends 15 minutes after the latest failure that completed 5 in a window (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 12 }).map((xs) => xs.sort((a, b) => a - b)),
        fc.integer({ min: 0, max: 150 }),
        (minutes, nowMinute) => {
          const failures = minutes.map(at);
          const now = at(nowMinute);
          const until = lockedUntil(failures, now);
          // Brute force: every failure that is the 5th within a 15-minute window starts a lock.
          let expected: number | null = null;
          for (let j = 4; j < minutes.length; j += 1) {
            if (minutes[j]! - minutes[j - 4]! < 15 && minutes[j]! + 15 > nowMinute) {
              expected = Math.max(expected ?? 0, minutes[j]! + 15);
            }
          }
          expect(until?.getTime() ?? null).toBe(expected === null ? null : at(expected).getTime());
          if (minutes.length < DEFAULT_RATE_LIMIT.maxFailures) expect(until).toBeNull();
        },
      ),
    );
  });
});

describe('assertLoginAllowed (login_attempts rows)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  async function fail(key: string, ip: string | null, minute: number) {
    await recordLoginAttempt(db.db, { principalKey: key, clientIp: ip, now: at(minute), succeeded: false });
  }
  async function refusal(key: string, ip: string | null, minute: number): Promise<AppError | null> {
    try {
      await assertLoginAllowed(db.db, { principalKey: key, clientIp: ip, now: at(minute) });
      return null;
    } catch (error) {
      return error as AppError;
    }
  }

  it('locks the principal and reports the seconds left; refusals do not extend the lock', async () => {
    for (let m = 0; m < 5; m += 1) await fail('staff:a', null, m);
    const refused = await refusal('staff:a', null, 5);
    expect(refused?.code).toBe('LOGIN_RATE_LIMITED');
    expect(refused?.details).toEqual({ retryAfterSeconds: 14 * 60 });
    expect((await refusal('staff:a', null, 10))?.code).toBe('LOGIN_RATE_LIMITED');
    expect(await refusal('staff:a', null, 19)).toBeNull();
    const rows = await db.db
      .selectFrom('login_attempts')
      .select('reason')
      .where('principal_key', '=', 'staff:a')
      .execute();
    expect(rows.filter((r) => r.reason === 'rate_limited')).toHaveLength(2);
  });

  it('a success clears the principal count, but not the address count', async () => {
    for (let m = 0; m < 4; m += 1) await fail('staff:b', '198.51.100.1', m);
    await recordLoginAttempt(db.db, {
      principalKey: 'staff:b',
      clientIp: '198.51.100.1',
      now: at(4),
      succeeded: true,
    });
    await fail('staff:b', '198.51.100.2', 5);
    expect(await refusal('staff:b', '198.51.100.9', 6)).toBeNull();
    await fail('staff:other', '198.51.100.1', 6);
    expect((await refusal('staff:c', '198.51.100.1', 7))?.code).toBe('LOGIN_RATE_LIMITED');
  });
});
