// Password hashing and the minimum policy.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.ts';
import { assertPasswordPolicy, hashPassword, verifyAgainstDummy, verifyPassword } from './passwords.ts';

describe('password hashes', () => {
  it('are stored as scrypt$N$r$p$salt$hash with a fresh salt each time', async () => {
    const a = await hashPassword('anju2025');
    const b = await hashPassword('anju2025');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('anju2025', a)).toBe(true);
    expect(await verifyPassword('anju2025', b)).toBe(true);
  });

  it('accept only the exact password', async () => {
    const stored = await hashPassword('Pass word 1 密码');
    expect(await verifyPassword('Pass word 1 密码', stored)).toBe(true);
    for (const other of ['pass word 1 密码', 'Pass word 1 密码 ', '', 'Pass word 1']) {
      expect(await verifyPassword(other, stored)).toBe(false);
    }
  });

  it('never match a malformed stored value', async () => {
    for (const stored of ['', 'plain', 'bcrypt$x', 'scrypt$16384$8$1$salt$', 'scrypt$-1$8$1$c2FsdA$aGFzaA']) {
      expect(await verifyPassword('anything1', stored)).toBe(false);
    }
    expect(await verifyAgainstDummy('anything1')).toBe(false);
  });

  it('round-trip for any password (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), async (password) => {
        const stored = await hashPassword(password);
        expect(await verifyPassword(password, stored)).toBe(true);
        expect(await verifyPassword(`${password}x`, stored)).toBe(false);
      }),
      { numRuns: 8 },
    );
  });
});

describe('the minimum password policy: at least 8 characters with letters and digits', () => {
  it.each(['abcd1234', 'anju2025', '密码密码密码12', 'A1b2C3d4e5'])('accepts %s', (password) => {
    expect(() => assertPasswordPolicy(password)).not.toThrow();
  });

  it.each(['abc1234', 'abcdefgh', '12345678', '', 'a1'.repeat(65)])(
    'refuses %s with PASSWORD_TOO_WEAK',
    (password) => {
      expect(() => assertPasswordPolicy(password)).toThrow(AppError);
      try {
        assertPasswordPolicy(password, 'newPassword');
      } catch (error) {
        expect((error as AppError).code).toBe('PASSWORD_TOO_WEAK');
        expect((error as AppError).field).toBe('newPassword');
      }
    },
  );
});
