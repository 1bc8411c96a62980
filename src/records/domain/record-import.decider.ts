import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { conflict, notFound, rule } from '../../shared/domain/domain-error.js';
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
/** What an import on a store without multi-stream transactions is about to store (ADR 0011). */
export type ImportStartData = Pick<ImportSummaryData, 'batchId' | 'institutionCode' | 'fileName' | 'fileSha256' | 'rows'> & { toSave: number; startedAt: string };
export type ImportWithdrawnData = { batchId: string; institutionCode: string; withdrawn: number; kept: number; withdrawnAt: string };

export type ImportEvent =
  | DomainEvent<'RecordImportStarted', ImportStartData>
  | DomainEvent<'RecordsImported', ImportSummaryData>
  | DomainEvent<'RecordImportWithdrawn', ImportWithdrawnData>;
export type ImportCommand =
  | { type: 'StartImport'; start: ImportStartData }
  | { type: 'RecordImport'; summary: ImportSummaryData }
  /** an unfinished batch is given up: its records were withdrawn (kept: records a registrar had already taken further) */
  | { type: 'WithdrawImport'; withdrawn: number; kept: number; reason: string; at: string };

export type ImportStatus = 'none' | 'started' | 'imported' | 'withdrawn';
export type ImportState = { status: ImportStatus; batchId: string; institutionCode: string };

/**
 * One template upload. On the embedded store its records and RecordsImported are one
 * transaction, so the batch is written once, complete. On EventStoreDB the batch is started
 * first (RecordImportStarted), its records appended, then completed (RecordsImported); a batch
 * left started by a crash is withdrawn on restart (RecordImportWithdrawn), never completed later.
 */
export const importDecider: Decider<ImportCommand, ImportState, ImportEvent> = {
  initialState: { status: 'none', batchId: '', institutionCode: '' },
  decide(command, state) {
    switch (command.type) {
      case 'StartImport':
        if (state.status !== 'none') throw conflict('import-exists', '该导入批次已存在');
        return [{ type: 'RecordImportStarted', data: command.start }];
      case 'RecordImport':
        if (state.status === 'imported') return [];
        if (state.status === 'withdrawn') throw conflict('import-withdrawn', '该批导入未能完成，已整体撤销：请重新导入该文件');
        return [{ type: 'RecordsImported', data: command.summary }];
      case 'WithdrawImport':
        if (state.status === 'withdrawn') return [];
        if (state.status === 'none') throw notFound('import-not-found', '导入批次不存在');
        if (state.status === 'imported') throw rule('import-completed', '该批导入已完成，不能撤销');
        return [{ type: 'RecordImportWithdrawn', data: { batchId: state.batchId, institutionCode: state.institutionCode, withdrawn: command.withdrawn, kept: command.kept, withdrawnAt: command.at }, reason: command.reason }];
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'RecordImportStarted':
        return { status: 'started', batchId: event.data.batchId, institutionCode: event.data.institutionCode };
      case 'RecordsImported':
        return { status: 'imported', batchId: event.data.batchId, institutionCode: event.data.institutionCode };
      case 'RecordImportWithdrawn':
        return { ...state, status: 'withdrawn' };
      default:
        return state;
    }
  },
};

export const importStream = (batchId: string): string => `record-import-${batchId}`;
