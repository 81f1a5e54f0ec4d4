// Error codes of authentication and user administration: logins, sessions, one-time codes, passwords.
import type { ErrorEntry } from './types.ts';

export const AUTH_ERRORS = {
  // Deliberately does not say whether the user name / ID number or the password was wrong.
  INVALID_CREDENTIALS: {
    kind: 'unauthenticated',
    zh: '账号或密码错误',
    en: 'Wrong user name, ID number or password',
  },
  LOGIN_RATE_LIMITED: {
    kind: 'rate_limited',
    zh: '登录失败次数过多，请稍后再试',
    en: 'Too many failed logins; please try again later',
  },
  STAFF_USER_INACTIVE: {
    kind: 'forbidden',
    zh: '该工作人员账号已停用',
    en: 'This staff account is disabled',
  },
  OTP_CHALLENGE_EXPIRED: {
    kind: 'unauthenticated',
    zh: '验证码已失效，请重新登录获取',
    en: 'The verification code has expired or was already used; please log in again',
  },
  OTP_CODE_INCORRECT: { kind: 'unauthenticated', zh: '验证码错误', en: 'The verification code is wrong' },
  OTP_ATTEMPTS_EXHAUSTED: {
    kind: 'unauthenticated',
    zh: '验证码错误次数过多，已失效，请重新登录',
    en: 'Too many wrong codes: this code is no longer valid; please log in again',
  },
  SMS_SEND_FAILED: {
    kind: 'internal',
    zh: '短信发送失败，请稍后再试',
    en: 'The text message could not be sent',
  },
  PASSWORD_TOO_WEAK: {
    kind: 'validation',
    zh: '密码至少 8 位，且须同时包含字母和数字',
    en: 'The password needs at least 8 characters with both letters and digits',
  },
  INVALID_USERNAME: {
    kind: 'validation',
    zh: '用户名须为 3–32 位小写字母、数字、点、下划线或连字符，并以字母开头',
    en: 'User names are 3–32 lower-case letters, digits, dots, underscores or hyphens, starting with a letter',
  },
  USERNAME_TAKEN: { kind: 'conflict', zh: '用户名已被使用', en: 'This user name is already taken' },
  INVALID_ROLES: { kind: 'validation', zh: '角色无效', en: 'Invalid roles' },
  DISTRICT_REQUIRED: {
    kind: 'validation',
    zh: '区县查看员必须指定所属区县',
    en: 'A district viewer needs a district',
  },
  UNKNOWN_DISTRICT: { kind: 'validation', zh: '区县代码不存在', en: 'Unknown district code' },
} as const satisfies Record<string, ErrorEntry>;
