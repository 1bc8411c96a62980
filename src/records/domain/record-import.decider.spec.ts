import { describe, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { type ImportEvent, type ImportStartData, type ImportSummaryData, importDecider } from './record-import.decider.js';
import { RECORD_EVENTS } from './record.events.js';

const spec = deciderSpec(importDecider, new EventRegistry().register(RECORD_EVENTS));
const at = '2026-09-05T02:00:00.000Z';
const batchId = '9c3f2e4a-5d6b-4c7d-8e9f-0a1b2c3d4e5f';
const start: ImportStartData = { batchId, institutionCode: '1141010001', fileName: '2026级小班.xlsx', fileSha256: 'b'.repeat(64), rows: 2, toSave: 1, startedAt: at };
const summary: ImportSummaryData = {
  batchId, institutionCode: '1141010001', fileName: '2026级小班.xlsx', fileSha256: 'b'.repeat(64), rows: 2, saved: 1, failed: 1, alreadyPresent: 0,
  issues: [{ row: 3, column: '姓名', value: '', code: 'name-required', reason: '请填写姓名' }], importedAt: at,
};
const started: ImportEvent = { type: 'RecordImportStarted', data: start };
const imported: ImportEvent = { type: 'RecordsImported', data: summary };
const reason = '模板导入未完成（服务中断），本批次已整体撤销：请重新导入该文件';
const withdraw = { type: 'WithdrawImport' as const, withdrawn: 1, kept: 0, reason, at };
const withdrawn: ImportEvent = { type: 'RecordImportWithdrawn', data: { batchId, institutionCode: '1141010001', withdrawn: 1, kept: 0, withdrawnAt: at }, reason };

describe('template import batch decider', () => {
  it('records a batch in one step (one transaction with its records), once', () => {
    spec.given([]).when({ type: 'RecordImport', summary }).then([imported]);
    spec.given([imported]).when({ type: 'RecordImport', summary }).then([]);
  });

  it('starts a batch, then completes it (a store without multi-stream transactions)', () => {
    spec.given([]).when({ type: 'StartImport', start }).then([started]);
    spec.given([started]).when({ type: 'StartImport', start }).thenFails('import-exists', 'conflict');
    spec.given([started]).when({ type: 'RecordImport', summary }).then([imported]);
    spec.given([started]).thenState({ status: 'started', batchId });
  });

  it('withdraws a started batch once; a completed one is never withdrawn, a withdrawn one never completed', () => {
    spec.given([started]).when(withdraw).then([withdrawn]);
    spec.given([started, withdrawn]).when(withdraw).then([]);
    spec.given([started, withdrawn]).when({ type: 'RecordImport', summary }).thenFails('import-withdrawn', 'conflict');
    spec.given([started, imported]).when(withdraw).thenFails('import-completed', 'rule');
    spec.given([]).when(withdraw).thenFails('import-not-found', 'not_found');
  });
});
