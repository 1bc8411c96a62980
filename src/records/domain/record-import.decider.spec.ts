import { describe, expect, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { type ImportSummaryData, importDecider, importStream } from './record-import.decider.js';
import { RECORD_EVENTS } from './record.events.js';

const spec = deciderSpec(importDecider, new EventRegistry().register(RECORD_EVENTS));
const batchId = '8b2e1d3f-4c5a-4b6c-8d7e-9f0a1b2c3d4e';
const summary: ImportSummaryData = {
  batchId, institutionCode: '1141010001', fileName: '2026级小班.xlsx', fileSha256: 'b'.repeat(64), rows: 2, saved: 1, failed: 1, alreadyPresent: 0,
  issues: [{ row: 3, column: '身份证件号码', value: '410102202203150017', code: 'id-number-check-digit', reason: '身份证号码校验位错误：最后一位应为 8，请核对号码是否抄错' }],
  importedAt: '2026-09-05T02:00:00.000Z',
};

describe('record import decider', () => {
  it('records an upload’s summary and validation log once', () => {
    spec.given([]).when({ type: 'RecordImport', summary }).then([{ type: 'RecordsImported', data: summary }]);
  });

  it('a retried upload of the same batch changes nothing', () => {
    spec.given([{ type: 'RecordsImported', data: summary }]).when({ type: 'RecordImport', summary: { ...summary, saved: 0 } }).then([]);
  });

  it('one stream per batch', () => {
    expect(importStream(batchId)).toBe(`record-import-${batchId}`);
  });
});
