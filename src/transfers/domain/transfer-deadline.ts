import { DomainError } from '../../shared/domain/domain-error.js';
import { addDays, beijingDate, beijingDayStart } from '../../shared/time/beijing.js';
import type { WorkingDays } from '../../shared/time/working-days.js';
import { TRANSFER_DEADLINE_WORKING_DAYS } from './transfer-rules.js';

/** A transfer's deadline as of `today`, counted from its application (nothing of it is stored: ADR 24). */
export interface TransferDeadline {
  /** the 30th working day after the application; null while its year's holiday arrangement is not loaded */
  dueDate: string | null;
  /** why dueDate is null, for the registrar; null when it is known */
  dueDateNote: string | null;
  /** working days since the application (until closing when closed); null while the span's calendar is unknown */
  workingDaysElapsed: number | null;
  /** open and past the due date; null when that cannot be told yet (the due date and today both lie in an unloaded year) */
  overdue: boolean | null;
}

export interface DeadlineFacts {
  appliedAt: string;
  open: boolean;
  closedAt: string | null;
}

/**
 * Counted when asked, so an application in December never needs next year's calendar. Never
 * guessed with weekends only (ADR 14): what the calendar does not cover yet is null, and said so.
 */
export function transferDeadline(days: WorkingDays, facts: DeadlineFacts, today: string): TransferDeadline {
  const applied = beijingDate(facts.appliedAt);
  const until = facts.open || !facts.closedAt ? today : beijingDate(facts.closedAt);
  const due = counted(() => days.addWorkingDays(applied, TRANSFER_DEADLINE_WORKING_DAYS));
  const elapsed = counted(() => days.workingDaysBetween(applied, until));
  const workingDaysElapsed = elapsed.known ? elapsed.value : null;
  if (due.known) return { dueDate: due.value, dueDateNote: null, workingDaysElapsed, overdue: facts.open && today > due.value };
  // the count stopped at the first day of an unloaded year: the due date lies on or after its 1 January
  const overdue = !facts.open || today < `${due.year}-01-01` ? false : null;
  const note = `${due.year} 年的法定节假日和调休安排尚未载入，暂无法确定办结期限（申请日起 ${TRANSFER_DEADLINE_WORKING_DAYS} 个工作日）；载入后自动显示，请联系系统管理员更新节假日文件`;
  return { dueDate: null, dueDateNote: note, workingDaysElapsed, overdue };
}

/**
 * The overdue list's candidates, chosen without a calendar: open and applied before the instant
 * returned. 30 working days span at least 30 calendar days, so a transfer applied on Beijing date
 * today - 30 or later cannot be past its due date today; the earlier ones are then counted.
 */
export function overdueCandidatesAppliedBefore(today: string): string {
  return beijingDayStart(addDays(today, -TRANSFER_DEADLINE_WORKING_DAYS)).toISOString();
}

type Counted<T> = { known: true; value: T } | { known: false; year: number };

function counted<T>(count: () => T): Counted<T> {
  try {
    return { known: true, value: count() };
  } catch (error) {
    if (error instanceof DomainError && error.code === 'working-days-year-unknown') return { known: false, year: Number(error.details['year']) };
    throw error;
  }
}
