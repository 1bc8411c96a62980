import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { conflict, invalid, notFound, rule } from '../../shared/domain/domain-error.js';

/**
 * A transfer between kindergartens (幼儿调转, domain.md section 7, issue 15), one stream each:
 *   receiving first: applied -sending agrees-> ready -receiving completes-> completed
 *                    applied -sending refuses (reason)-> refused
 *   sending first (the child left with a transfer-out leave): applied as ready -> completed
 *   applied | ready -applicant withdraws-> withdrawn
 * It names the child by record id only: no name, ID number or record number (a G number holds
 * the ID number). The move itself is the records context's (RecordRegister.moveTo).
 */
export type TransferStatus = 'none' | 'applied' | 'ready' | 'refused' | 'withdrawn' | 'completed';
export type TransferFlow = 'receiving-first' | 'sending-first';

export type TransferParties = {
  fromInstitutionCode: string;
  fromDivisionCode: string;
  toInstitutionCode: string;
  toDivisionCode: string;
};

export type TransferEvent =
  | DomainEvent<'TransferApplied', TransferParties & { transferId: string; recordId: string; flow: TransferFlow; appliedAt: string }>
  | DomainEvent<'TransferAgreed', { transferId: string; agreedAt: string }>
  | DomainEvent<'TransferRefused', { transferId: string; refusedAt: string }>
  | DomainEvent<'TransferWithdrawn', { transferId: string; withdrawnAt: string }>
  | DomainEvent<'TransferCompleted', { transferId: string; recordStatus: 'numbered' | 'dedupe-passed'; completedAt: string }>;

export type TransferCommand =
  | (TransferParties & { type: 'ApplyForTransfer'; transferId: string; recordId: string; flow: TransferFlow; at: string })
  | { type: 'AgreeToTransfer'; at: string }
  | { type: 'RefuseTransfer'; reason: string; at: string }
  | { type: 'WithdrawTransfer'; reason: string; at: string }
  /** idempotent: the transfers reactor repeats it after the record moved */
  | { type: 'CompleteTransfer'; recordStatus: 'numbered' | 'dedupe-passed'; at: string };

export interface TransferState extends TransferParties {
  status: TransferStatus;
  transferId: string;
  recordId: string;
  flow: TransferFlow;
  /** the deadline is counted from it when asked (transfer-views.ts): no due date is stored (ADR 24) */
  appliedAt: string;
  /** the record's status on arrival (set on completion) */
  recordStatus: 'numbered' | 'dedupe-passed' | null;
}

export const initialTransfer: TransferState = {
  status: 'none', transferId: '', recordId: '', flow: 'receiving-first', appliedAt: '', recordStatus: null, fromInstitutionCode: '', fromDivisionCode: '', toInstitutionCode: '', toDivisionCode: '',
};

export const TRANSFER_NOT_FOUND = '调转申请不存在或不在您的管辖范围内';

const CLOSED: Partial<Record<TransferStatus, string>> = { refused: '已被转出园拒绝', withdrawn: '已撤回', completed: '已办结' };

function expectOpen(state: TransferState, action: string): void {
  if (state.status === 'none') throw notFound('transfer-not-found', TRANSFER_NOT_FOUND);
  const closed = CLOSED[state.status];
  if (closed) throw conflict('transfer-closed', `该调转申请${closed}，不能再${action}`, { status: state.status });
}

function reasonOf(reason: string, message: string): string {
  const trimmed = reason.trim();
  if (trimmed.length < 2) throw invalid([{ field: 'reason', code: 'reason-required', message }], message);
  return trimmed;
}

export const transferDecider: Decider<TransferCommand, TransferState, TransferEvent> = {
  initialState: initialTransfer,

  decide(command, state) {
    const { transferId } = state;
    switch (command.type) {
      case 'ApplyForTransfer': {
        if (state.status !== 'none') throw conflict('transfer-exists', '该调转申请已存在');
        const { type: _t, at, ...data } = command;
        return [{ type: 'TransferApplied', data: { ...data, appliedAt: at } }];
      }
      case 'AgreeToTransfer':
        if (state.status === 'ready') return [];
        expectOpen(state, '同意');
        return [{ type: 'TransferAgreed', data: { transferId, agreedAt: command.at } }];
      case 'RefuseTransfer': {
        expectOpen(state, '拒绝');
        if (state.status === 'ready') {
          throw rule('transfer-already-agreed', state.flow === 'sending-first' ? '幼儿已由本园办理转出离园，无需再审批；如为误操作请联系转入园撤回申请' : '本园已同意该调转申请，不能再拒绝');
        }
        const reason = reasonOf(command.reason, '请填写不同意调转的原因（至少 2 个字），转入园将看到该原因');
        return [{ type: 'TransferRefused', data: { transferId, refusedAt: command.at }, reason }];
      }
      case 'WithdrawTransfer': {
        expectOpen(state, '撤回');
        const reason = command.reason.trim() || '转入园撤回申请';
        return [{ type: 'TransferWithdrawn', data: { transferId, withdrawnAt: command.at }, reason }];
      }
      case 'CompleteTransfer':
        if (state.status === 'completed') return [];
        expectOpen(state, '办结');
        if (state.status === 'applied') throw rule('transfer-not-agreed', '转出园尚未同意该调转申请，暂不能办结；请等待转出园处理');
        return [{ type: 'TransferCompleted', data: { transferId, recordStatus: command.recordStatus, completedAt: command.at } }];
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'TransferApplied': {
        return { ...state, ...event.data, status: event.data.flow === 'sending-first' ? 'ready' : 'applied' };
      }
      case 'TransferAgreed':
        return { ...state, status: 'ready' };
      case 'TransferRefused':
        return { ...state, status: 'refused' };
      case 'TransferWithdrawn':
        return { ...state, status: 'withdrawn' };
      case 'TransferCompleted':
        return { ...state, status: 'completed', recordStatus: event.data.recordStatus };
      default:
        return state;
    }
  },
};

export const transferStream = (transferId: string): string => `transfer-${transferId}`;
export const isOpen = (status: TransferStatus): boolean => status === 'applied' || status === 'ready';
