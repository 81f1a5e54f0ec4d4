// Builds valid resident ID numbers for tests and the demo (GB 11643-1999 check character).
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function residentId(division: string, birthDate: string, sequence: number): string {
  const body = `${division}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  const sum = [...body].reduce((acc, ch, i) => acc + Number(ch) * WEIGHTS[i]!, 0);
  return body + CHECK[sum % 11]!;
}

/** Odd sequence digit = male, even = female. */
export function personId(birthDate: string, gender: 'male' | 'female', n = 1, division = '150203'): string {
  const seq = (n * 2 + (gender === 'male' ? 1 : 0)) % 1000;
  return residentId(division, birthDate, seq);
}
