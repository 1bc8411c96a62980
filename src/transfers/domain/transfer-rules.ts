import { DomainError, rule } from '../../shared/domain/domain-error.js';
import type { TransferFlow } from './transfer.decider.js';

/** What the applicant's rules need to know of the child's record (records' facts, by value). */
export interface RecordAtApplication {
  status: string;
  institutionCode: string;
  leaveType: string | null;
}

/**
 * May `applicant` apply for this child (domain.md sections 5-7)? The flow when it may (a child
 * that left with a transfer-out leave needs no agreement), the refusal when it may not. A problem
 * record, a void or cancelled one, one still in de-duplication and a child that left otherwise
 * cannot be transferred.
 */
export function transferFlowFor(record: RecordAtApplication, applicantInstitutionCode: string): TransferFlow {
  if (record.institutionCode === applicantInstitutionCode) throw rule('transfer-same-institution', '该幼儿已在本园，无需办理转入');
  switch (record.status) {
    case 'numbered':
    case 'dedupe-passed':
      return 'receiving-first';
    case 'left':
      if (record.leaveType === 'transfer-out') return 'sending-first';
      throw rule('transfer-left-record', '该幼儿已在原幼儿园办理离园（非转出），不能调转：如需调转，请原幼儿园先提交“幼儿信息恢复申请”');
    case 'problem':
      throw rule('transfer-problem-record', '该幼儿的学籍为问题学籍（省内查重发现重复），处理完成前不能调转：请联系原幼儿园处理');
    case 'void':
      throw rule('transfer-void-record', '该学籍已在重复案件中失效，不能调转：请核对学籍号，以有效学籍为准');
    case 'cancelled':
      throw rule('transfer-cancelled-record', '该学籍已因意外离园注销，不能调转');
    case 'submitted':
      throw rule('transfer-record-in-review', '该学籍正在进行省内查重，请稍后再申请');
    default:
      throw new DomainError('rule', 'transfer-record-status', '该学籍当前状态不能调转：请联系原幼儿园确认学籍状态', [], { status: record.status });
  }
}

export const TRANSFER_DEADLINE_WORKING_DAYS = 30;
