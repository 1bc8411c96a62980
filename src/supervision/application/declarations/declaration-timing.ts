import type { WorkingDays } from '../../../shared/time/working-days.js';
import { beijingDate } from '../../../shared/time/beijing.js';

/** The county handles a declaration within 5 working days (domain.md section 9). */
export const HANDLING_LIMIT_WORKING_DAYS = 5;

export interface DeclarationTiming {
  /** working days since the latest (re)submission, that day not counted; null once handled */
  workingDaysElapsed: number | null;
  /** the last Beijing date the county handles it on time */
  dueDate: string | null;
  overdue: boolean;
}

/** How long a pending declaration has waited, on the State Council's working-day calendar. */
export function timingOf(doc: Record<string, unknown>, today: string, days: WorkingDays): DeclarationTiming {
  if (doc['status'] !== 'pending') return { workingDaysElapsed: null, dueDate: null, overdue: false };
  const submitted = beijingDate(String(doc['submittedAt']));
  const workingDaysElapsed = days.workingDaysBetween(submitted, today);
  return { workingDaysElapsed, dueDate: days.addWorkingDays(submitted, HANDLING_LIMIT_WORKING_DAYS), overdue: workingDaysElapsed > HANDLING_LIMIT_WORKING_DAYS };
}
