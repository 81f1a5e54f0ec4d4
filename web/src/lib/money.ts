// Amounts travel as yuan strings with two decimals ("1234.56", the API's form) and show as ¥1,234.56.
// No floating point: the string is split, never parsed into a number.

/** "1234.56" → "¥1,234.56"; "-5.00" → "-¥5.00". */
export function formatYuan(amount: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}¥${grouped}.${fraction.padEnd(2, '0').slice(0, 2)}`;
}

/** Whether a user's entry is a positive yuan amount with at most two decimals (what the API accepts). */
export function isYuanAmount(value: string): boolean {
  return /^(0|[1-9]\d{0,11})(\.\d{1,2})?$/.test(value) && !/^0(\.0{1,2})?$/.test(value);
}

/** Masks an ID number for display: 150203********1234. */
export function maskIdNumber(id: string): string {
  return id.length > 10 ? `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}` : id;
}

/** Whether an API amount ("0.00") is zero. */
export function isZeroYuan(amount: string): boolean {
  return /^-?0*(\.0*)?$/.test(amount);
}
