import packaged from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { unavailable } from '../domain/domain-error.js';
import { addDays, beijingDate, weekday } from './beijing.js';
import type { HolidayOverride } from './holiday-override.js';

/**
 * China's working days: Monday to Friday, except statutory holidays (法定节假日), plus the
 * Saturdays and Sundays that are make-up working days (调休上班). Dates are Beijing calendar dates
 * ('YYYY-MM-DD', see beijing.ts). Deadlines counted in working days (transfers, reviews) use it
 * through the WORKING_DAYS token.
 *
 * A year neither the chinese-days package nor the operator's holiday file covers is refused
 * (503 `working-days-year-unknown`), never guessed as weekends only: a deadline counted across an
 * unannounced National Day would be a week early (docs/adr/0014-beijing-time-and-working-days.md).
 */
export interface WorkingDays {
  /** whether the year's holiday arrangement is known */
  covers(year: number): boolean;
  isWorkingDay(date: string): boolean;
  /** the date n working days after `date` (before it when n < 0); `date` itself is not counted, n = 0 gives `date` */
  addWorkingDays(date: string, n: number): string;
  /**
   * Working days d with from < d <= to; when to is before from, minus those with to <= d < from.
   * The inverse of addWorkingDays: workingDaysBetween(d, addWorkingDays(d, n)) = n for every n.
   */
  workingDaysBetween(from: string, to: string): number;
}

export const WORKING_DAYS = Symbol('WorkingDays');

interface Arrangement {
  holidays: Set<string>;
  workdays: Set<string>;
  years: Set<number>;
}

/**
 * The package's published data (dist/chinese-days.json) is read instead of its date functions:
 * those parse a date as UTC and format it in the host's zone, so on a server west of UTC
 * getDayDetail('2026-10-10') answers for 10-09.
 */
function fromPackage(): Arrangement {
  const data = packaged as { holidays: Record<string, string>; workdays: Record<string, string> };
  const holidays = new Set(Object.keys(data.holidays));
  const workdays = new Set(Object.keys(data.workdays));
  const years = new Set([...holidays].map((d) => Number(d.slice(0, 4))));
  return { holidays, workdays, years };
}

/** The package's arrangement with the operator's years laid over it (each listed year replaces the package's). */
export function chinaWorkingDays(override: HolidayOverride | null = null): WorkingDays {
  const base = fromPackage();
  if (override) {
    const replaced = new Set(override.years);
    const keep = (d: string) => !replaced.has(Number(d.slice(0, 4)));
    base.holidays = new Set([...[...base.holidays].filter(keep), ...override.holidays]);
    base.workdays = new Set([...[...base.workdays].filter(keep), ...override.workdays]);
    for (const y of override.years) base.years.add(y);
  }
  return new Calendar(base);
}

class Calendar implements WorkingDays {
  constructor(private readonly arrangement: Arrangement) {}

  covers(year: number): boolean {
    return this.arrangement.years.has(year);
  }

  isWorkingDay(date: string): boolean {
    const year = Number(date.slice(0, 4));
    if (!this.covers(year)) {
      throw unavailable('working-days-year-unknown', `系统尚未载入 ${year} 年的法定节假日和调休安排，暂时无法按工作日计算期限，请联系系统管理员更新节假日文件`, { year });
    }
    if (this.arrangement.workdays.has(date)) return true;
    if (this.arrangement.holidays.has(date)) return false;
    const day = weekday(date);
    return day !== 0 && day !== 6;
  }

  addWorkingDays(date: string, n: number): string {
    const step = n < 0 ? -1 : 1;
    let at = date;
    for (let left = Math.abs(n); left > 0; ) {
      at = addDays(at, step);
      if (this.isWorkingDay(at)) left--;
    }
    return at;
  }

  workingDaysBetween(from: string, to: string): number {
    const [first, last, sign] = to >= from ? [addDays(from, 1), to, 1] : [to, addDays(from, -1), -1];
    let count = 0;
    for (let at = first; at <= last; at = addDays(at, 1)) if (this.isWorkingDay(at)) count++;
    return sign * count;
  }
}

/** how far ahead the start-up check looks: deadlines counted in working days reach a few weeks at most */
const LOOK_AHEAD_DAYS = 60;

/** Years from today to LOOK_AHEAD_DAYS ahead (Beijing dates) whose arrangement is unknown: the start-up warning. */
export function uncoveredYearsAhead(days: WorkingDays, now: Date): number[] {
  const today = beijingDate(now);
  const years = [Number(today.slice(0, 4)), Number(addDays(today, LOOK_AHEAD_DAYS).slice(0, 4))];
  return [...new Set(years)].filter((y) => !days.covers(y));
}
