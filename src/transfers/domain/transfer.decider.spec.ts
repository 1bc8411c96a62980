import { describe, expect, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { type ReservationEvent, reservationDecider } from './transfer-reservation.decider.js';
import { transferFlowFor } from './transfer-rules.js';
import { type TransferEvent, transferDecider } from './transfer.decider.js';
import { TRANSFER_EVENTS } from './transfers.events.js';

const registry = new EventRegistry().register(TRANSFER_EVENTS);
const at = '2026-09-07T02:00:00.000Z';
const transferId = '7c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const other = '8d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a';
const recordId = '6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7';
const parties = { fromInstitutionCode: '1141010001', fromDivisionCode: '410102', toInstitutionCode: '1141020001', toDivisionCode: '410202' };
const apply = (flow: 'receiving-first' | 'sending-first' = 'receiving-first') => ({ type: 'ApplyForTransfer' as const, transferId, recordId, flow, ...parties, at });
const applied = (flow: 'receiving-first' | 'sending-first' = 'receiving-first'): TransferEvent => ({ type: 'TransferApplied', data: { transferId, recordId, flow, ...parties, appliedAt: at } });
const agreed: TransferEvent = { type: 'TransferAgreed', data: { transferId, agreedAt: at } };
const completed: TransferEvent = { type: 'TransferCompleted', data: { transferId, recordStatus: 'numbered', completedAt: at } };

describe('transfer decider', () => {
  const spec = deciderSpec(transferDecider, registry);
  it('receiving first: applied, agreed, completed; completing again changes nothing', () => {
    // the application stores no due date (it is counted when asked, ADR 24): applied() has none
    expect(spec.given([]).when(apply()).then([applied()])).toMatchObject({ status: 'applied', appliedAt: at });
    spec.given([applied()]).when({ type: 'CompleteTransfer', recordStatus: 'numbered', at }).thenFails('transfer-not-agreed', 'rule');
    expect(spec.given([applied()]).when({ type: 'AgreeToTransfer', at }).then([agreed]).status).toBe('ready');
    spec.given([applied(), agreed]).when({ type: 'AgreeToTransfer', at }).then([]);
    spec.given([applied(), agreed]).when({ type: 'CompleteTransfer', recordStatus: 'numbered', at }).then([completed]);
    spec.given([applied(), agreed, completed]).when({ type: 'CompleteTransfer', recordStatus: 'numbered', at }).then([]);
  });
  it('sending first needs no agreement and cannot be refused', () => {
    expect(spec.given([]).when(apply('sending-first')).then([applied('sending-first')]).status).toBe('ready');
    spec.given([applied('sending-first')]).when({ type: 'RefuseTransfer', reason: '不同意', at }).thenFails('transfer-already-agreed', 'rule');
    spec.given([applied('sending-first')]).when({ type: 'CompleteTransfer', recordStatus: 'numbered', at }).then([completed]);
  });
  it('a refusal needs a reason; refused and withdrawn transfers are closed', () => {
    spec.given([applied()]).when({ type: 'RefuseTransfer', reason: ' ', at }).thenFails('validation-failed', 'validation');
    const refused: TransferEvent = { type: 'TransferRefused', data: { transferId, refusedAt: at }, reason: '幼儿仍在本园' };
    spec.given([applied()]).when({ type: 'RefuseTransfer', reason: ' 幼儿仍在本园 ', at }).then([refused]);
    spec.given([applied(), refused]).when({ type: 'CompleteTransfer', recordStatus: 'numbered', at }).thenFails('transfer-closed', 'conflict');
    const withdrawn: TransferEvent = { type: 'TransferWithdrawn', data: { transferId, withdrawnAt: at }, reason: '转入园撤回申请' };
    spec.given([applied(), agreed]).when({ type: 'WithdrawTransfer', reason: '', at }).then([withdrawn]);
    spec.given([applied(), withdrawn]).when({ type: 'AgreeToTransfer', at }).thenFails('transfer-closed', 'conflict');
    spec.given([applied(), agreed, completed]).when({ type: 'WithdrawTransfer', reason: '', at }).thenFails('transfer-closed', 'conflict');
    spec.given([]).when({ type: 'AgreeToTransfer', at }).thenFails('transfer-not-found', 'not_found');
  });
});

describe('transfer reservation decider (one open transfer per child)', () => {
  const spec = deciderSpec(reservationDecider, registry);
  const reserve = (id: string, holderAbandoned = false) => ({ type: 'ReserveForTransfer' as const, recordId, transferId: id, toInstitutionCode: '1141020001', holderAbandoned, at });
  const reserved = (id: string): ReservationEvent => ({ type: 'TransferReserved', data: { recordId, transferId: id, toInstitutionCode: '1141020001', reservedAt: at } });
  const released = (id: string): ReservationEvent => ({ type: 'TransferReservationReleased', data: { recordId, transferId: id, releasedAt: at } });
  it('a free child is reserved; the same transfer again changes nothing; another is refused naming the open one', () => {
    spec.given([]).when(reserve(transferId)).then([reserved(transferId)]);
    spec.given([reserved(transferId)]).when(reserve(transferId)).then([]);
    const error = spec.given([reserved(transferId)]).when(reserve(other)).thenFails('transfer-already-open', 'conflict');
    expect(error.details).toMatchObject({ openTransferId: transferId });
    expect(error.message).toContain(transferId);
  });
  it('released by its holder only, once; then free; an abandoned holder is replaced', () => {
    spec.given([reserved(transferId)]).when({ type: 'ReleaseReservation', transferId: other, at }).then([]);
    spec.given([reserved(transferId)]).when({ type: 'ReleaseReservation', transferId, at }).then([released(transferId)]);
    spec.given([reserved(transferId), released(transferId)]).when({ type: 'ReleaseReservation', transferId, at }).then([]);
    spec.given([reserved(transferId), released(transferId)]).when(reserve(other)).then([reserved(other)]);
    spec.given([reserved(transferId)]).when(reserve(other, true)).then([released(transferId), reserved(other)]);
  });
});

describe('who may be transferred', () => {
  const record = (status: string, leaveType: string | null = null) => ({ status, institutionCode: '1141010001', leaveType });
  it('numbered and dedupe-passed children apply receiving first; a transfer-out leave sending first', () => {
    expect(transferFlowFor(record('numbered'), '1141020001')).toBe('receiving-first');
    expect(transferFlowFor(record('dedupe-passed'), '1141020001')).toBe('receiving-first');
    expect(transferFlowFor(record('left', 'transfer-out'), '1141020001')).toBe('sending-first');
  });
  it.each([
    ['problem', null, 'transfer-problem-record'], ['void', null, 'transfer-void-record'], ['cancelled', 'accident', 'transfer-cancelled-record'],
    ['left', 'graduated', 'transfer-left-record'], ['submitted', null, 'transfer-record-in-review'], ['rejected', null, 'transfer-record-status'],
  ])('%s (%s) is refused: %s', (status, leaveType, code) => {
    expect(() => transferFlowFor(record(status, leaveType), '1141020001')).toThrow(expect.objectContaining({ code, message: expect.stringMatching(/[\u4e00-\u9fff]/) }));
  });
  it('its own child is refused', () => {
    expect(() => transferFlowFor(record('numbered'), '1141010001')).toThrow(expect.objectContaining({ code: 'transfer-same-institution' }));
  });
});
