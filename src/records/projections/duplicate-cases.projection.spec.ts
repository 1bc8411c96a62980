import { describe, expect, it } from '@jest/globals';
import { projectEvents } from '../../shared/testing/projection-spec.js';
import { recorded } from '../../shared/testing/recorded.js';
import { DUPLICATE_CASE_EVENTS } from '../domain/duplicate-case.events.js';
import { duplicateCasesProjection, entryDocId } from './duplicate-cases.projection.js';

const sample = (type: string) => DUPLICATE_CASE_EVENTS.find((d) => d.type === type)!.example;
const opened = sample('DuplicateCaseOpened') as { caseId: string; entries: Array<{ recordId: string }> };
const caseId = opened.caseId;
const [A, B] = opened.entries.map((e) => e.recordId) as [string, string];
const at = (minute: number) => ({ recordedAt: `2026-10-10T02:${String(minute).padStart(2, '0')}:00.000Z` });

describe('duplicate-case queues projection', () => {
  it('one entry per record of the case, each waiting for whoever must act next, since when', () => {
    const p = projectEvents(duplicateCasesProjection, [
      recorded('DuplicateCaseOpened', opened, at(0)),
      recorded('EvidenceFiled', { ...sample('EvidenceFiled'), recordId: A }, { ...at(5), reason: '附入园登记表' }),
    ]);
    expect(p.doc('entries', entryDocId(caseId, A))).toMatchObject({ status: 'evidence-filed', waitingFor: 'county-review', waitingSince: '2026-10-10T02:05:00.000Z', evidenceFiles: 1, evidenceReason: '附入园登记表', active: true });
    expect(p.doc('entries', entryDocId(caseId, B))).toMatchObject({ status: 'unhandled', waitingFor: 'institution', waitingSince: '2026-10-10T02:00:00.000Z', institutionCode: '1141020001', divisionCode: '410202' });
  });

  it('arbitration: both entries wait for it, the arbitrator’s office has it pending until decided', () => {
    const request = sample('ArbitrationRequested');
    const p = projectEvents(duplicateCasesProjection, [
      recorded('DuplicateCaseOpened', opened, at(0)),
      recorded('EvidenceFiled', { ...sample('EvidenceFiled'), recordId: A }, at(1)),
      recorded('EvidenceFiled', { ...sample('EvidenceFiled'), recordId: B, institutionCode: '1141020001' }, at(2)),
      recorded('EvidenceAccepted', { ...sample('EvidenceAccepted'), recordId: A }, at(3)),
      recorded('EvidenceAccepted', { ...sample('EvidenceAccepted'), recordId: B }, at(4)),
      recorded('ArbitrationRequested', request, at(4)),
    ]);
    for (const id of [A, B]) expect(p.doc('entries', entryDocId(caseId, id))).toMatchObject({ status: 'evidence-passed', waitingFor: 'arbitration', caseStatus: 'arbitration', arbitrationLevel: 'province' });
    expect(p.doc('arbitrations', caseId)).toMatchObject({ status: 'pending', level: 'province', divisionCode: '410000', proposedRecordId: A, requestedAt: '2026-10-10T02:04:00.000Z' });

    const decided = projectEvents(duplicateCasesProjection, [
      recorded('DuplicateCaseOpened', opened, at(0)),
      recorded('ArbitrationRequested', request, at(4)),
      recorded('ArbitrationDecided', sample('ArbitrationDecided'), { ...at(9), reason: '有学费票据' }),
      recorded('DuplicateCaseResolved', { ...sample('DuplicateCaseResolved'), validRecordId: B, voidRecordIds: [A] }, at(9)),
    ]);
    expect(decided.doc('arbitrations', caseId)).toMatchObject({ status: 'decided', validRecordId: B, followedProposal: false, reason: '有学费票据' });
    expect(decided.doc('entries', entryDocId(caseId, B))).toMatchObject({ status: 'valid', active: false, waitingFor: null, caseStatus: 'resolved' });
    expect(decided.doc('entries', entryDocId(caseId, A))).toMatchObject({ status: 'void', active: false, caseStatus: 'resolved' });
  });

  it('an entry that leaves is out of every queue; it comes back unhandled if it rejoins', () => {
    const withdrawn = { ...sample('DuplicateEntryWithdrawn'), recordId: B };
    const p = projectEvents(duplicateCasesProjection, [
      recorded('DuplicateCaseOpened', opened, at(0)),
      recorded('DuplicateEntryWithdrawn', withdrawn, at(1)),
    ]);
    expect(p.doc('entries', entryDocId(caseId, B))).toMatchObject({ status: 'deleted', active: false, waitingFor: null });
    const back = projectEvents(duplicateCasesProjection, [
      recorded('DuplicateCaseOpened', opened, at(0)),
      recorded('DuplicateEntryWithdrawn', withdrawn, at(1)),
      recorded('DuplicateEntryJoined', { caseId, entry: opened.entries[1], joinedAt: '2026-10-10T02:07:00.000Z' }, at(7)),
    ]);
    expect(back.doc('entries', entryDocId(caseId, B))).toMatchObject({ status: 'unhandled', active: true, waitingFor: 'institution', waitingSince: '2026-10-10T02:07:00.000Z' });
  });
});
