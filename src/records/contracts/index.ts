// What other contexts may use of the records context: the record's published events and its front door.
export * from './record-events.js';
export { RecordRegister, type RecordFacts, type ActingFor, type HandOverTo, type TransferNote, ACCIDENT_LEAVE_WORKING_DAYS } from '../application/record-register.js';
export { RecordsModule } from '../records.module.js';
// the one masking rule of personal data (ID numbers, G numbers, phones, addresses), for every answer that carries a record
export { maskPersonal } from '../application/queries/record-view.js';
// code labels of the child fields (reports and exports show labels, not only codes)
export { codeLabel, codeEntries, type CodeTableName } from './code-labels.js';
// an institution's children for its export (issue 17), and who may see ID numbers unmasked
export { ChildrenExport, CHILD_EXPORT_HEADERS } from '../application/children-export.js';
export { maySeeIdNumbers } from '../application/record-access.js';
// the key fields as a spreadsheet row, parsed as the template import parses them (the hand-over's pupil list, issue 16)
export { KEY_COLUMNS, type KeyField, type KeyRowResult, checkChildFields, keyColumnForHeader, parseKeyRow } from '../domain/key-row.js';
export type { ImportIssue } from '../domain/template-row.js';
export { RECORDS as RECORDS_READ_MODEL } from '../application/record-reads.js';
