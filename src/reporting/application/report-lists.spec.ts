import { describe, expect, it } from '@jest/globals';
import type { Principal } from '../../accounts/contracts/index.js';
import type { ReadStore } from '../../shared/read-store/read-store.port.js';
import { SettableClock } from '../../shared/time/clock.js';
import type { FundingFigures } from '../../supervision/contracts/index.js';
import type { ProjectionManager } from '../../shared/projections/projection-manager.js';
import { ReportLists } from './report-lists.js';

const principal = (level: Principal['level']): Principal => ({ accountId: 'a', username: 'u', realName: 'r', role: 'business', level, divisionCode: '410102', institutionCode: level === 'institution' ? '1141010001' : null, organisationId: 'o', sessionId: 's', mustChangePassword: false });

describe('the to-do list', () => {
  const noProjects = { notUpdated: async () => [] } as unknown as FundingFigures;

  it('reminds an institution to finish the month’s updates by the 25th (Beijing dates), then that the day has passed', async () => {
    const clock = new SettableClock('2026-11-24T16:30:00.000Z'); // 25 Nov, 00:30 in Beijing
    const lists = new ReportLists({} as ReadStore, clock, {} as ProjectionManager, noProjects);
    expect(await lists.todos(principal('institution'))).toEqual([{ code: 'monthly-update', title: expect.stringContaining('请在 11 月 25 日前完成'), dueDate: '2026-11-25', overdue: false, snapshotAt: '2026-11-29T16:00:00.000Z' }]);
    clock.set('2026-11-25T16:00:00.000Z'); // 26 Nov in Beijing
    expect((await lists.todos(principal('institution')))[0]).toMatchObject({ overdue: true, title: expect.stringContaining('已过 11 月 25 日') });
    expect(await lists.todos(principal('county'))).toEqual([]);
  });

  it('reminds an office of each of its own projects not updated this (Beijing) month, due by the month-end', async () => {
    const asked: unknown[] = [];
    const funding = { notUpdated: async (office: unknown, month: string) => { asked.push([office, month]); return [{ projectId: 'p1', name: '中原区二园改造' }]; } } as unknown as FundingFigures;
    const lists = new ReportLists({} as ReadStore, new SettableClock('2026-10-20T03:00:00.000Z'), {} as ProjectionManager, funding); // 20 Oct in Beijing
    expect(await lists.todos(principal('county'))).toEqual([{ code: 'project-not-updated', title: expect.stringContaining('中原区二园改造'), dueDate: '2026-10-30', overdue: false, snapshotAt: '2026-10-30T16:00:00.000Z', projectId: 'p1' }]);
    expect(asked).toEqual([[{ level: 'county', divisionCode: '410102' }, '2026-10']]);
  });
});
