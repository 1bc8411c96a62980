import { describe, expect, it } from '@jest/globals';
import { addDays, beijingDate, beijingDayEnd, beijingDayStart, beijingHoursMinutes, isCalendarDate, schoolYearStart, weekday } from './beijing.js';

describe('Beijing business dates', () => {
  it('the date of an instant is the Beijing date, eight hours ahead of UTC', () => {
    expect(beijingDate('2026-08-31T15:59:59.999Z')).toBe('2026-08-31');
    expect(beijingDate('2026-08-31T16:00:00.000Z')).toBe('2026-09-01');
    // 07:00 in Beijing is 23:00 UTC the day before
    expect(beijingDate('2026-09-14T23:00:00Z')).toBe('2026-09-15');
    expect(beijingDate(new Date('2026-09-15T07:00:00+08:00'))).toBe('2026-09-15');
    expect(beijingDate('2026-12-31T16:00:00Z')).toBe('2027-01-01');
    expect(() => beijingDate('yesterday')).toThrow(RangeError);
  });

  it('the school year turns at midnight of 1 September in Beijing', () => {
    expect(schoolYearStart('2026-08-31T15:59:59Z')).toBe(2025);
    expect(schoolYearStart('2026-08-31T16:00:00Z')).toBe(2026);
    expect(schoolYearStart('2027-08-31T15:59:59Z')).toBe(2026);
    expect(schoolYearStart('2027-01-15T00:00:00Z')).toBe(2026);
  });

  it('a Beijing day starts at 16:00 UTC the day before and ends where the next begins', () => {
    expect(beijingDayStart('2026-09-01').toISOString()).toBe('2026-08-31T16:00:00.000Z');
    expect(beijingDayEnd('2026-09-01').toISOString()).toBe('2026-09-01T16:00:00.000Z');
    expect(beijingDate(beijingDayStart('2026-03-01'))).toBe('2026-03-01');
    expect(beijingDate(new Date(beijingDayEnd('2026-03-01').getTime() - 1))).toBe('2026-03-01');
    expect(() => beijingDayStart('2026-02-30')).toThrow(RangeError);
  });

  it('calendar dates move by days across months and leap days', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(weekday('2026-10-10')).toBe(6);
    expect(weekday('2026-09-20')).toBe(0);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-9-1')).toBe(false);
  });
});

describe('beijingHoursMinutes', () => {
  it('tells the time in Beijing, eight hours ahead of UTC, across midnight', () => {
    expect(beijingHoursMinutes(new Date('2026-09-01T08:30:00Z'))).toBe('16:30');
    expect(beijingHoursMinutes(new Date('2026-08-31T23:05:00Z'))).toBe('07:05');
    expect(beijingHoursMinutes('2026-09-01T16:00:00.000Z')).toBe('00:00');
  });
});
