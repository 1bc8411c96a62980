import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { beijingDayStart } from '../../shared/time/beijing.js';
import type { Counters } from './units.js';

/**
 * The monthly snapshot (月度快照, issue 17): the summary counters of every unit as they stood at
 * 00:00 Beijing time on the last day of the month, with the log position they were counted up to.
 * One stream per month, written once with an expected revision: two runs of the job (the cron and
 * a start-up, or two instances) cannot both record a month; the second decides nothing.
 */
export type SnapshotUnit = { unit: string; parent: string | null; counters: Counters };

export type SnapshotEvent = DomainEvent<'MonthlySnapshotTaken', {
  month: string;
  cutoffAt: string;
  /** the last log position counted: every event after it is after the cut-off */
  cutoffPosition: number;
  /** 'schedule': by the month-end job on time; 'start-up': a run the service missed, taken when it started */
  trigger: 'schedule' | 'start-up';
  units: SnapshotUnit[];
  takenAt: string;
}>;

export type SnapshotCommand = { type: 'TakeSnapshot'; month: string; cutoffAt: string; cutoffPosition: number; trigger: 'schedule' | 'start-up'; units: SnapshotUnit[]; at: string };

export type SnapshotState = { taken: boolean; cutoffPosition: number | null };

export const snapshotStream = (month: string): string => `reporting-snapshot-${month}`;

export const snapshotDecider: Decider<SnapshotCommand, SnapshotState, SnapshotEvent> = {
  initialState: { taken: false, cutoffPosition: null },
  decide(command, state) {
    // a month is kept once: a repeated or concurrent run changes nothing
    if (state.taken) return [];
    const { month, cutoffAt, cutoffPosition, trigger, units, at } = command;
    return [{ type: 'MonthlySnapshotTaken', data: { month, cutoffAt, cutoffPosition, trigger, units, takenAt: at } }];
  },
  evolve(state, event) {
    return event.type === 'MonthlySnapshotTaken' ? { taken: true, cutoffPosition: event.data.cutoffPosition } : state;
  },
};

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
export const isMonth = (value: string): boolean => MONTH.test(value);

/** The last calendar day of a month: '2027-02' -> '2027-02-28'. */
export function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** The cut-off of a month: 00:00 Beijing time on its last day. */
export const cutoffOf = (month: string): Date => beijingDayStart(lastDayOf(month));

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The latest month whose cut-off is at or before `now` (the month whose snapshot is due). */
export function latestDueMonth(now: Date, beijingToday: string): string {
  const current = beijingToday.slice(0, 7);
  return cutoffOf(current).getTime() <= now.getTime() ? current : addMonths(current, -1);
}
