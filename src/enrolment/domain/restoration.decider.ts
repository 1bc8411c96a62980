import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { conflict, invalid, notFound } from '../../shared/domain/domain-error.js';

/**
 * A restoration application (幼儿信息恢复申请, domain.md section 8): the institution applies to
 * restore children it removed by mistake; its county approves or rejects with a reason. Approval
 * is carried to each record (and its class) by the enrolment reactor, with new events only.
 */
export const RESTORATION_CATEGORIES = ['graduated', 'transfer-out', 'suspended', 'other', 'accident'] as const;
export type RestorationCategory = (typeof RESTORATION_CATEGORIES)[number];
export const CATEGORY_LABEL: Record<RestorationCategory, string> = { graduated: '毕业', 'transfer-out': '转出', suspended: '休学', other: '其他', accident: '意外离园' };

export type RestorationEvent =
  | DomainEvent<'RestorationApplied', { applicationId: string; institutionCode: string; divisionCode: string; category: RestorationCategory; recordIds: string[]; appliedAt: string }>
  | DomainEvent<'RestorationApproved', { applicationId: string; approvedAt: string }>
  | DomainEvent<'RestorationRejected', { applicationId: string; rejectedAt: string }>;

export type RestorationCommand =
  | { type: 'ApplyForRestoration'; applicationId: string; institutionCode: string; divisionCode: string; category: RestorationCategory; recordIds: string[]; reason: string; at: string }
  | { type: 'ApproveRestoration'; at: string }
  | { type: 'RejectRestoration'; reason: string; at: string };

export interface RestorationState {
  status: 'none' | 'pending' | 'approved' | 'rejected';
  applicationId: string;
  institutionCode: string;
  divisionCode: string;
  category: RestorationCategory;
  recordIds: string[];
}

export const initialRestoration: RestorationState = { status: 'none', applicationId: '', institutionCode: '', divisionCode: '', category: 'graduated', recordIds: [], };

const reasonOf = (reason: string, field = 'reason') => {
  if (reason.trim().length < 2) throw invalid([{ field, code: 'reason-required', message: '请填写原因（至少 2 个字）' }]);
};

export const restorationDecider: Decider<RestorationCommand, RestorationState, RestorationEvent> = {
  initialState: initialRestoration,

  decide(command, state) {
    switch (command.type) {
      case 'ApplyForRestoration': {
        if (state.status !== 'none') throw conflict('restoration-exists', '该恢复申请已存在');
        if (command.recordIds.length === 0) throw invalid([{ field: 'recordIds', code: 'children-required', message: '请选择要恢复的幼儿' }]);
        reasonOf(command.reason);
        const { type: _t, reason, at, ...data } = command;
        return [{ type: 'RestorationApplied', data: { ...data, recordIds: [...new Set(data.recordIds)], appliedAt: at }, reason }];
      }
      case 'ApproveRestoration':
      case 'RejectRestoration': {
        if (state.status === 'none') throw notFound('restoration-not-found', '恢复申请不存在或不在您的管辖范围内');
        if (state.status !== 'pending') throw conflict('restoration-decided', `该申请已${state.status === 'approved' ? '通过' : '驳回'}，不能再次审核；如需重新审核，请幼儿园重新提交恢复申请`);
        if (command.type === 'ApproveRestoration') return [{ type: 'RestorationApproved', data: { applicationId: state.applicationId, approvedAt: command.at } }];
        reasonOf(command.reason);
        return [{ type: 'RestorationRejected', data: { applicationId: state.applicationId, rejectedAt: command.at }, reason: command.reason }];
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'RestorationApplied': {
        const { applicationId, institutionCode, divisionCode, category, recordIds } = event.data;
        return { status: 'pending', applicationId, institutionCode, divisionCode, category, recordIds };
      }
      case 'RestorationApproved':
        return { ...state, status: 'approved' };
      case 'RestorationRejected':
        return { ...state, status: 'rejected' };
      default:
        return state;
    }
  },
};

export const restorationStream = (applicationId: string): string => `restoration-${applicationId}`;
