// What other contexts may use of reporting: its module (reports, month snapshots, exports, the to-do list).
export { ReportingModule } from '../reporting.module.js';
// each county's graduates of the hand-over season, from the live counters (the hand-over progress, issue 16)
export { Graduates } from '../application/graduates.js';
