// What other contexts may use of the records context: the record's published events and its front door.
export * from './record-events.js';
export { RecordRegister, type RecordFacts, type ActingFor, ACCIDENT_LEAVE_WORKING_DAYS } from '../application/record-register.js';
export { RecordsModule } from '../records.module.js';
// the one masking rule of personal data (ID numbers, G numbers, phones, addresses), for every answer that carries a record
export { maskPersonal } from '../application/queries/record-view.js';
// code labels of the child fields (reports and exports show labels, not only codes)
export { codeLabel, codeEntries, type CodeTableName } from './code-labels.js';
// an institution's children for its export (issue 17), and who may see ID numbers unmasked
export { ChildrenExport, CHILD_EXPORT_HEADERS } from '../application/children-export.js';
export { maySeeIdNumbers } from '../application/record-access.js';
