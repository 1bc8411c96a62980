import { describe, expect, it } from '@jest/globals';
import { chinaWorkingDays } from '../../../shared/time/working-days.js';
import { timingOf } from './declaration-timing.js';

const days = chinaWorkingDays();
const pending = (submittedAt: string) => ({ status: 'pending', submittedAt });

describe('the 5-working-day limit of a declaration', () => {
  it('counts the State Council’s working days: National Day off, the Saturday make-up day on', () => {
    // Tuesday 29 September 2026, 10:00 Beijing time
    const submitted = pending('2026-09-29T02:00:00.000Z');
    expect(timingOf(submitted, '2026-10-09', days)).toEqual({ workingDaysElapsed: 3, dueDate: '2026-10-12', overdue: false });
    expect(timingOf(submitted, '2026-10-10', days)).toMatchObject({ workingDaysElapsed: 4, overdue: false });
    expect(timingOf(submitted, '2026-10-12', days)).toMatchObject({ workingDaysElapsed: 5, overdue: false });
    expect(timingOf(submitted, '2026-10-13', days)).toMatchObject({ workingDaysElapsed: 6, overdue: true });
  });

  it('the submission day is the Beijing date (16:30 UTC is the next morning in Beijing)', () => {
    expect(timingOf(pending('2026-09-29T16:30:00.000Z'), '2026-10-13', days)).toMatchObject({ workingDaysElapsed: 5, dueDate: '2026-10-13', overdue: false });
  });

  it('a handled declaration has no clock', () => {
    expect(timingOf({ status: 'approved', submittedAt: '2026-09-01T02:00:00.000Z' }, '2026-10-13', days)).toEqual({ workingDaysElapsed: null, dueDate: null, overdue: false });
  });
});
