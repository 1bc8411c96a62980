import { describe, expect, it } from '@jest/globals';
import type { Principal } from '../../accounts/contracts/index.js';
import type { ReadStore } from '../../shared/read-store/read-store.port.js';
import { SettableClock } from '../../shared/time/clock.js';
import type { CountersRunner } from './counters.runner.js';
import { ReportLists } from './report-lists.js';

const principal = (level: Principal['level']): Principal => ({ accountId: 'a', username: 'u', realName: 'r', role: 'business', level, divisionCode: '410102', institutionCode: level === 'institution' ? '1141010001' : null, organisationId: 'o', sessionId: 's', mustChangePassword: false });

describe('the to-do list', () => {
  it('reminds an institution to finish the month’s updates by the 25th (Beijing dates), then that the day has passed', () => {
    const clock = new SettableClock('2026-11-24T16:30:00.000Z'); // 25 Nov, 00:30 in Beijing
    const lists = new ReportLists({} as ReadStore, clock, {} as CountersRunner);
    expect(lists.todos(principal('institution'))).toEqual([{ code: 'monthly-update', title: expect.stringContaining('请在 11 月 25 日前完成'), dueDate: '2026-11-25', overdue: false, snapshotAt: '2026-11-29T16:00:00.000Z' }]);
    clock.set('2026-11-25T16:00:00.000Z'); // 26 Nov in Beijing
    expect(lists.todos(principal('institution'))[0]).toMatchObject({ overdue: true, title: expect.stringContaining('已过 11 月 25 日') });
    expect(lists.todos(principal('county'))).toEqual([]);
  });
});
