import { describe, expect, it } from '@jest/globals';
import { projectEvents } from '../../shared/testing/projection-spec.js';
import { recorded } from '../../shared/testing/recorded.js';
import { TRANSFER_EVENTS } from '../domain/transfers.events.js';
import { transfersProjection } from './transfers.projection.js';

const example = (type: string) => TRANSFER_EVENTS.find((d) => d.type === type)!.example as Record<string, unknown>;
const transferId = String(example('TransferApplied')['transferId']);
const minute = (i: number) => ({ recordedAt: `2026-09-07T02:0${i}:00.000Z` });
const applied = (flow = 'receiving-first') => recorded('TransferApplied', { ...example('TransferApplied'), flow }, minute(0));

describe('transfers projection', () => {
  it('receiving first: waits for the sender, then for the receiver, then closes', () => {
    const a = projectEvents(transfersProjection, [applied()]);
    expect(a.doc('transfers', transferId)).toMatchObject({ status: 'applied', open: true, awaitingInstitutionCode: '1141010001', waitingInstitutionCode: '1141020001', appliedAt: minute(0).recordedAt });
    // the due date is counted when asked, from appliedAt (ADR 24): the document holds none
    expect(a.doc('transfers', transferId)).not.toHaveProperty('dueDate');
    // positions grow with each recorded(): the events of a run are made in their order
    const agreedRun = [applied(), recorded('TransferAgreed', example('TransferAgreed'), minute(1))];
    expect(projectEvents(transfersProjection, agreedRun).doc('transfers', transferId)).toMatchObject({ status: 'ready', awaitingInstitutionCode: '1141020001', waitingInstitutionCode: '1141010001' });
    const done = projectEvents(transfersProjection, [...agreedRun, recorded('TransferCompleted', example('TransferCompleted'), minute(2))]);
    expect(done.doc('transfers', transferId)).toMatchObject({ status: 'completed', open: false, awaitingInstitutionCode: null, waitingInstitutionCode: null, recordStatus: 'numbered', closedAt: minute(2).recordedAt });
  });
  it('sending first waits for the receiver only', () => {
    expect(projectEvents(transfersProjection, [applied('sending-first')]).doc('transfers', transferId)).toMatchObject({ status: 'ready', awaitingInstitutionCode: '1141020001', waitingInstitutionCode: null });
  });
  it('a refusal keeps its reason and leaves both queues', () => {
    const p = projectEvents(transfersProjection, [applied(), recorded('TransferRefused', example('TransferRefused'), { ...minute(1), reason: '幼儿仍在本园' })]);
    expect(p.doc('transfers', transferId)).toMatchObject({ status: 'refused', open: false, reason: '幼儿仍在本园', awaitingInstitutionCode: null, waitingInstitutionCode: null });
  });
});
