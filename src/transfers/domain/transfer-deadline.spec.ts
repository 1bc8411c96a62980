import { describe, expect, it } from '@jest/globals';
import { parseHolidayOverride } from '../../shared/time/holiday-override.js';
import { chinaWorkingDays } from '../../shared/time/working-days.js';
import { overdueCandidatesAppliedBefore, transferDeadline } from './transfer-deadline.js';

// the package knows 2026 (Mid-Autumn 09-25..27, National Day 10-01..07, make-up days Sunday 09-20 and Saturday 10-10) but not 2027
const calendar = chinaWorkingDays();
const open = (appliedAt: string) => ({ appliedAt, open: true, closedAt: null });

describe('transfer deadline (counted when asked, ADR 24)', () => {
  it('in a known year: 30 working days across the holidays, overdue from the day after the due date', () => {
    // applied Monday 2026-09-07 (10:00 Beijing): the holidays are skipped, the make-up days counted
    const onDue = transferDeadline(calendar, open('2026-09-07T02:00:00.000Z'), '2026-10-23');
    expect(onDue).toEqual({ dueDate: '2026-10-23', dueDateNote: null, workingDaysElapsed: 30, overdue: false });
    // the Saturday after the Friday due date: no working day more, yet past it
    expect(transferDeadline(calendar, open('2026-09-07T02:00:00.000Z'), '2026-10-24')).toMatchObject({ workingDaysElapsed: 30, overdue: true });
    expect(transferDeadline(calendar, open('2026-09-07T02:00:00.000Z'), '2026-10-26')).toMatchObject({ workingDaysElapsed: 31, overdue: true });
  });
  it('a Beijing date, not the UTC one: applied 2026-09-06 23:30 UTC is 09-07 in Beijing', () => {
    expect(transferDeadline(calendar, open('2026-09-06T23:30:00.000Z'), '2026-09-07')).toMatchObject({ dueDate: '2026-10-23', workingDaysElapsed: 0 });
  });
  it('applied in December: no due date yet, said why; not overdue before the new year, unknown after', () => {
    const december = transferDeadline(calendar, open('2026-12-02T02:00:00.000Z'), '2026-12-31');
    expect(december).toMatchObject({ dueDate: null, overdue: false, workingDaysElapsed: 21 });
    expect(december.dueDateNote).toMatch(/^2027 年的法定节假日和调休安排尚未载入/);
    expect(transferDeadline(calendar, open('2026-12-02T02:00:00.000Z'), '2027-01-20')).toMatchObject({ dueDate: null, workingDaysElapsed: null, overdue: null });
  });
  it('once the operator loads 2027 the due date appears, with nothing stored to correct', () => {
    const parsed = parseHolidayOverride(JSON.stringify({ years: [2027], holidays: ['2027-01-01'], workdays: [] }));
    if (!('override' in parsed)) throw new Error('override refused');
    const withFile = chinaWorkingDays(parsed.override);
    // 2026-12-03..31: 21 working days; then 2027-01-01 off, 01-04..01-08 (5), 01-11..01-14 (4) = 30
    expect(transferDeadline(withFile, open('2026-12-02T02:00:00.000Z'), '2027-01-20')).toEqual({ dueDate: '2027-01-14', dueDateNote: null, workingDaysElapsed: 34, overdue: true });
  });
  it('a due date of a known year stays overdue though today lies in an unloaded one', () => {
    expect(transferDeadline(calendar, open('2026-09-07T02:00:00.000Z'), '2027-01-05')).toMatchObject({ dueDate: '2026-10-23', workingDaysElapsed: null, overdue: true });
  });
  it('a closed transfer is never overdue; its working days stop at closing', () => {
    const closed = { appliedAt: '2026-09-07T02:00:00.000Z', open: false, closedAt: '2026-09-09T02:00:00.000Z' };
    expect(transferDeadline(calendar, closed, '2026-11-20')).toMatchObject({ dueDate: '2026-10-23', workingDaysElapsed: 2, overdue: false });
    expect(transferDeadline(calendar, { appliedAt: '2026-12-02T02:00:00.000Z', open: false, closedAt: '2026-12-04T02:00:00.000Z' }, '2027-02-01')).toMatchObject({ dueDate: null, overdue: false });
  });
  it('overdue candidates: applied before Beijing date today - 30 (no calendar needed)', () => {
    expect(overdueCandidatesAppliedBefore('2026-11-20')).toBe('2026-10-20T16:00:00.000Z');
  });
});
