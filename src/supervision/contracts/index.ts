// What other contexts may use of supervision (reporting: the month-end figures and the projects' to-do).
export { FundingFigures, type MonthEndFigures, type ProjectToDo } from '../application/funding-figures.js';
export type { MonthEndProject } from '../domain/month-end.decider.js';
export type { Funds, OfficeLevel } from '../domain/funding-project.decider.js';
export { FUNDING_MONTH_END_EVENT, monthEndStream } from './month-end.js';
export { SupervisionModule } from '../supervision.module.js';
