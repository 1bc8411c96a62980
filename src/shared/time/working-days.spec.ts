import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../domain/domain-error.js';
import { parseHolidayOverride } from './holiday-override.js';
import { chinaWorkingDays, uncoveredYearsAhead } from './working-days.js';

const calendar = chinaWorkingDays();

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('China working days (chinese-days data)', () => {
  it('statutory holidays are off, make-up Saturdays and Sundays are working days', () => {
    // 2026 National Day: 1-7 October off, Sunday 20 September and Saturday 10 October worked
    for (const d of ['2026-10-01', '2026-10-05', '2026-10-07']) expect(calendar.isWorkingDay(d)).toBe(false);
    expect(calendar.isWorkingDay('2026-09-20')).toBe(true);
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true);
    expect(calendar.isWorkingDay('2026-10-11')).toBe(false);
    expect(calendar.isWorkingDay('2026-10-08')).toBe(true);
    // 2025 Spring Festival: 28 January - 4 February off, Sunday 26 January and Saturday 8 February worked
    expect(calendar.isWorkingDay('2025-01-28')).toBe(false);
    expect(calendar.isWorkingDay('2025-02-04')).toBe(false);
    expect(calendar.isWorkingDay('2025-01-26')).toBe(true);
    expect(calendar.isWorkingDay('2025-02-08')).toBe(true);
    // an ordinary week
    expect(calendar.isWorkingDay('2025-03-14')).toBe(true);
    expect(calendar.isWorkingDay('2025-03-15')).toBe(false);
  });

  it('adds working days across a holiday and its make-up day', () => {
    expect(calendar.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(calendar.addWorkingDays('2026-09-30', 3)).toBe('2026-10-10');
    // Mid-Autumn 2026: Friday 25 - Sunday 27 September
    expect(calendar.addWorkingDays('2026-09-24', 1)).toBe('2026-09-28');
    // 2025 National Day and Mid-Autumn: 1-8 October off, Saturday 11 October worked
    expect(calendar.addWorkingDays('2025-09-30', 4)).toBe('2025-10-13');
    expect(calendar.addWorkingDays('2026-10-08', -1)).toBe('2026-09-30');
    expect(calendar.addWorkingDays('2026-10-01', 0)).toBe('2026-10-01');
  });

  it('counts working days between two dates, the inverse of adding them', () => {
    expect(calendar.workingDaysBetween('2026-09-30', '2026-10-10')).toBe(3);
    expect(calendar.workingDaysBetween('2026-09-30', '2026-09-30')).toBe(0);
    expect(calendar.workingDaysBetween('2026-10-10', '2026-09-30')).toBe(-3);
    for (const [d, n] of [['2026-09-18', 12], ['2025-01-24', 7], ['2026-10-09', -9]] as const) {
      expect(calendar.workingDaysBetween(d, calendar.addWorkingDays(d, n))).toBe(n);
    }
  });

  it('refuses a year whose arrangement is not known, naming the year', () => {
    expect(calendar.covers(2026)).toBe(true);
    expect(calendar.covers(2027)).toBe(false);
    const error = refusal(() => calendar.isWorkingDay('2027-03-01'));
    expect(error).toMatchObject({ kind: 'unavailable', code: 'working-days-year-unknown', details: { year: 2027 } });
    expect(error.message).toMatch(/2027 年/);
    // a count that runs into the unknown year is refused too, not guessed
    expect(refusal(() => calendar.addWorkingDays('2026-12-30', 5)).code).toBe('working-days-year-unknown');
  });

  it('the operator file adds a year and replaces one the package has', () => {
    const parsed = parseHolidayOverride(JSON.stringify({ source: 'test arrangement', years: [2027], holidays: ['2027-01-01'], workdays: ['2027-02-06'] }));
    if (!('override' in parsed)) throw new Error(parsed.problems.join('; '));
    const withFile = chinaWorkingDays(parsed.override);
    expect(withFile.covers(2027)).toBe(true);
    // Friday 1 January off, then the weekend
    expect(withFile.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
    expect(withFile.isWorkingDay('2027-02-06')).toBe(true);
    expect(withFile.isWorkingDay('2026-10-01')).toBe(false);

    const restated = parseHolidayOverride(JSON.stringify({ years: [2026], holidays: ['2026-10-02'], workdays: [] }));
    if (!('override' in restated)) throw new Error(restated.problems.join('; '));
    const replaced = chinaWorkingDays(restated.override);
    // the file states 2026 in full: the package's 1 October and 10 October no longer count
    expect(replaced.isWorkingDay('2026-10-01')).toBe(true);
    expect(replaced.isWorkingDay('2026-10-02')).toBe(false);
    expect(replaced.isWorkingDay('2026-10-10')).toBe(false);
    expect(replaced.isWorkingDay('2025-10-01')).toBe(false);
  });
});

describe('holiday file', () => {
  const problems = (value: unknown): string[] => {
    const parsed = parseHolidayOverride(typeof value === 'string' ? value : JSON.stringify(value));
    return 'problems' in parsed ? parsed.problems : [];
  };

  it('names every problem of a bad file', () => {
    expect(problems('{"years": [2027],')[0]).toMatch(/not JSON/);
    expect(problems([2027])[0]).toMatch(/JSON object/);
    expect(problems({ years: [], holidays: [], workdays: [] })[0]).toMatch(/"years"/);
    expect(problems({ years: [2027], holidays: ['2027-02-30', '2028-01-01'], workdays: ['2027-02-08'], holiday: [] })).toEqual([
      'has an unknown key "holiday" (expected years, holidays, workdays, source)',
      '"holidays" has "2027-02-30", not a date "YYYY-MM-DD"',
      '"holidays" has 2028-01-01, outside the listed years 2027',
      '"workdays" has 2027-02-08, a weekday: a make-up working day (调休上班) is a Saturday or Sunday',
    ]);
    expect(problems({ years: [2027], holidays: ['2027-02-06'], workdays: ['2027-02-06'] })).toEqual(['2027-02-06 is listed both as a holiday and as a make-up working day']);
    expect(problems({ years: [2027], holidays: [] })).toEqual(['"workdays" must be a list of dates "YYYY-MM-DD" (may be empty)']);
  });

  it('accepts a good one', () => {
    expect(parseHolidayOverride(JSON.stringify({ years: [2027], holidays: ['2027-01-01'], workdays: [] }))).toEqual({ override: { years: [2027], holidays: ['2027-01-01'], workdays: [] } });
  });
});

describe('start-up check', () => {
  it('names the years from today to two months ahead that no source covers', () => {
    expect(uncoveredYearsAhead(calendar, new Date('2026-06-01T00:00:00Z'))).toEqual([]);
    expect(uncoveredYearsAhead(calendar, new Date('2026-11-15T00:00:00Z'))).toEqual([2027]);
    expect(uncoveredYearsAhead(calendar, new Date('2027-03-01T00:00:00Z'))).toEqual([2027]);
  });
});
