import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import type { ImportIssue } from './template-row.js';

/** A template upload's summary and validation log: written once, on the batch's own stream. */
export type ImportSummaryData = {
  batchId: string;
  institutionCode: string;
  fileName: string | null;
  fileSha256: string;
  rows: number;
  saved: number;
  failed: number;
  alreadyPresent: number;
  issues: ImportIssue[];
  importedAt: string;
};
export type ImportEvent = DomainEvent<'RecordsImported', ImportSummaryData>;
export type ImportCommand = { type: 'RecordImport'; summary: ImportSummaryData };

export const importDecider: Decider<ImportCommand, { recorded: boolean }, ImportEvent> = {
  initialState: { recorded: false },
  decide: (command, state) => (state.recorded ? [] : [{ type: 'RecordsImported', data: command.summary }]),
  evolve: () => ({ recorded: true }),
};

export const importStream = (batchId: string): string => `record-import-${batchId}`;
