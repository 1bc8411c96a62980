import { describe, expect, it } from '@jest/globals';
import { projectEvents } from '../../shared/testing/projection-spec.js';
import { recorded } from '../../shared/testing/recorded.js';
import { HANDOVER_EVENTS } from '../domain/handover.events.js';
import { handoverProjection } from './handover.projection.js';

const sample = (type: string) => HANDOVER_EVENTS.find((d) => d.type === type)!.example as Record<string, unknown>;
const minute = (i: number): string => `2027-09-02T02:${String(i).padStart(2, '0')}:00.000Z`;
const history = (...types: string[]) => types.map((type, i) => recorded(type, sample(type), { recordedAt: minute(i) }));
const listId = String(sample('PupilListImported')['listId']);
const entryId = String(sample('PupilEntrySupplemented')['entryId']);

describe('hand-over projection (issue 16)', () => {
  it('an imported list: its log and counts, and each entry in the school’s queue by status', () => {
    const docs = projectEvents(handoverProjection, history('PupilListImported'));
    expect(docs.doc('lists', listId)).toMatchObject({ schoolCode: '2141010101', divisionCode: '410102', rows: 2, failed: 1, entries: 1, counts: { matched: 1, 'not-found': 0 } });
    expect(docs.doc('entries', entryId)).toMatchObject({ listId, schoolCode: '2141010101', row: 2, name: '王小明', idNumber: '410102202103150014', status: 'matched', outcome: 'matched' });
  });

  it('a supplement moves the counts and tallies the hand-over for the kindergarten’s county, by school', () => {
    const docs = projectEvents(handoverProjection, history('PupilListImported', 'PupilEntrySupplemented'));
    expect(docs.doc('lists', listId)).toMatchObject({ counts: { matched: 0, supplemented: 1 } });
    expect(docs.doc('entries', entryId)).toMatchObject({ status: 'supplemented', kindergartenCode: '1141010001', supplementedAt: minute(1) });
    expect(docs.doc('tallies', '410102')).toMatchObject({ divisionCode: '410102', handedOver: 1, toSchools: { '2141010101': 1 } });
  });

  it('a correction and a deletion move the entry out of the status it left', () => {
    const list = sample('PupilListImported') as { entries: Array<Record<string, unknown>> } & Record<string, unknown>;
    const notFound = { outcome: 'not-found', recordId: null, candidates: [], basis: null };
    const events = [
      recorded('PupilListImported', { ...list, entries: [{ ...list.entries[0], match: notFound }] }, { recordedAt: minute(0) }),
      recorded('PupilEntryCorrected', { ...sample('PupilEntryCorrected'), from: 'not-found' }, { recordedAt: minute(1) }),
      recorded('PupilEntryDeleted', { ...sample('PupilEntryDeleted'), from: 'to-confirm' }, { recordedAt: minute(2) }),
    ];
    const docs = projectEvents(handoverProjection, events);
    expect(docs.doc('entries', entryId)).toMatchObject({ status: 'deleted', outcome: 'to-confirm', candidates: sample('PupilEntryCorrected')['match'] && expect.arrayContaining([expect.any(String)]) });
    expect(docs.doc('lists', listId)!['counts']).toEqual({ matched: 0, 'to-confirm': 0, 'not-found': 0, 'none-match': 0, supplemented: 0, deleted: 1 });
  });
});
