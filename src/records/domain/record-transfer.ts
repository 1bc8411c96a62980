import type { DomainEvent } from '../../shared/domain/decider.js';
import { rule } from '../../shared/domain/domain-error.js';
import { type ChildFields, dedupeKey } from './child.js';

/** What of the record's state a move needs (record.decider.ts holds the whole state and calls these). */
export interface MovableRecord {
  recordId: string;
  status: string;
  institutionCode: string;
  divisionCode: string;
  recordNumber: string | null;
  child: ChildFields | null;
  dedupeKey: string | null;
  leave: { leaveType: string; leaveDate: string } | null;
  transferSteps: string[];
}

/**
 * A child's move to another kindergarten (幼儿调转, issue 15, ADR 24), as the record sees it: the
 * steps of the transfer noted on the record (so its history shows them, with their actors), and the
 * move itself. The transfer's own rules (who applies, who agrees) live in the transfers context.
 */
export type TransferStep = 'applied' | 'agreed' | 'refused' | 'withdrawn';

export type RecordTransferEvent =
  | DomainEvent<'RecordTransferApplied', { recordId: string; transferId: string; toInstitutionCode: string; appliedAt: string }>
  | DomainEvent<'RecordTransferAgreed', { recordId: string; transferId: string; agreedAt: string }>
  | DomainEvent<'RecordTransferRefused', { recordId: string; transferId: string; refusedAt: string }>
  | DomainEvent<'RecordTransferWithdrawn', { recordId: string; transferId: string; withdrawnAt: string }>
  /** the record now belongs to the receiving kindergarten: same id, same number, same history */
  | DomainEvent<'RecordTransferred', { recordId: string; transferId: string; fromInstitutionCode: string; fromDivisionCode: string; toInstitutionCode: string; toDivisionCode: string; status: 'numbered' | 'dedupe-passed'; transferredAt: string }>;

export type RecordTransferCommand =
  /** idempotent per transfer and step: the transfers reactor repeats it after a crash */
  | { type: 'NoteTransfer'; step: TransferStep; transferId: string; toInstitutionCode: string; reason: string | null; at: string }
  | { type: 'MoveRecord'; transferId: string; toInstitutionCode: string; toDivisionCode: string; at: string };

const stepKey = (transferId: string, step: TransferStep | 'moved') => `${transferId}:${step}`;

export function decideNote(command: Extract<RecordTransferCommand, { type: 'NoteTransfer' }>, state: MovableRecord): RecordTransferEvent[] {
  if (state.transferSteps.includes(stepKey(command.transferId, command.step))) return [];
  const { recordId } = state;
  const { transferId, at } = command;
  const reason = command.reason ?? undefined;
  switch (command.step) {
    case 'applied':
      return [{ type: 'RecordTransferApplied', data: { recordId, transferId, toInstitutionCode: command.toInstitutionCode, appliedAt: at } }];
    case 'agreed':
      return [{ type: 'RecordTransferAgreed', data: { recordId, transferId, agreedAt: at } }];
    case 'refused':
      return [{ type: 'RecordTransferRefused', data: { recordId, transferId, refusedAt: at }, ...(reason ? { reason } : {}) }];
    case 'withdrawn':
      return [{ type: 'RecordTransferWithdrawn', data: { recordId, transferId, withdrawnAt: at }, ...(reason ? { reason } : {}) }];
  }
}

/**
 * What may move: a numbered child, a numbered record back in review after a key change (it stays
 * dedupe-passed: the receiving reviewer approves it), a child that left with a transfer-out leave
 * (it arrives numbered). The status check itself is the decider's (expectStatus).
 */
export function decideMove(command: Extract<RecordTransferCommand, { type: 'MoveRecord' }>, state: MovableRecord): RecordTransferEvent[] {
  if (state.transferSteps.includes(stepKey(command.transferId, 'moved'))) return [];
  if (state.status === 'left' && state.leave?.leaveType !== 'transfer-out') {
    throw rule('transfer-left-record', '该幼儿已离园（非转出），不能调转；如为误操作，请先提交“幼儿信息恢复申请”');
  }
  if (!state.recordNumber) throw rule('transfer-record-unnumbered', '该学籍尚未生成学籍号，不能调转：请先由原幼儿园审核通过');
  if (state.institutionCode === command.toInstitutionCode) throw rule('transfer-same-institution', '幼儿已在本园，无需调转');
  return [{
    type: 'RecordTransferred',
    data: {
      recordId: state.recordId, transferId: command.transferId,
      fromInstitutionCode: state.institutionCode, fromDivisionCode: state.divisionCode,
      toInstitutionCode: command.toInstitutionCode, toDivisionCode: command.toDivisionCode,
      status: state.status === 'dedupe-passed' ? 'dedupe-passed' : 'numbered',
      transferredAt: command.at,
    },
  }];
}

export function evolveTransfer<S extends MovableRecord>(state: S, event: RecordTransferEvent): S {
  switch (event.type) {
    case 'RecordTransferApplied':
      return { ...state, transferSteps: [...state.transferSteps, stepKey(event.data.transferId, 'applied')] };
    case 'RecordTransferAgreed':
      return { ...state, transferSteps: [...state.transferSteps, stepKey(event.data.transferId, 'agreed')] };
    case 'RecordTransferRefused':
      return { ...state, transferSteps: [...state.transferSteps, stepKey(event.data.transferId, 'refused')] };
    case 'RecordTransferWithdrawn':
      return { ...state, transferSteps: [...state.transferSteps, stepKey(event.data.transferId, 'withdrawn')] };
    case 'RecordTransferred': {
      const { toInstitutionCode, toDivisionCode, status, transferId } = event.data;
      // a child without an ID number keys on its kindergarten: the key follows it (ADR 24)
      const key = state.dedupeKey?.startsWith('nid:') && state.child ? dedupeKey(state.child, toInstitutionCode) : state.dedupeKey;
      return { ...state, institutionCode: toInstitutionCode, divisionCode: toDivisionCode, status, leave: null, dedupeKey: key, transferSteps: [...state.transferSteps, stepKey(transferId, 'moved')] } as S;
    }
  }
}

export const TRANSFER_EVENT_TYPES = ['RecordTransferApplied', 'RecordTransferAgreed', 'RecordTransferRefused', 'RecordTransferWithdrawn', 'RecordTransferred'] as const;
