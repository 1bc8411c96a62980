import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { type FieldError, conflict, invalid, notFound, rule } from '../../shared/domain/domain-error.js';
import type { DeclarationKindState, Handling } from './declaration-kind.decider.js';

/**
 * A change declaration (异动申报, domain.md section 9): an institution declares a supervised
 * change of a kind (fields, reason, attachments as evidence files) to its county, which handles
 * it within 5 working days: approves or rejects with a reason (审核 kinds) or acknowledges it
 * (阅知 kinds). The institution may withdraw it before it is handled and resubmit it after a
 * rejection. The working-day clock restarts at each (re)submission.
 */
export type DeclarationAttachment = {
  /** the kind's attachment key the file was uploaded under */
  key: string;
  sha256: string;
  size: number;
  contentType: string;
  fileName: string;
};

/** what the kind asked for when declared: a resubmission is checked against the same */
export type DeclarationSpec = {
  requiredFields: string[];
  allowedFields: string[];
  requiredAttachments: string[];
  allowedAttachments: string[];
};

export type DeclarationStatus = 'none' | 'pending' | 'approved' | 'rejected' | 'acknowledged' | 'withdrawn';
export const STATUS_LABEL: Record<DeclarationStatus, string> = { none: '无', pending: '待处理', approved: '已通过', rejected: '已驳回', acknowledged: '已阅知', withdrawn: '已撤回' };

export type DeclarationEvent =
  | DomainEvent<'ChangeDeclared', { declarationId: string; kindId: string; kindName: string; handling: Handling; institutionCode: string; divisionCode: string; fields: Record<string, string>; attachments: DeclarationAttachment[]; spec: DeclarationSpec; declaredAt: string }>
  | DomainEvent<'DeclarationWithdrawn', { declarationId: string; withdrawnAt: string }>
  | DomainEvent<'DeclarationResubmitted', { declarationId: string; fields: Record<string, string>; attachments: DeclarationAttachment[]; resubmittedAt: string }>
  | DomainEvent<'DeclarationApproved', { declarationId: string; approvedAt: string }>
  | DomainEvent<'DeclarationRejected', { declarationId: string; rejectedAt: string }>
  | DomainEvent<'DeclarationAcknowledged', { declarationId: string; acknowledgedAt: string }>;

export type DeclarationCommand =
  | { type: 'Declare'; declarationId: string; kind: DeclarationKindState; institutionCode: string; divisionCode: string; fields: Record<string, string>; attachments: DeclarationAttachment[]; reason: string; at: string }
  | { type: 'Withdraw'; reason: string; at: string }
  /** attachments not uploaded again are kept from the rejected submission */
  | { type: 'Resubmit'; fields: Record<string, string>; attachments: DeclarationAttachment[]; reason: string; at: string }
  | { type: 'Approve'; opinion: string; at: string }
  | { type: 'Reject'; reason: string; at: string }
  | { type: 'Acknowledge'; opinion: string; at: string };

export interface DeclarationState extends DeclarationSpec {
  status: DeclarationStatus;
  declarationId: string;
  kindId: string;
  kindName: string;
  handling: Handling;
  institutionCode: string;
  divisionCode: string;
  fields: Record<string, string>;
  attachments: DeclarationAttachment[];
}

export const initialDeclaration: DeclarationState = {
  status: 'none', declarationId: '', kindId: '', kindName: '', handling: 'review', institutionCode: '', divisionCode: '',
  requiredFields: [], allowedFields: [], requiredAttachments: [], allowedAttachments: [], fields: {}, attachments: [],
};

const NOT_FOUND = '异动申报不存在或不在您的管辖范围内';

function checkReason(reason: string, errors: FieldError[], message = '请填写异动原因（2-500 字）'): void {
  if (reason.trim().length < 2 || reason.length > 500) errors.push({ field: 'reason', code: 'reason-required', message });
}

/** the fields and attachments against what the kind asks for; every problem at once */
function checkContent(spec: DeclarationSpec, fields: Record<string, string>, attachments: DeclarationAttachment[], errors: FieldError[]): void {
  for (const key of spec.requiredFields) if (!fields[key]?.trim()) errors.push({ field: `fields.${key}`, code: 'field-required', message: '该项为必填项' });
  for (const [key, value] of Object.entries(fields)) {
    if (!spec.allowedFields.includes(key)) errors.push({ field: `fields.${key}`, code: 'field-unknown', message: '该异动类型没有这一项' });
    else if (value.length > 500) errors.push({ field: `fields.${key}`, code: 'field-too-long', message: '最多 500 字' });
  }
  const keys = new Set(attachments.map((a) => a.key));
  for (const key of spec.requiredAttachments) if (!keys.has(key)) errors.push({ field: `attachments.${key}`, code: 'attachment-required', message: '请上传该项附件' });
  for (const key of keys) if (!spec.allowedAttachments.includes(key)) errors.push({ field: `attachments.${key}`, code: 'attachment-unknown', message: '该异动类型没有这一项附件' });
}

function expectPending(state: DeclarationState): void {
  if (state.status === 'none') throw notFound('declaration-not-found', NOT_FOUND);
  if (state.status !== 'pending') throw conflict('declaration-handled', `该申报${STATUS_LABEL[state.status]}，不能再处理`, { status: state.status });
}

export const declarationDecider: Decider<DeclarationCommand, DeclarationState, DeclarationEvent> = {
  initialState: initialDeclaration,

  decide(command, state) {
    const declarationId = state.declarationId;
    switch (command.type) {
      case 'Declare': {
        if (state.status !== 'none') throw conflict('declaration-exists', '该异动申报已存在');
        const { kind } = command;
        if (kind.status !== 'active') throw rule('declaration-kind-retired', `异动类型“${kind.name}”已停用，请选择其他类型`);
        const errors: FieldError[] = [];
        const spec = specOf(kind);
        checkContent(spec, command.fields, command.attachments, errors);
        checkReason(command.reason, errors);
        if (errors.length > 0) throw invalid(errors, '申报内容不完整，请按提示补充后再提交');
        const { declarationId: id, institutionCode, divisionCode, fields, attachments, reason, at } = command;
        return [{ type: 'ChangeDeclared', data: { declarationId: id, kindId: kind.kindId, kindName: kind.name, handling: kind.handling, institutionCode, divisionCode, fields, attachments, spec, declaredAt: at }, reason }];
      }
      case 'Withdraw':
        if (state.status === 'none') throw notFound('declaration-not-found', NOT_FOUND);
        if (state.status === 'withdrawn') return [];
        if (state.status !== 'pending' && state.status !== 'rejected') throw conflict('declaration-handled', `该申报${STATUS_LABEL[state.status]}，不能撤回`, { status: state.status });
        return [{ type: 'DeclarationWithdrawn', data: { declarationId, withdrawnAt: command.at }, ...(command.reason.trim() ? { reason: command.reason } : {}) }];
      case 'Resubmit': {
        if (state.status === 'none') throw notFound('declaration-not-found', NOT_FOUND);
        if (state.status !== 'rejected') throw conflict('declaration-not-rejected', `该申报${STATUS_LABEL[state.status]}，只有被驳回的申报才能重新提交`, { status: state.status });
        const uploaded = new Set(command.attachments.map((a) => a.key));
        const attachments = [...state.attachments.filter((a) => !uploaded.has(a.key)), ...command.attachments];
        const errors: FieldError[] = [];
        checkContent(state, command.fields, attachments, errors);
        checkReason(command.reason, errors, '请说明修改了什么（2-500 字）');
        if (errors.length > 0) throw invalid(errors, '申报内容不完整，请按提示补充后再提交');
        return [{ type: 'DeclarationResubmitted', data: { declarationId, fields: command.fields, attachments, resubmittedAt: command.at }, reason: command.reason }];
      }
      case 'Approve':
      case 'Reject': {
        expectPending(state);
        if (state.handling !== 'review') throw rule('acknowledge-only', `“${state.kindName}”类异动只需阅知，不审核：请点击“阅知”`);
        if (command.type === 'Approve') return [{ type: 'DeclarationApproved', data: { declarationId, approvedAt: command.at }, ...(command.opinion.trim() ? { reason: command.opinion } : {}) }];
        const errors: FieldError[] = [];
        checkReason(command.reason, errors, '请填写驳回原因（2-500 字），幼儿园据此修改后重新提交');
        if (errors.length > 0) throw invalid(errors, '请填写驳回原因');
        return [{ type: 'DeclarationRejected', data: { declarationId, rejectedAt: command.at }, reason: command.reason }];
      }
      case 'Acknowledge':
        expectPending(state);
        if (state.handling !== 'acknowledge') throw rule('review-required', `“${state.kindName}”类异动须审核：请选择通过或驳回`);
        return [{ type: 'DeclarationAcknowledged', data: { declarationId, acknowledgedAt: command.at }, ...(command.opinion.trim() ? { reason: command.opinion } : {}) }];
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ChangeDeclared': {
        const d = event.data;
        return { ...initialDeclaration, status: 'pending', declarationId: d.declarationId, kindId: d.kindId, kindName: d.kindName, handling: d.handling, institutionCode: d.institutionCode, divisionCode: d.divisionCode, fields: d.fields, attachments: d.attachments, ...d.spec };
      }
      case 'DeclarationWithdrawn':
        return { ...state, status: 'withdrawn' };
      case 'DeclarationResubmitted':
        return { ...state, status: 'pending', fields: event.data.fields, attachments: event.data.attachments };
      case 'DeclarationApproved':
        return { ...state, status: 'approved' };
      case 'DeclarationRejected':
        return { ...state, status: 'rejected' };
      case 'DeclarationAcknowledged':
        return { ...state, status: 'acknowledged' };
      default:
        return state;
    }
  },
};

export function specOf(kind: Pick<DeclarationKindState, 'fields' | 'attachments'>): DeclarationSpec {
  return {
    requiredFields: kind.fields.filter((f) => f.required).map((f) => f.key),
    allowedFields: kind.fields.map((f) => f.key),
    requiredAttachments: kind.attachments.filter((a) => a.required).map((a) => a.key),
    allowedAttachments: kind.attachments.map((a) => a.key),
  };
}

export const declarationStream = (declarationId: string): string => `declaration-${declarationId}`;
