import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { DomainError, forbidden, invalid, notFound, rule } from '../../shared/domain/domain-error.js';

/**
 * A duplicate case (问题学籍案件, domain.md section 5): every record of the province holding one
 * de-duplication key, from the moment a second one claims it until exactly one stays valid.
 * Its own stream, `duplicate-case-<caseId>`; the key's stream says which case is open for the key.
 *
 * Each entry (one problem record) is handled by its institution: deleted, corrected (it leaves
 * the case and is de-duplicated again) or defended with evidence that its county passes or fails.
 * The case resolves itself after every change:
 *   - one active entry left                              -> it stays valid
 *   - nothing pending, exactly one evidence passed        -> it stays valid, the others are void
 *   - nothing pending, two or more passed                 -> arbitration by the lowest common
 *     superior (county, prefecture or province), which confirms the proposal (the entry that
 *     entered the system first) or picks another with a reason; the others are void
 *   - nothing pending, every evidence failed             -> it waits: refile, delete, or the
 *     county force-deletes
 * Records are changed by the case's process manager, never here (pure decider).
 */

export type Level = 'county' | 'prefecture' | 'province';

/** One problem record in the case, with where it lives (who reviews it and who arbitrates). */
export interface CaseEntry {
  recordId: string;
  institutionCode: string;
  /** the institution's county-level division */
  divisionCode: string;
  /** its real prefecture; null for districts of a municipality and counties under the province */
  prefectureCode: string | null;
  provinceCode: string;
  /** the child's name as entered (queues show it) */
  name: string;
  /** when the record entered the system (its first save): arbitration proposes the earliest */
  enteredAt: string;
  /** the record's stream revision when it joined: a withdrawal decided before that is stale */
  recordRevision: number;
}

export interface EvidenceFile {
  sha256: string;
  size: number;
  contentType: string;
  fileName: string;
}

export type EntryStatus = 'unhandled' | 'evidence-filed' | 'evidence-passed' | 'evidence-failed' | 'deleted' | 'corrected' | 'force-deleted' | 'valid' | 'void';
export type WithdrawnHow = 'deleted' | 'corrected';
export type ResolvedHow = 'last-remaining' | 'single-pass' | 'arbitration';

/** The office that acts: the county reviewing its institutions' evidence, or an arbitrator. */
export interface Office {
  level: Level | 'institution' | 'ministry';
  divisionCode: string;
}

export type DuplicateCaseEvent =
  | DomainEvent<'DuplicateCaseOpened', { caseId: string; keyHash: string; entries: CaseEntry[]; openedAt: string }>
  | DomainEvent<'DuplicateEntryJoined', { caseId: string; entry: CaseEntry; joinedAt: string }>
  | DomainEvent<'EvidenceFiled', { caseId: string; recordId: string; institutionCode: string; files: EvidenceFile[]; filedAt: string }>
  | DomainEvent<'EvidenceAccepted', { caseId: string; recordId: string; reviewedAt: string }>
  | DomainEvent<'EvidenceRejected', { caseId: string; recordId: string; reviewedAt: string }>
  | DomainEvent<'DuplicateEntryWithdrawn', { caseId: string; recordId: string; how: WithdrawnHow; recordRevision: number; withdrawnAt: string }>
  | DomainEvent<'DuplicateEntryForceDeleted', { caseId: string; recordId: string; deletedAt: string }>
  | DomainEvent<'ArbitrationRequested', { caseId: string; level: Level; divisionCode: string; candidateRecordIds: string[]; proposedRecordId: string; waitingRecordIds: string[]; requestedAt: string }>
  | DomainEvent<'ArbitrationCancelled', { caseId: string; waitingRecordIds: string[]; cancelledAt: string }>
  | DomainEvent<'ArbitrationDecided', { caseId: string; validRecordId: string; proposedRecordId: string; decidedAt: string }>
  | DomainEvent<'DuplicateCaseResolved', { caseId: string; keyHash: string; validRecordId: string | null; voidRecordIds: string[]; how: ResolvedHow; resolvedAt: string }>
  /** the key's stream was re-keyed (unkeyed SHA-256 to the keyed hash, ADR 22): the case follows the key to its new stream */
  | DomainEvent<'DuplicateCaseRekeyed', { caseId: string; keyHash: string; previousKeyHash: string; rekeyedAt: string }>;

export type DuplicateCaseCommand =
  /** de-duplication found these holders of the key in this case (a new case, or entries joining) */
  | { type: 'OpenOrJoin'; caseId: string; keyHash: string; entries: CaseEntry[]; at: string }
  | { type: 'FileEvidence'; recordId: string; institutionCode: string; files: EvidenceFile[]; reason: string; at: string }
  | { type: 'ReviewEvidence'; recordId: string; passed: boolean; reason: string; office: Office; at: string }
  /** the record left on its institution's action (from the record's own event) */
  | { type: 'WithdrawEntry'; recordId: string; how: WithdrawnHow; recordRevision: number; at: string }
  | { type: 'ForceDeleteEntry'; recordId: string; reason: string; office: Office; at: string }
  | { type: 'Arbitrate'; recordId: string; reason: string; office: Office; at: string }
  /** the re-keying command moved the case's key to the stream of its keyed hash; a resolved case has no key left to follow */
  | { type: 'RekeyCase'; keyHash: string; at: string };

export interface EntryState {
  entry: CaseEntry;
  status: EntryStatus;
  /** since when it waits in this status (queues show the age) */
  since: string;
  evidence: { files: EvidenceFile[]; reason: string; filedAt: string } | null;
  review: { passed: boolean; reason: string | null; at: string } | null;
}

export interface Arbitration {
  level: Level;
  divisionCode: string;
  candidateRecordIds: string[];
  proposedRecordId: string;
  requestedAt: string;
}

export interface DuplicateCaseState {
  status: 'none' | 'open' | 'arbitration' | 'resolved';
  caseId: string;
  keyHash: string;
  openedAt: string | null;
  /** entries in the order they joined */
  entries: EntryState[];
  arbitration: Arbitration | null;
  resolution: { validRecordId: string | null; voidRecordIds: string[]; how: ResolvedHow; at: string } | null;
}

export const initialDuplicateCase: DuplicateCaseState = { status: 'none', caseId: '', keyHash: '', openedAt: null, entries: [], arbitration: null, resolution: null };

export const ACTIVE: readonly EntryStatus[] = ['unhandled', 'evidence-filed', 'evidence-passed', 'evidence-failed'];
const isActive = (e: EntryState): boolean => ACTIVE.includes(e.status);

export const ENTRY_STATUS_LABEL: Record<EntryStatus, string> = {
  unhandled: '待处理', 'evidence-filed': '佐证待审核', 'evidence-passed': '佐证审核通过', 'evidence-failed': '佐证审核未通过',
  deleted: '已删除', corrected: '已更正并退出', 'force-deleted': '已被县级强制删除', valid: '有效', void: '已失效',
};

const REASON_MAX = 500;

function requireReason(reason: string, what: string): string {
  const trimmed = reason.trim();
  if (trimmed.length < 2) throw invalid([{ field: 'reason', code: 'reason-required', message: `请填写${what}` }]);
  if (trimmed.length > REASON_MAX) throw invalid([{ field: 'reason', code: 'reason-too-long', message: `${what}不能超过 ${REASON_MAX} 字`, value: trimmed.length }]);
  return trimmed;
}

function entryOf(state: DuplicateCaseState, recordId: string): EntryState {
  const found = state.entries.find((e) => e.entry.recordId === recordId);
  if (state.status === 'none' || !found) throw notFound('case-entry-not-found', '该问题学籍不在此重复案件中');
  return found;
}

function requireOpen(state: DuplicateCaseState): void {
  if (state.status === 'none') throw notFound('case-not-found', '重复案件不存在');
  if (state.status === 'resolved') throw rule('case-resolved', '该重复案件已处理完毕，不能再操作');
}

function requireActive(entry: EntryState): void {
  if (!isActive(entry)) throw rule('entry-closed', `该记录在本案件中已“${ENTRY_STATUS_LABEL[entry.status]}”，不能再操作`);
}

/** The county of the entry's institution, and nobody else, reviews its evidence and may force-delete it. */
function requireCountyOf(office: Office, entry: EntryState, action: string): void {
  if (office.level !== 'county' || office.divisionCode !== entry.entry.divisionCode) {
    throw forbidden('not-entry-county', `${action}由该幼儿园所在区县办理`);
  }
}

/** Lowest common superior of the candidates: their county, else their real prefecture, else the province. */
export function arbiterOf(candidates: readonly CaseEntry[]): { level: Level; divisionCode: string } {
  const counties = new Set(candidates.map((c) => c.divisionCode));
  if (counties.size === 1) return { level: 'county', divisionCode: candidates[0]!.divisionCode };
  const prefectures = new Set(candidates.map((c) => c.prefectureCode));
  const prefecture = candidates[0]!.prefectureCode;
  if (prefectures.size === 1 && prefecture) return { level: 'prefecture', divisionCode: prefecture };
  return { level: 'province', divisionCode: candidates[0]!.provinceCode };
}

/** The rule of domain.md section 5: the entry that entered the system first (ties: the one that joined first). */
export function proposalOf(candidates: readonly CaseEntry[]): string {
  return [...candidates].sort((a, b) => (a.enteredAt < b.enteredAt ? -1 : a.enteredAt > b.enteredAt ? 1 : 0))[0]!.recordId;
}

/** What the case's state calls for after a change: resolution, arbitration, or nothing yet. */
function settle(state: DuplicateCaseState, at: string): DuplicateCaseEvent[] {
  const active = state.entries.filter(isActive);
  const { caseId, keyHash } = state;
  const resolved = (validRecordId: string | null, how: ResolvedHow): DuplicateCaseEvent => ({
    type: 'DuplicateCaseResolved',
    data: { caseId, keyHash, validRecordId, voidRecordIds: active.map((e) => e.entry.recordId).filter((id) => id !== validRecordId), how, resolvedAt: at },
  });
  if (active.length <= 1) return [resolved(active[0]?.entry.recordId ?? null, 'last-remaining')];
  if (active.some((e) => e.status === 'unhandled' || e.status === 'evidence-filed')) return [];
  const passed = active.filter((e) => e.status === 'evidence-passed');
  if (passed.length === 1) return [resolved(passed[0]!.entry.recordId, 'single-pass')];
  if (passed.length === 0) return [];
  const candidates = passed.map((e) => e.entry);
  const arbiter = arbiterOf(candidates);
  const candidateRecordIds = candidates.map((c) => c.recordId);
  const current = state.arbitration;
  // an arbitration already asked of the same office about the same entries stands
  if (current && current.level === arbiter.level && current.divisionCode === arbiter.divisionCode && current.candidateRecordIds.join() === candidateRecordIds.join()) return [];
  return [{
    type: 'ArbitrationRequested',
    data: { caseId, ...arbiter, candidateRecordIds, proposedRecordId: proposalOf(candidates), waitingRecordIds: active.map((e) => e.entry.recordId), requestedAt: at },
  }];
}

/** Decides, then lets the case settle on the state those events produce. */
function andSettle(state: DuplicateCaseState, events: DuplicateCaseEvent[], at: string): DuplicateCaseEvent[] {
  if (events.length === 0) return events;
  const next = events.reduce(duplicateCaseDecider.evolve, state);
  return [...events, ...settle(next, at)];
}

export const duplicateCaseDecider: Decider<DuplicateCaseCommand, DuplicateCaseState, DuplicateCaseEvent> = {
  initialState: initialDuplicateCase,

  decide(command, state) {
    const { caseId } = state;
    switch (command.type) {
      case 'RekeyCase':
        if (state.status === 'none' || state.status === 'resolved' || state.keyHash === command.keyHash) return [];
        return [{ type: 'DuplicateCaseRekeyed', data: { caseId, keyHash: command.keyHash, previousKeyHash: state.keyHash, rekeyedAt: command.at } }];
      case 'OpenOrJoin': {
        if (state.status === 'none') {
          if (command.entries.length === 0) return [];
          const opened: DuplicateCaseEvent = { type: 'DuplicateCaseOpened', data: { caseId: command.caseId, keyHash: command.keyHash, entries: command.entries, openedAt: command.at } };
          return andSettle(state, [opened], command.at);
        }
        // a resolved case takes nobody: the caller closes it on the key, which opens a new case
        if (state.status === 'resolved') return [];
        const joined: DuplicateCaseEvent[] = [];
        for (const entry of command.entries) {
          const known = state.entries.find((e) => e.entry.recordId === entry.recordId);
          // an entry that left comes back only from a later flag (corrected back to this key)
          if (known && (isActive(known) || entry.recordRevision <= known.entry.recordRevision)) continue;
          joined.push({ type: 'DuplicateEntryJoined', data: { caseId, entry, joinedAt: command.at } });
        }
        if (joined.length === 0) return [];
        // a newcomer must be heard before anyone arbitrates
        if (state.status === 'arbitration') {
          const waiting = [...state.entries.filter(isActive).map((e) => e.entry.recordId), ...joined.map((j) => (j.data as { entry: CaseEntry }).entry.recordId)];
          joined.push({ type: 'ArbitrationCancelled', data: { caseId, waitingRecordIds: waiting, cancelledAt: command.at } });
        }
        return andSettle(state, joined, command.at);
      }
      case 'FileEvidence': {
        requireOpen(state);
        const entry = entryOf(state, command.recordId);
        if (entry.entry.institutionCode !== command.institutionCode) throw notFound('case-entry-not-found', '该问题学籍不在此重复案件中');
        requireActive(entry);
        if (entry.status === 'evidence-filed') throw rule('evidence-under-review', '本园的佐证材料正在由区县审核，请等待审核结果');
        if (entry.status === 'evidence-passed') throw rule('evidence-already-passed', '本园的佐证材料已审核通过，无需再次提交');
        if (state.status === 'arbitration') throw rule('case-in-arbitration', '该案件已提交上级仲裁，不能再提交佐证材料');
        const own = state.entries.filter((e) => isActive(e) && e.entry.institutionCode === command.institutionCode);
        if (own.length > 1) throw rule('delete-own-duplicates-first', `本园在该案件中有 ${own.length} 条重复记录：请保留一条、删除其余记录后再提交佐证`);
        if (command.files.length === 0) throw invalid([{ field: 'files', code: 'files-required', message: '请上传至少一个佐证材料文件' }]);
        const reason = requireReason(command.reason, '佐证说明');
        return [{ type: 'EvidenceFiled', data: { caseId, recordId: command.recordId, institutionCode: command.institutionCode, files: command.files, filedAt: command.at }, reason }];
      }
      case 'ReviewEvidence': {
        requireOpen(state);
        const entry = entryOf(state, command.recordId);
        requireCountyOf(command.office, entry, '佐证材料审核');
        if (entry.status !== 'evidence-filed') throw rule('no-evidence-to-review', `该记录当前为“${ENTRY_STATUS_LABEL[entry.status]}”，没有待审核的佐证材料`);
        const data = { caseId, recordId: command.recordId, reviewedAt: command.at };
        if (command.passed) {
          const reason = command.reason.trim();
          if (reason.length > REASON_MAX) requireReason(reason, '审核意见');
          return andSettle(state, [{ type: 'EvidenceAccepted', data, ...(reason ? { reason } : {}) }], command.at);
        }
        return andSettle(state, [{ type: 'EvidenceRejected', data, reason: requireReason(command.reason, '审核不通过的原因') }], command.at);
      }
      case 'WithdrawEntry': {
        if (state.status === 'none' || state.status === 'resolved') return [];
        const entry = state.entries.find((e) => e.entry.recordId === command.recordId);
        // replays and stale withdrawals (from before the entry rejoined) change nothing
        if (!entry || !isActive(entry) || command.recordRevision <= entry.entry.recordRevision) return [];
        const { recordId, how, recordRevision } = command;
        return andSettle(state, [{ type: 'DuplicateEntryWithdrawn', data: { caseId, recordId, how, recordRevision, withdrawnAt: command.at } }], command.at);
      }
      case 'ForceDeleteEntry': {
        requireOpen(state);
        const entry = entryOf(state, command.recordId);
        requireCountyOf(command.office, entry, '强制删除');
        requireActive(entry);
        if (entry.status !== 'unhandled' && entry.status !== 'evidence-failed') {
          throw rule('entry-being-handled', `该记录当前为“${ENTRY_STATUS_LABEL[entry.status]}”，幼儿园已在处理，不能强制删除`);
        }
        const reason = requireReason(command.reason, '强制删除的原因');
        return andSettle(state, [{ type: 'DuplicateEntryForceDeleted', data: { caseId, recordId: command.recordId, deletedAt: command.at }, reason }], command.at);
      }
      case 'Arbitrate': {
        requireOpen(state);
        const arbitration = state.arbitration;
        if (state.status !== 'arbitration' || !arbitration) throw rule('no-arbitration', '该案件没有待处理的仲裁');
        if (command.office.level !== arbitration.level || command.office.divisionCode !== arbitration.divisionCode) {
          throw forbidden('not-the-arbitrator', '该案件由各记录所在地的最低共同上级仲裁，您所在单位不是该案件的仲裁单位');
        }
        if (!arbitration.candidateRecordIds.includes(command.recordId)) {
          throw new DomainError('validation', 'not-a-candidate', '只能从佐证审核通过的记录中选定一条', [{ field: 'recordId', code: 'not-a-candidate', message: '该记录不是仲裁候选记录', value: command.recordId }]);
        }
        const followed = command.recordId === arbitration.proposedRecordId;
        const reason = followed ? command.reason.trim() : requireReason(command.reason, '不采纳系统建议（先录入者有效）的理由');
        const validRecordId = command.recordId;
        const active = state.entries.filter(isActive).map((e) => e.entry.recordId);
        return [
          { type: 'ArbitrationDecided', data: { caseId, validRecordId, proposedRecordId: arbitration.proposedRecordId, decidedAt: command.at }, ...(reason ? { reason } : {}) },
          { type: 'DuplicateCaseResolved', data: { caseId, keyHash: state.keyHash, validRecordId, voidRecordIds: active.filter((id) => id !== validRecordId), how: 'arbitration', resolvedAt: command.at } },
        ];
      }
    }
  },

  evolve(state, event) {
    const setEntry = (recordId: string, change: (e: EntryState) => EntryState): EntryState[] =>
      state.entries.map((e) => (e.entry.recordId === recordId ? change(e) : e));
    switch (event.type) {
      case 'DuplicateCaseOpened': {
        const { caseId, keyHash, entries, openedAt } = event.data;
        return { ...state, status: 'open', caseId, keyHash, openedAt, entries: entries.map((entry) => ({ entry, status: 'unhandled', since: openedAt, evidence: null, review: null })) };
      }
      case 'DuplicateEntryJoined': {
        const { entry, joinedAt } = event.data;
        const fresh: EntryState = { entry, status: 'unhandled', since: joinedAt, evidence: null, review: null };
        const known = state.entries.some((e) => e.entry.recordId === entry.recordId);
        return { ...state, entries: known ? setEntry(entry.recordId, () => fresh) : [...state.entries, fresh] };
      }
      case 'EvidenceFiled': {
        const { recordId, files, filedAt } = event.data;
        return { ...state, entries: setEntry(recordId, (e) => ({ ...e, status: 'evidence-filed', since: filedAt, evidence: { files, reason: event.reason ?? '', filedAt }, review: null })) };
      }
      case 'EvidenceAccepted':
      case 'EvidenceRejected': {
        const passed = event.type === 'EvidenceAccepted';
        const { recordId, reviewedAt } = event.data;
        return { ...state, entries: setEntry(recordId, (e) => ({ ...e, status: passed ? 'evidence-passed' : 'evidence-failed', since: reviewedAt, review: { passed, reason: event.reason ?? null, at: reviewedAt } })) };
      }
      case 'DuplicateEntryWithdrawn': {
        const { recordId, how, withdrawnAt } = event.data;
        return { ...state, entries: setEntry(recordId, (e) => ({ ...e, status: how, since: withdrawnAt })) };
      }
      case 'DuplicateEntryForceDeleted':
        return { ...state, entries: setEntry(event.data.recordId, (e) => ({ ...e, status: 'force-deleted', since: event.data.deletedAt })) };
      case 'ArbitrationRequested': {
        const { level, divisionCode, candidateRecordIds, proposedRecordId, requestedAt } = event.data;
        return { ...state, status: 'arbitration', arbitration: { level, divisionCode, candidateRecordIds, proposedRecordId, requestedAt } };
      }
      case 'ArbitrationCancelled':
        return { ...state, status: 'open', arbitration: null };
      case 'ArbitrationDecided':
        return state;
      case 'DuplicateCaseRekeyed':
        return { ...state, keyHash: event.data.keyHash };
      case 'DuplicateCaseResolved': {
        const { validRecordId, voidRecordIds, how, resolvedAt } = event.data;
        const entries = state.entries.map((e) => {
          if (e.entry.recordId === validRecordId) return { ...e, status: 'valid' as const, since: resolvedAt };
          return voidRecordIds.includes(e.entry.recordId) ? { ...e, status: 'void' as const, since: resolvedAt } : e;
        });
        return { ...state, status: 'resolved', entries, resolution: { validRecordId, voidRecordIds, how, at: resolvedAt } };
      }
      default:
        return state;
    }
  },
};

export const duplicateCaseStream = (caseId: string): string => `duplicate-case-${caseId}`;
