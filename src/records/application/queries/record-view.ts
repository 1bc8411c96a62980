import type { RecordedEvent } from '../../../shared/event-store/event-store.port.js';
import { maskIdNumber } from '../../domain/id-number.js';

/**
 * Personal data in answers (domain.md section 13): ID numbers, phone numbers and addresses are
 * masked for callers who may not see them, at any depth of a document or event payload.
 */
export function maskPersonal<T>(value: T): T {
  if (Array.isArray(value)) return value.map(maskPersonal) as T;
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string' && v) {
      if (key === 'idNumber') out[key] = maskIdNumber(v);
      // a G number is G + the ID number: it would give the number away
      else if (key === 'recordNumber') out[key] = v.startsWith('G') ? `G${maskIdNumber(v.slice(1))}` : v;
      else if (key === 'phone') out[key] = v.length > 7 ? `${v.slice(0, 3)}****${v.slice(-4)}` : '****';
      else if (key === 'address') out[key] = `${v.slice(0, 6)}…`;
      else if (key === 'dedupeKey' || key === 'presenceKey') out[key] = v.startsWith('id:') ? `id:${maskIdNumber(v.slice(3))}` : 'nid:…';
      else out[key] = v;
    } else out[key] = maskPersonal(v);
  }
  return out as T;
}

const EVENT_LABELS: Record<string, string> = {
  RecordSaved: '保存', RecordEdited: '修改', RecordDeleted: '删除', RecordSubmitted: '提交',
  RecordPassedDeduplication: '省内查重通过', RecordFlaggedAsDuplicate: '查重发现重复，转为问题学籍',
  RecordApproved: '审核通过', RecordNumberIssued: '生成幼儿学籍号', RecordRejected: '驳回', KeyInformationChanged: '关键信息变更',
  RecordLeftDuplicateCase: '退出重复案件（删除或更正）', RecordKeptAfterDuplicateCase: '重复案件处理：本记录有效', RecordVoided: '重复案件处理：学籍失效',
  RecordLeft: '离园', RecordCancelled: '意外离园（注销）', RecordRestored: '信息恢复',
  RecordTransferApplied: '调转：转入园提交转入申请', RecordTransferAgreed: '调转：转出园同意', RecordTransferRefused: '调转：转出园不同意（附原因）',
  RecordTransferWithdrawn: '调转：转入园撤回申请', RecordTransferred: '调转完成：学籍转入新幼儿园（学籍号不变）',
  RecordHandedOver: '学籍接续到小学',
};

/** One line of a history (a record's, a case's): what happened, who did it, when and why. */
export function historyEntry(event: RecordedEvent, seeAll: boolean, labels: Record<string, string> = EVENT_LABELS) {
  return {
    revision: event.revision,
    position: event.position,
    type: event.type,
    label: labels[event.type] ?? event.type,
    occurredAt: event.metadata.occurredAt,
    actor: event.metadata.actor,
    reason: event.metadata.reason ?? null,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    data: seeAll ? event.data : maskPersonal(event.data),
  };
}
