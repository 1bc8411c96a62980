// What other contexts may use of reporting: its module (reports, month snapshots, exports, the to-do list).
export { ReportingModule } from '../reporting.module.js';
