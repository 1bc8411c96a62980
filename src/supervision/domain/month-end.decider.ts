import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import type { Funds, OfficeLevel } from './funding-project.decider.js';

/**
 * The month-end figures of every funding project (domain.md section 10: kept at 00:00 Beijing
 * time on the last day of the month). One stream per month, written once with the expected
 * revision "no stream": two instances (or a restart and the schedule) racing for the same month
 * leave exactly one event; the loser is decided again on the winner's state and does nothing.
 */
export type MonthEndProject = {
  projectId: string;
  level: OfficeLevel;
  divisionCode: string;
  name: string;
  kind: string;
  year: number;
  funds: Funds;
  allocated: string;
  spent: string;
  progress: number;
  /** the month its latest update reported on */
  lastMonth: string;
  /** updated (or entered) during the month before the figures were kept: otherwise on its office's to-do list */
  updatedThisMonth: boolean;
};

export type MonthEndEvent = DomainEvent<'FundingMonthEndTaken', { month: string; dueAt: string; takenAt: string; projects: MonthEndProject[] }>;

export type MonthEndCommand = { type: 'TakeMonthEnd'; month: string; dueAt: string; projects: MonthEndProject[]; at: string };

export interface MonthEndState {
  taken: boolean;
}

export const monthEndDecider: Decider<MonthEndCommand, MonthEndState, MonthEndEvent> = {
  initialState: { taken: false },

  decide(command, state) {
    if (state.taken) return [];
    return [{ type: 'FundingMonthEndTaken', data: { month: command.month, dueAt: command.dueAt, takenAt: command.at, projects: command.projects } }];
  },

  evolve(state, event) {
    return event.type === 'FundingMonthEndTaken' ? { taken: true } : state;
  },
};

export const monthEndStream = (month: string): string => `funding-month-end-${month}`;

/**
 * When the month-end figures last fell due at `now`: 00:00 Beijing time on the last day of the
 * month, this month's once that day has begun, else the previous month's.
 */
export function lastMonthEndDue(today: string): { month: string; dueDate: string } {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const lastDay = (year: number, month: number): string => {
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    return `${year}-${String(month).padStart(2, '0')}-${String(days).padStart(2, '0')}`;
  };
  const thisMonthEnd = lastDay(y, m);
  if (today >= thisMonthEnd) return { month: today.slice(0, 7), dueDate: thisMonthEnd };
  const [py, pm] = m === 1 ? [y - 1, 12] : [y, m - 1];
  return { month: `${py}-${String(pm).padStart(2, '0')}`, dueDate: lastDay(py, pm) };
}
