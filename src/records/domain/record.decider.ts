import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { DomainError, conflict, invalid, notFound, rule } from '../../shared/domain/domain-error.js';
import { type ChildFields, KEY_FIELDS, type KeyInformation, dedupeKey, normaliseChild, validateChild } from './child.js';
import { beijingDate } from '../../shared/time/beijing.js';
import { legacyKeyHash } from './dedupe-key.decider.js';
import { gRecordNumber, RECORD_NUMBER } from './record-number.js';
import { type RecordTransferCommand, type RecordTransferEvent, decideMove, decideNote, evolveTransfer } from './record-transfer.js';

/**
 * The child record (幼儿学籍), domain.md section 4:
 *   saved -submit-> submitted -unique-> dedupe-passed -approve-> numbered (approved, number issued at once)
 *   submitted -duplicate-> problem;  dedupe-passed -reject(reason)-> rejected -edit/submit/delete
 *   numbered -key information change-> submitted (de-duplication and review again)
 * and for problem records (domain.md section 5, issue 5):
 *   problem -deleted by the institution, or force-deleted by its county-> deleted
 *   problem -corrected (key changed)-> submitted (de-duplication again, leaving the case)
 *   problem -the case keeps it-> dedupe-passed, or numbered if it had been approved
 *   problem -the case voids it-> void (失效: terminal; never approved, moved or numbered)
 * and, from any status, erased (issue 21): the county administrator erases a record created by
 * mistake or past its retention; its data key is destroyed (crypto-shredding), the events stay.
 */
export type RecordStatus = 'none' | 'saved' | 'submitted' | 'dedupe-passed' | 'problem' | 'rejected' | 'numbered' | 'deleted' | 'void' | 'left' | 'cancelled' | 'erased';

/** Normal leaves (离园, domain.md section 6); an accident leave (发生意外离园) is a cancellation (注销) of its own. */
export const LEAVE_TYPES = ['transfer-out', 'graduated', 'suspended', 'other'] as const;
export type LeaveType = (typeof LEAVE_TYPES)[number];

/** How a problem record left its duplicate case on its own institution's or county's action. */
export type LeftCaseHow = 'deleted' | 'corrected' | 'force-deleted';

export type ImportRef = { batchId: string; row: number };

/** Why a record may be erased (PIPL art. 47): entered by mistake, or its retention period has ended. */
export const ERASURE_GROUNDS = ['created-by-mistake', 'retention-ended'] as const;
export type ErasureGround = (typeof ERASURE_GROUNDS)[number];

export type RecordEvent =
  | DomainEvent<'RecordSaved', { recordId: string; institutionCode: string; divisionCode: string; child: ChildFields; overAgeConfirmed: boolean; importRef: ImportRef | null; savedAt: string }>
  | DomainEvent<'RecordEdited', { recordId: string; child: ChildFields; overAgeConfirmed: boolean; editedAt: string }>
  | DomainEvent<'RecordDeleted', { recordId: string; deletedAt: string }>
  | DomainEvent<'RecordSubmitted', { recordId: string; dedupeKey: string; submittedAt: string }>
  | DomainEvent<'RecordPassedDeduplication', { recordId: string; passedAt: string }>
  /** `keyHash`: the keyed hash of the key the case is about (absent on events written before ADR 22) */
  | DomainEvent<'RecordFlaggedAsDuplicate', { recordId: string; caseId: string; keyHash?: string; flaggedAt: string }>
  | DomainEvent<'RecordApproved', { recordId: string; approvedAt: string }>
  | DomainEvent<'RecordNumberIssued', { recordId: string; recordNumber: string; issuedAt: string }>
  | DomainEvent<'RecordRejected', { recordId: string; rejectedAt: string }>
  | DomainEvent<'KeyInformationChanged', { recordId: string; before: KeyInformation; after: KeyInformation; dedupeKey: string; changedAt: string }>
  | DomainEvent<'RecordLeftDuplicateCase', { recordId: string; caseId: string; keyHash: string; how: LeftCaseHow; leftAt: string }>
  | DomainEvent<'RecordKeptAfterDuplicateCase', { recordId: string; caseId: string; status: 'dedupe-passed' | 'numbered'; keptAt: string }>
  | DomainEvent<'RecordVoided', { recordId: string; caseId: string; voidedAt: string }>
  | DomainEvent<'RecordLeft', { recordId: string; leaveType: LeaveType; leaveDate: string; leftAt: string }>
  | DomainEvent<'RecordCancelled', { recordId: string; accidentDate: string; proofFileIds: string[]; cancelledAt: string }>
  /** back exactly as before the leave (numbered, same number) on an approved restoration application (issue 14) */
  | DomainEvent<'RecordRestored', { recordId: string; applicationId: string; restoredAt: string }>
  /** a transfer's steps noted on the record, and the move to the receiving kindergarten (issue 15) */
  | RecordTransferEvent
  /** handed over to a primary school (学籍接续, issue 16): one school at most; who did it is the event's actor */
  | DomainEvent<'RecordHandedOver', { recordId: string; schoolCode: string; schoolName: string; entryId: string; leftKindergarten: boolean; handedOverAt: string }>
  /** the personal data is destroyed with its key; `keyHash`: the de-duplication key it gives up (null if none) */
  | DomainEvent<'RecordErased', { recordId: string; ground: ErasureGround; keyHash: string | null; erasedAt: string }>;

export type RecordCommand =
  | { type: 'SaveRecord'; recordId: string; institutionCode: string; divisionCode: string; child: ChildFields; confirmOverAge: boolean; importRef: ImportRef | null; at: string }
  | { type: 'EditRecord'; child: ChildFields; confirmOverAge: boolean; at: string }
  | { type: 'DeleteRecord'; reason: string; at: string }
  | { type: 'SubmitRecord'; at: string }
  /** the outcome of the claim of `dedupeKey`: stale outcomes (the record moved on to another key) change nothing */
  | { type: 'PassDeduplication'; dedupeKey: string; at: string }
  /**
   * the key stream knows its holders by keyed hash only, which the domain cannot compute (the secret
   * is the deployment's): the caller read the record's key, checked that it hashes to `keyHash` and
   * sends both. A record that has moved on to another key since is left as it is.
   */
  | { type: 'FlagAsDuplicate'; caseId: string; keyHash: string; dedupeKey: string; at: string }
  | { type: 'ApproveRecord'; recordNumber: string; at: string }
  | { type: 'RejectRecord'; reason: string; at: string }
  | { type: 'ChangeKeyInformation'; key: KeyInformation; confirmOverAge: boolean; reason: string; at: string }
  /** the outcome of a duplicate case, from its process manager: only the record's current case counts */
  | { type: 'KeepAfterDuplicateCase'; caseId: string; at: string }
  | { type: 'VoidRecord'; caseId: string; reason: string; at: string }
  /**
   * the batch the record was imported with did not complete: the record goes as a deletion would
   * take it (ADR 0011); a record of another batch, already gone, or taken further (submitted,
   * approved) is left as it is
   */
  | { type: 'WithdrawImportedRecord'; batchId: string; reason: string; at: string }
  /** the county deleted the entry in the case (the case decided it may) */
  | { type: 'ForceDeleteRecord'; caseId: string; reason: string; at: string }
  /** a numbered child leaves; the same leave again (a reactor repeating a class graduation) changes nothing */
  | { type: 'LeaveRecord'; leaveType: LeaveType; leaveDate: string; reason: string; at: string }
  /** accident leave: cancels the record; `lastAllowedDate` is the accident date + 30 working days (the caller's calendar) */
  | { type: 'CancelRecord'; accidentDate: string; lastAllowedDate: string; today: string; proofFileIds: string[]; reason: string; at: string }
  | { type: 'RestoreRecord'; applicationId: string; at: string }
  | RecordTransferCommand
  /**
   * a primary school takes the record over (补录 saved, issue 16): a child still in the kindergarten
   * leaves it (graduated, on the Beijing date of `at`); the same school again changes nothing, another is refused naming the first
   */
  | { type: 'HandOverRecord'; schoolCode: string; schoolName: string; entryId: string; at: string }
  /** `hashKey`: the deployment's keyed hash of a de-duplication key (ADR 22), so the event names the key stream it gives up */
  | { type: 'EraseRecord'; ground: ErasureGround; reason: string; at: string; hashKey: (dedupeKey: string) => string };

export interface RecordState {
  status: RecordStatus;
  recordId: string;
  institutionCode: string;
  divisionCode: string;
  child: ChildFields | null;
  recordNumber: string | null;
  /** the de-duplication key of the last submission (null until submitted) */
  dedupeKey: string | null;
  importRef: ImportRef | null;
  /** the status a problem record had before its case: where it returns if it stays valid (issue 5) */
  statusBeforeProblem: RecordStatus | null;
  /** the duplicate case a problem record is in (null otherwise) */
  caseId: string | null;
  /** the keyed hash of the key of that case: the key stream the record gives up when it leaves the case */
  caseKeyHash: string | null;
  /** when the record entered the system: arbitration proposes the entry saved first */
  savedAt: string | null;
  /** the last leave (or cancellation) of a left or cancelled record */
  leave: { leaveType: LeaveType | 'accident'; leaveDate: string } | null;
  /** the restoration applications that brought the record back (a repeated one changes nothing) */
  restoredBy: string[];
  /** the transfer steps noted and moves made (`<transferId>:<step>`): a repeated one changes nothing */
  transferSteps: string[];
  /** the primary school the record was handed over to (issue 16), or null */
  handedOver: { schoolCode: string; schoolName: string; entryId: string; at: string } | null;
}

export const initialRecord: RecordState = {
  status: 'none', recordId: '', institutionCode: '', divisionCode: '', child: null, recordNumber: null, dedupeKey: null, importRef: null, statusBeforeProblem: null, caseId: null, caseKeyHash: null, savedAt: null, leave: null, restoredBy: [], transferSteps: [], handedOver: null,
};

/** How registrars name the states (refusals, import logs). */
export const STATUS_LABEL: Record<RecordStatus, string> = {
  none: '不存在', saved: '已保存', submitted: '已提交（查重中）', 'dedupe-passed': '省内查重通过', problem: '问题学籍',
  rejected: '已驳回', numbered: '审核通过（已生成学籍号）', deleted: '已删除', void: '已失效', left: '已离园', cancelled: '已注销（意外离园）',
  erased: '已擦除（个人信息已销毁）',
};

/** What a registrar can do with a record in each status: said with every status refusal (issue 22, item 4). */
const NEXT_STEP: Record<RecordStatus, string> = {
  none: '请刷新列表后重试', deleted: '请刷新列表后重试',
  saved: '请先在“已保存”列表中提交，省内查重通过后由审核账号审核',
  submitted: '请稍候：省内查重完成后记录会进入审核队列或问题学籍',
  'dedupe-passed': '该记录在审核队列中，请由本园审核账号审核通过或驳回',
  problem: '请在“问题学籍”中处理：提交佐证材料，或修改、删除本园的这条记录',
  rejected: '请在“已驳回”列表中修改后重新提交，或删除该记录',
  numbered: '已审核通过的学籍如需更正，请由审核账号办理“关键信息变更”',
  void: '该学籍已在重复案件中失效，无需再处理；如有疑问请联系县级教育部门',
  left: '幼儿已离园；如为误操作，请提交“幼儿信息恢复申请”，由区县审核后恢复',
  cancelled: '学籍已因意外离园注销；如为误操作，请提交“幼儿信息恢复申请”，由区县审核后恢复',
  erased: '该学籍的个人信息已按规定销毁，不能再办理任何业务；如幼儿仍需建档，请重新录入',
};

/**
 * Seen above the institution once its reviewer approved it (it has a number), while in a
 * duplicate case, or once voided by one (auditors and arbitration look back at it).
 */
export const visibleAbove = (status: string, recordNumber: string | null): boolean => recordNumber !== null || status === 'problem' || status === 'void';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function expectStatus(state: RecordState, allowed: RecordStatus[], action: string): void {
  if (state.status === 'none' || state.status === 'deleted') throw notFound('record-not-found', '学籍记录不存在或已删除');
  if (!allowed.includes(state.status)) {
    throw new DomainError('rule', 'record-status', `当前状态为“${STATUS_LABEL[state.status]}”，不能${action}。${NEXT_STEP[state.status]}`, [], { status: state.status });
  }
}

/** Field errors refuse; an age warning (over-age, under-age) refuses too unless the caller confirmed it. */
function checkChild(child: ChildFields, confirmOverAge: boolean, at: string): boolean {
  const { errors, warnings } = validateChild(child, at);
  if (errors.length > 0) throw invalid(errors, '幼儿信息有误，请按提示修改后再保存');
  if (warnings.length > 0 && !confirmOverAge) throw new DomainError('rule', `${warnings[0]!.code}-unconfirmed`, warnings[0]!.message, warnings);
  return warnings.length > 0;
}

export const recordDecider: Decider<RecordCommand, RecordState, RecordEvent> = {
  initialState: initialRecord,

  decide(command, state) {
    const recordId = state.recordId;
    switch (command.type) {
      case 'SaveRecord': {
        if (state.status !== 'none') throw conflict('record-exists', '该学籍记录已存在');
        const child = normaliseChild(command.child);
        const overAgeConfirmed = checkChild(child, command.confirmOverAge, command.at);
        const { recordId: id, institutionCode, divisionCode, importRef, at } = command;
        return [{ type: 'RecordSaved', data: { recordId: id, institutionCode, divisionCode, child, overAgeConfirmed, importRef, savedAt: at } }];
      }
      case 'EditRecord': {
        expectStatus(state, ['saved', 'rejected', 'problem'], '修改（审核通过的记录请使用关键信息变更）');
        if (state.status === 'problem' && state.statusBeforeProblem === 'numbered') {
          throw rule('key-information-change-required', '该问题学籍此前已审核通过，请由审核账号通过“关键信息变更”更正');
        }
        const child = normaliseChild(command.child);
        const overAgeConfirmed = checkChild(child, command.confirmOverAge, command.at);
        if (JSON.stringify(child) === JSON.stringify(state.child)) return [];
        const edited: RecordEvent = { type: 'RecordEdited', data: { recordId, child, overAgeConfirmed, editedAt: command.at } };
        const key = dedupeKey(child, state.institutionCode);
        // a problem record corrected in its key leaves the case and is de-duplicated again at once;
        // other corrections (address, guardians) keep it in the case
        if (state.status !== 'problem' || key === state.dedupeKey) return [edited];
        return [edited, leftCase(state, 'corrected', command.at), { type: 'RecordSubmitted', data: { recordId, dedupeKey: key, submittedAt: command.at } }];
      }
      case 'DeleteRecord': {
        expectStatus(state, ['saved', 'rejected', 'problem'], '删除（审核通过的学籍不能直接删除，请先变更关键信息并由审核员驳回）');
        const reason = command.reason.trim();
        if (state.status === 'problem') {
          // deleting a problem record settles a duplicate case other kindergartens are in: say why (issue 22, item 4)
          if (reason.length < 2) throw invalid([{ field: 'reason', code: 'delete-reason-required', message: '删除问题学籍须填写原因（2-500 字），例如“幼儿已转至他园，本园记录作废”' }], '删除问题学籍须填写原因');
          return [leftCase(state, 'deleted', command.at), { type: 'RecordDeleted', data: { recordId, deletedAt: command.at }, reason }];
        }
        return [{ type: 'RecordDeleted', data: { recordId, deletedAt: command.at }, reason: reason || '删除未生效的记录' }];
      }
      case 'WithdrawImportedRecord':
        if (state.importRef?.batchId !== command.batchId || !['saved', 'rejected', 'problem'].includes(state.status) || state.recordNumber) return [];
        if (state.status === 'problem') return [leftCase(state, 'deleted', command.at), { type: 'RecordDeleted', data: { recordId, deletedAt: command.at }, reason: command.reason }];
        return [{ type: 'RecordDeleted', data: { recordId, deletedAt: command.at }, reason: command.reason }];
      case 'ForceDeleteRecord':
        if (state.status !== 'problem' || state.caseId !== command.caseId) return [];
        return [leftCase(state, 'force-deleted', command.at), { type: 'RecordDeleted', data: { recordId, deletedAt: command.at }, reason: command.reason }];
      case 'KeepAfterDuplicateCase': {
        if (state.status !== 'problem' || state.caseId !== command.caseId) return [];
        // back where it was: approved records keep their number, the others go to review
        const status = state.statusBeforeProblem === 'numbered' && state.recordNumber ? 'numbered' : 'dedupe-passed';
        return [{ type: 'RecordKeptAfterDuplicateCase', data: { recordId, caseId: command.caseId, status, keptAt: command.at } }];
      }
      case 'VoidRecord':
        if (state.status !== 'problem' || state.caseId !== command.caseId) return [];
        return [{ type: 'RecordVoided', data: { recordId, caseId: command.caseId, voidedAt: command.at }, reason: command.reason }];
      case 'SubmitRecord':
        expectStatus(state, ['saved', 'rejected'], '提交');
        return [{ type: 'RecordSubmitted', data: { recordId, dedupeKey: dedupeKey(state.child!, state.institutionCode), submittedAt: command.at } }];
      case 'PassDeduplication':
        // outcomes arrive from the request and again from the reactor: only the current submission's counts
        if (state.status !== 'submitted' || state.dedupeKey !== command.dedupeKey) return [];
        return [{ type: 'RecordPassedDeduplication', data: { recordId, passedAt: command.at } }];
      case 'FlagAsDuplicate':
        if (state.status === 'none') throw notFound('record-not-found', '学籍记录不存在或已删除');
        // an earlier holder of the key (passed, or approved long ago) is part of the case too;
        // a rejected, deleted or void record is releasing the key and is not
        if (!state.dedupeKey || state.dedupeKey !== command.dedupeKey) return [];
        if (!['submitted', 'dedupe-passed', 'numbered', 'problem'].includes(state.status)) return [];
        // already in this case: nothing new; in a case that has since closed: it moves to the key's new case;
        // the same case under a new hash (the re-keying command, ADR 22): the record follows the key
        if (state.status === 'problem' && state.caseId === command.caseId && state.caseKeyHash === command.keyHash) return [];
        return [{ type: 'RecordFlaggedAsDuplicate', data: { recordId, caseId: command.caseId, keyHash: command.keyHash, flaggedAt: command.at } }];
      case 'ApproveRecord': {
        expectStatus(state, ['dedupe-passed'], '审核通过');
        const events: RecordEvent[] = [{ type: 'RecordApproved', data: { recordId, approvedAt: command.at } }];
        // one person, one number: a record that already has its number keeps it through a key change
        if (!state.recordNumber) {
          const child = state.child!;
          const expected = child.idType === '1' && child.idNumber ? gRecordNumber(child.idNumber) : null;
          if (expected ? command.recordNumber !== expected : !command.recordNumber.startsWith('J') || !RECORD_NUMBER.test(command.recordNumber)) {
            throw rule('record-number-scheme', '学籍号不符合编码规则：有居民身份证号的为“G+身份证号”，没有的为 J 号');
          }
          events.push({ type: 'RecordNumberIssued', data: { recordId, recordNumber: command.recordNumber, issuedAt: command.at } });
        }
        return events;
      }
      case 'LeaveRecord':
        if (state.status === 'left' && state.leave?.leaveType === command.leaveType && state.leave.leaveDate === command.leaveDate) return [];
        expectStatus(state, ['numbered'], '办理离园（只有审核通过、在园的幼儿可以离园）');
        if (!DATE.test(command.leaveDate)) throw invalid([{ field: 'leaveDate', code: 'invalid-date', message: '离园日期应为 YYYY-MM-DD' }]);
        return [{ type: 'RecordLeft', data: { recordId, leaveType: command.leaveType, leaveDate: command.leaveDate, leftAt: command.at }, reason: command.reason }];
      case 'CancelRecord':
        if (state.status === 'cancelled' && state.leave?.leaveDate === command.accidentDate) return [];
        expectStatus(state, ['numbered'], '办理意外离园');
        if (command.proofFileIds.length === 0) throw invalid([{ field: 'files', code: 'proof-required', message: '意外离园须上传证明材料' }]);
        if (command.accidentDate > command.today) throw invalid([{ field: 'accidentDate', code: 'accident-date-future', message: '意外发生日期不能晚于今天' }]);
        if (command.today > command.lastAllowedDate) {
          throw rule('accident-leave-overdue', `意外离园须在意外发生后 30 个工作日内办理（最晚 ${command.lastAllowedDate}），已超过期限，请联系县级教育部门处理`, { lastAllowedDate: command.lastAllowedDate });
        }
        return [{ type: 'RecordCancelled', data: { recordId, accidentDate: command.accidentDate, proofFileIds: command.proofFileIds, cancelledAt: command.at }, reason: command.reason }];
      case 'RestoreRecord':
        if (state.restoredBy.includes(command.applicationId)) return [];
        expectStatus(state, ['left', 'cancelled'], '恢复（只有已离园或已注销的幼儿可以恢复）');
        return [{ type: 'RecordRestored', data: { recordId, applicationId: command.applicationId, restoredAt: command.at } }];
      case 'NoteTransfer':
        if (state.status === 'none') throw notFound('record-not-found', '学籍记录不存在或已删除');
        return decideNote(command, state);
      case 'MoveRecord':
        if (state.transferSteps.includes(`${command.transferId}:moved`)) return [];
        expectStatus(state, ['numbered', 'dedupe-passed', 'left'], '调转（只有审核通过或省内查重通过、在园或已转出的幼儿可以调转）');
        return decideMove(command, state);
      case 'HandOverRecord': {
        if (state.handedOver) {
          const first = state.handedOver;
          if (first.schoolCode === command.schoolCode) {
            if (first.entryId === command.entryId) return [];
            // the school listed the child twice: the other entry already holds the record
            throw rule('record-handed-over-here', `该幼儿的学前学籍已于 ${beijingDate(first.at)} 接续到本校（另一份新生名单中的同一学生），无需重复补录；请删除本条`, { entryId: first.entryId });
          }
          throw conflict('record-handed-over', `该幼儿的学前学籍已于 ${beijingDate(first.at)} 由${first.schoolName}（${first.schoolCode}）接续，一个学籍只能接续到一所小学；如有疑问请与该校联系`, { schoolCode: first.schoolCode, schoolName: first.schoolName });
        }
        expectStatus(state, ['numbered', 'left'], '接续到小学（只有已生成学籍号的在园或已离园幼儿可以接续）');
        const handedOver: RecordEvent = {
          type: 'RecordHandedOver',
          data: { recordId, schoolCode: command.schoolCode, schoolName: command.schoolName, entryId: command.entryId, leftKindergarten: state.status === 'numbered', handedOverAt: command.at },
          reason: `学籍接续到${command.schoolName}`,
        };
        if (state.status !== 'numbered') return [handedOver];
        // still in the kindergarten: it leaves as a graduate would, so its class place is given up too
        const left: RecordEvent = { type: 'RecordLeft', data: { recordId, leaveType: 'graduated', leaveDate: beijingDate(command.at), leftAt: command.at }, reason: `升入小学（学籍接续到${command.schoolName}）` };
        return [left, handedOver];
      }
      case 'EraseRecord': {
        if (state.status === 'none') throw notFound('record-not-found', '学籍记录不存在或已删除');
        if (state.status === 'erased') return [];
        if (command.reason.trim().length < 5) throw invalid([{ field: 'reason', code: 'erasure-reason-required', message: '擦除学籍须写明原因（5-500 字），例如“测试时误录入，经园方书面申请删除”' }], '擦除学籍须写明原因');
        const erased: RecordEvent = { type: 'RecordErased', data: { recordId, ground: command.ground, keyHash: state.dedupeKey ? command.hashKey(state.dedupeKey) : null, erasedAt: command.at }, reason: command.reason.trim() };
        // a problem record leaves its case first, as a deletion would take it
        return state.status === 'problem' && state.caseId ? [leftCase(state, 'deleted', command.at), erased] : [erased];
      }
      case 'RejectRecord':
        expectStatus(state, ['dedupe-passed'], '驳回');
        if (command.reason.trim().length < 2) throw invalid([{ field: 'reason', code: 'reason-required', message: '请填写驳回原因' }]);
        return [{ type: 'RecordRejected', data: { recordId, rejectedAt: command.at }, reason: command.reason }];
      case 'ChangeKeyInformation': {
        expectStatus(state, ['numbered', 'problem'], '变更关键信息');
        if (state.status === 'problem' && state.statusBeforeProblem !== 'numbered') {
          throw rule('record-status', '该问题学籍尚未审核通过，请由业务账号直接修改幼儿信息');
        }
        const child = normaliseChild({ ...state.child!, ...command.key });
        checkChild(child, command.confirmOverAge, command.at);
        const before = pickKey(state.child!);
        const after = pickKey(child);
        if (JSON.stringify(before) === JSON.stringify(after)) return [];
        if (command.reason.trim().length < 2) throw invalid([{ field: 'reason', code: 'reason-required', message: '请填写变更原因' }]);
        const newKey = dedupeKey(after, state.institutionCode);
        const changed: RecordEvent = { type: 'KeyInformationChanged', data: { recordId, before, after, dedupeKey: newKey, changedAt: command.at }, reason: command.reason };
        if (state.status !== 'problem') return [changed];
        // the same key again would only rejoin the case it is in: say so instead
        if (newKey === state.dedupeKey) throw rule('correction-key-unchanged', '变更后的身份证件号码（或姓名、性别、出生日期）仍与重复记录相同：如确为同一幼儿，请提交佐证材料或删除本园记录');
        return [leftCase(state, 'corrected', command.at), changed];
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'RecordSaved': {
        const { recordId, institutionCode, divisionCode, child, importRef, savedAt } = event.data;
        return { ...state, status: 'saved', recordId, institutionCode, divisionCode, child, importRef, savedAt };
      }
      case 'RecordEdited':
        return { ...state, child: event.data.child };
      case 'RecordDeleted':
        return { ...state, status: 'deleted' };
      case 'RecordSubmitted':
        return { ...state, status: 'submitted', dedupeKey: event.data.dedupeKey };
      case 'RecordPassedDeduplication':
        return { ...state, status: 'dedupe-passed' };
      case 'RecordFlaggedAsDuplicate': {
        // moved from a closed case into the key's new one: it still returns where it was before the first
        const before = state.status === 'problem' ? state.statusBeforeProblem : state.status === 'numbered' ? 'numbered' : 'submitted';
        // flagged before ADR 22: its key stream was named by the unkeyed hash
        const caseKeyHash = event.data.keyHash ?? (state.dedupeKey ? legacyKeyHash(state.dedupeKey) : null);
        return { ...state, status: 'problem', statusBeforeProblem: before, caseId: event.data.caseId, caseKeyHash };
      }
      case 'RecordLeftDuplicateCase':
        return { ...state, caseId: null, caseKeyHash: null, statusBeforeProblem: null };
      case 'RecordKeptAfterDuplicateCase':
        return { ...state, status: event.data.status, caseId: null, caseKeyHash: null, statusBeforeProblem: null };
      case 'RecordVoided':
        return { ...state, status: 'void' };
      case 'RecordApproved':
        return { ...state, status: 'numbered' };
      case 'RecordNumberIssued':
        return { ...state, recordNumber: event.data.recordNumber };
      case 'RecordRejected':
        return { ...state, status: 'rejected' };
      case 'RecordLeft':
        return { ...state, status: 'left', leave: { leaveType: event.data.leaveType, leaveDate: event.data.leaveDate } };
      case 'RecordCancelled':
        return { ...state, status: 'cancelled', leave: { leaveType: 'accident', leaveDate: event.data.accidentDate } };
      case 'RecordRestored':
        // every leave is of a numbered record: it returns numbered, with its number
        return { ...state, status: 'numbered', leave: null, restoredBy: [...state.restoredBy, event.data.applicationId] };
      case 'RecordHandedOver':
        return { ...state, handedOver: { schoolCode: event.data.schoolCode, schoolName: event.data.schoolName, entryId: event.data.entryId, at: event.data.handedOverAt } };
      case 'RecordErased':
        // nothing personal is kept in memory either: the key is gone, the hashes are released
        return { ...state, status: 'erased', dedupeKey: null, caseId: null, statusBeforeProblem: null };
      case 'KeyInformationChanged':
        return { ...state, status: 'submitted', dedupeKey: event.data.dedupeKey, child: state.child && { ...state.child, ...event.data.after } };
      case 'RecordTransferApplied':
      case 'RecordTransferAgreed':
      case 'RecordTransferRefused':
      case 'RecordTransferWithdrawn':
      case 'RecordTransferred':
        return evolveTransfer(state, event);
      default:
        return state;
    }
  },
};

function leftCase(state: RecordState, how: LeftCaseHow, at: string): RecordEvent {
  return { type: 'RecordLeftDuplicateCase', data: { recordId: state.recordId, caseId: state.caseId!, keyHash: state.caseKeyHash!, how, leftAt: at } };
}

function pickKey(child: ChildFields): KeyInformation {
  return Object.fromEntries(KEY_FIELDS.map((k) => [k, child[k]])) as KeyInformation;
}

export const recordStream = (recordId: string): string => `record-${recordId}`;
