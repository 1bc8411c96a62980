import { residentIdNumber } from '../src/cli/province-model.js';

/** The n-th checksum-valid ID number of a child born 2021-2023 in Henan (distinct for n < 3 * 365 * 999 * 17). */
export function benchIdNumber(n: number): string {
  const area = String(410102 + (n % 17));
  const day = Math.floor(n / 17) % 1095;
  const seq = Math.floor(n / (17 * 1095)) + 1;
  return residentIdNumber(area, new Date(Date.UTC(2021, 0, 1) + day * 86_400_000).toISOString().slice(0, 10), seq);
}

/** Birth date and gender as the ID number says. */
export function fromIdNumber(id: string): { birthDate: string; gender: '1' | '2' } {
  return { birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`, gender: Number(id[16]) % 2 === 1 ? '1' : '2' };
}
