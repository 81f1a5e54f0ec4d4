// Checks the forms run before sending, so the common slips are caught at the field; the server still
// decides and its coded error is shown when it refuses.
import { isYuanAmount } from '../lib/money.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** A mainland resident ID number (GB 11643-1999): 18 characters with a valid check character. */
export function isResidentIdNumber(value: string): boolean {
  const id = value.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(id[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11] === id[17];
}

export const PHONE = /^1\d{10}$/;

/** antd rule: a positive yuan amount with at most two decimals. */
export function yuanRule(message: string) {
  return {
    validator: (_: unknown, value: unknown) =>
      value === undefined || value === null || value === '' || isYuanAmount(String(value).trim())
        ? Promise.resolve()
        : Promise.reject(new Error(message)),
  };
}
