// the month-end event and its stream, for a reader of the log (the snapshots issue)
export const FUNDING_MONTH_END_EVENT = 'FundingMonthEndTaken';
export { monthEndStream } from '../domain/month-end.decider.js';
