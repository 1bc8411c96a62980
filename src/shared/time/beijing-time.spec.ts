import { describe, expect, it } from '@jest/globals';
import { beijingHoursMinutes } from './beijing-time.js';

describe('beijingHoursMinutes', () => {
  it('tells the time in Beijing, eight hours ahead of UTC, across midnight', () => {
    expect(beijingHoursMinutes(new Date('2026-09-01T08:30:00Z'))).toBe('16:30');
    expect(beijingHoursMinutes(new Date('2026-08-31T23:05:00Z'))).toBe('07:05');
    expect(beijingHoursMinutes(new Date('2026-09-01T16:00:00Z'))).toBe('00:00');
  });
});
