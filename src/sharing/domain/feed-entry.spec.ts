import { describe, expect, it } from '@jest/globals';
import { feedEntry, shapeRecord } from './feed-entry.js';

const doc = { id: 'r1', _pos: 9, recordId: 'r1', institutionCode: '1141010001', divisionCode: '410102', status: 'numbered', recordNumber: 'G410102202203150011', name: '王小明', gender: '1', birthDate: '2022-03-15', idType: '1', idNumber: '410102202203150011', updatedAt: 't' };
const event = (type: string, data: Record<string, unknown> = {}) => ({ eventId: 'e1', type, position: 42, occurredAt: '2026-09-01T02:00:00.000Z', data: { recordId: 'r1', ...data } });

describe('feed entries', () => {
  it('are CloudEvents 1.0 with the cursor as an extension', () => {
    expect(feedEntry(event('RecordNumberIssued'), doc, 'personal', '/preschool/410000')).toEqual({
      specversion: '1.0', id: 'e1', source: '/preschool/410000', type: 'cn.preschool.record.numbered.v1', subject: 'records/r1', time: '2026-09-01T02:00:00.000Z',
      datacontenttype: 'application/json', cursor: '42',
      data: { entity: 'record', id: 'r1', kind: 'record.numbered', keys: { recordNumber: 'G410102202203150011', institutionCode: '1141010001' }, representation: shapeRecord(doc, 'personal') },
    });
    expect(feedEntry(event('SomethingInternal'), doc, 'personal', '/p')).toBeNull();
  });

  it('mask the ID number (and the G number holding it) for a masked profile; a summary carries no personal field', () => {
    const masked = JSON.stringify(feedEntry(event('KeyInformationChanged', { before: { name: '王小明', idNumber: doc.idNumber }, after: { name: '王晓明', idNumber: doc.idNumber } }), doc, 'masked', '/p'));
    expect(masked).not.toContain(doc.idNumber);
    expect(masked).toContain('"410102************"');
    expect(masked).not.toContain('2022-03-15');
    const summary = feedEntry(event('RecordSaved'), doc, 'summary', '/p')!;
    expect(Object.keys(summary.data.representation).sort()).toEqual(['divisionCode', 'gender', 'institutionCode', 'recordId', 'status', 'updatedAt']);
    expect(summary.data.keys.recordNumber).toBeNull();
    expect(JSON.stringify(summary)).not.toMatch(/王|410102202203150011/);
  });
});
