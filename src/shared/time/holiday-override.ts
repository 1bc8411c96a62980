import { isCalendarDate, weekday } from './beijing.js';

/**
 * The operator's holiday file (HOLIDAYS_FILE): the State Council's arrangement for years the
 * chinese-days package does not cover yet, or a correction of one it does. Each listed year is
 * stated in full: the file's holidays and make-up working days (调休上班) replace the package's
 * for that year.
 *
 *   { "source": "国务院办公厅关于2027年部分节假日安排的通知",
 *     "years": [2027],
 *     "holidays": ["2027-01-01", …], "workdays": ["2027-02-07", …] }
 */
export interface HolidayOverride {
  years: number[];
  /** days off that would otherwise be working days (statutory holidays), 'YYYY-MM-DD' */
  holidays: string[];
  /** Saturdays and Sundays that are working days (make-up working days) */
  workdays: string[];
  source?: string;
}

const KEYS = new Set(['years', 'holidays', 'workdays', 'source']);

/** Checks the file's content; every problem is reported at once, for the start-up message. */
export function parseHolidayOverride(text: string): { override: HolidayOverride } | { problems: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { problems: [`is not JSON (${(error as Error).message})`] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { problems: ['must be a JSON object with "years", "holidays" and "workdays"'] };
  const problems: string[] = [];
  const data = raw as Record<string, unknown>;
  for (const key of Object.keys(data)) if (!KEYS.has(key)) problems.push(`has an unknown key "${key}" (expected years, holidays, workdays, source)`);
  const years = data['years'];
  const validYears = Array.isArray(years) && years.length > 0 && years.every((y) => Number.isInteger(y) && y >= 2000 && y <= 2100);
  if (!validYears) problems.push('"years" must be a non-empty list of the years the file states in full, e.g. [2027]');
  if (data['source'] !== undefined && typeof data['source'] !== 'string') problems.push('"source" must be a text (the notice the dates come from)');
  const dates = (key: 'holidays' | 'workdays'): string[] => {
    const list = data[key];
    if (!Array.isArray(list)) {
      problems.push(`"${key}" must be a list of dates "YYYY-MM-DD" (may be empty)`);
      return [];
    }
    for (const d of list) {
      if (typeof d !== 'string' || !isCalendarDate(d)) problems.push(`"${key}" has ${JSON.stringify(d)}, not a date "YYYY-MM-DD"`);
      else if (validYears && !(years as number[]).includes(Number(d.slice(0, 4)))) problems.push(`"${key}" has ${d}, outside the listed years ${(years as number[]).join(', ')}`);
    }
    return list.filter((d): d is string => typeof d === 'string' && isCalendarDate(d));
  };
  const holidays = dates('holidays');
  const workdays = dates('workdays');
  for (const d of workdays) {
    if (holidays.includes(d)) problems.push(`${d} is listed both as a holiday and as a make-up working day`);
    const day = weekday(d);
    if (day !== 0 && day !== 6) problems.push(`"workdays" has ${d}, a weekday: a make-up working day (调休上班) is a Saturday or Sunday`);
  }
  if (problems.length > 0) return { problems };
  return {
    override: { years: [...(years as number[])], holidays, workdays, ...(typeof data['source'] === 'string' ? { source: data['source'] } : {}) },
  };
}
