import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { DomainError, conflict, invalid, notFound, rule } from '../../shared/domain/domain-error.js';
import { type EntryStatus, type ImportIssue, type Match, type Pupil, STATUS_LABEL, type SupplementFields, lockedFieldChanges } from './pupil.js';

/**
 * A primary school's new-pupil list (学前调档名单, issue 16): one stream per uploaded list, so the
 * upload is stored whole or not at all (one event, on every store: ADR 17's promise without its
 * machinery), and each entry's later steps are events of the same list:
 *   matched -supplement-> supplemented (the record is handed over first, through records)
 *   to-confirm -confirm(candidate)-> matched;  to-confirm -none match-> none-match
 *   to-confirm | not-found | none-match -correct-> matched again (matching runs again)
 *   any but supplemented -delete-> deleted
 * Matching is done by the application against the records read model: it comes in with the
 * command, so the decider stays pure. Events name the status an entry leaves (`from`), so the
 * progress tallies move without reading the entry.
 */
export interface PupilEntry {
  entryId: string;
  row: number;
  pupil: Pupil;
  match: Match;
  status: EntryStatus;
  /** the record the entry is (or was confirmed to be): set when matched */
  recordId: string | null;
  /** the school's copy of the 17 fields, once supplemented */
  fields?: SupplementFields;
}

export type NewEntry = { entryId: string; row: number; pupil: Pupil; match: Match };
export type SupplementFacts = { recordId: string; kindergartenCode: string; kindergartenDivisionCode: string; recordKey: Pupil };

export type PupilListEvent =
  | DomainEvent<'PupilListImported', { listId: string; schoolCode: string; divisionCode: string; fileName: string | null; fileSha256: string; rows: number; failed: number; issues: ImportIssue[]; entries: NewEntry[]; importedAt: string }>
  | DomainEvent<'PupilEntryCorrected', { listId: string; entryId: string; pupil: Pupil; match: Match; from: EntryStatus; correctedAt: string }>
  | DomainEvent<'PupilEntryDeleted', { listId: string; entryId: string; from: EntryStatus; deletedAt: string }>
  | DomainEvent<'PupilCandidateConfirmed', { listId: string; entryId: string; recordId: string; confirmedAt: string }>
  | DomainEvent<'PupilCandidatesRejected', { listId: string; entryId: string; rejectedAt: string }>
  | DomainEvent<'PupilEntrySupplemented', { listId: string; entryId: string; schoolCode: string; recordId: string; kindergartenCode: string; kindergartenDivisionCode: string; fields: SupplementFields; supplementedAt: string }>;

export type PupilListCommand =
  | { type: 'ImportPupilList'; listId: string; schoolCode: string; divisionCode: string; fileName: string | null; fileSha256: string; rows: number; issues: ImportIssue[]; entries: NewEntry[]; at: string }
  | { type: 'CorrectEntry'; entryId: string; pupil: Pupil; match: Match; at: string }
  | { type: 'DeleteEntry'; entryId: string; reason: string; at: string }
  | { type: 'ConfirmCandidate'; entryId: string; recordId: string; at: string }
  | { type: 'RejectCandidates'; entryId: string; at: string }
  /** after the record was handed over to this school: the school's copy of the 17 fields */
  | { type: 'SupplementEntry'; entryId: string; facts: SupplementFacts; fields: SupplementFields; at: string };

export interface PupilListState {
  listId: string;
  schoolCode: string;
  divisionCode: string;
  entries: Record<string, PupilEntry>;
}

export const initialPupilList: PupilListState = { listId: '', schoolCode: '', divisionCode: '', entries: {} };

export const pupilListStream = (listId: string): string => `pupil-list-${listId}`;

export const ENTRY_NOT_FOUND = '名单中没有该学生，或已删除';

function entryOf(state: PupilListState, entryId: string): PupilEntry {
  const entry = state.entries[entryId];
  if (!entry || entry.status === 'deleted') throw notFound('entry-not-found', ENTRY_NOT_FOUND);
  return entry;
}

function expectStatus(entry: PupilEntry, allowed: EntryStatus[], action: string, advice: string): void {
  if (allowed.includes(entry.status)) return;
  throw new DomainError('rule', 'entry-status', `该学生当前为“${STATUS_LABEL[entry.status]}”，不能${action}。${advice}`, [], { status: entry.status });
}

/** The entry, if it may be corrected: not yet matched (to confirm, not found, none match). */
export function correctable(state: PupilListState, entryId: string): PupilEntry {
  const entry = entryOf(state, entryId);
  expectStatus(entry, ['to-confirm', 'not-found', 'none-match'], '修改', entry.status === 'supplemented' ? '已补录的学生信息以学籍系统为准' : '已匹配的学生不能修改；如名单有误，请删除后重新导入该学生');
  return entry;
}

/** The checks of a supplement that need no store: run before the record is handed over, and again by the decider. */
export function checkSupplement(entry: PupilEntry, facts: SupplementFacts, fields: SupplementFields): void {
  if (entry.status === 'supplemented' && entry.recordId === facts.recordId) return;
  expectStatus(entry, ['matched'], '补录', '只有“已匹配学前学籍”的学生可以补录：待确认的请先确认');
  if (entry.recordId !== facts.recordId) throw conflict('entry-record-changed', '该学生匹配的学前学籍已变化，请刷新后重新补录');
  const locked = lockedFieldChanges(fields, facts.recordKey);
  if (locked.length > 0) throw invalid(locked, '关键信息（姓名、性别、出生日期、身份证件类型和号码）不能在补录时修改');
}

export const pupilListDecider: Decider<PupilListCommand, PupilListState, PupilListEvent> = {
  initialState: initialPupilList,

  decide(command, state) {
    const listId = state.listId;
    switch (command.type) {
      case 'ImportPupilList': {
        if (state.listId) throw conflict('list-exists', '该名单已导入');
        if (command.entries.length === 0) {
          throw invalid(command.issues.slice(0, 50).map((i) => ({ field: `第 ${i.row} 行，${i.column}`, code: i.code, message: i.reason, value: i.value })), '名单中没有可导入的学生（每一行都有错误），请按校验日志修改后重新上传');
        }
        const { listId: id, schoolCode, divisionCode, fileName, fileSha256, rows, issues, entries, at } = command;
        const failed = new Set(issues.map((i) => i.row)).size;
        return [{ type: 'PupilListImported', data: { listId: id, schoolCode, divisionCode, fileName, fileSha256, rows, failed, issues, entries, importedAt: at } }];
      }
      case 'CorrectEntry': {
        const entry = correctable(state, command.entryId);
        // the same entry and the same outcome: nothing new (matching again may find a record entered since)
        if (JSON.stringify([entry.pupil, entry.match]) === JSON.stringify([command.pupil, command.match]) && entry.status !== 'none-match') return [];
        return [{ type: 'PupilEntryCorrected', data: { listId, entryId: entry.entryId, pupil: command.pupil, match: command.match, from: entry.status, correctedAt: command.at } }];
      }
      case 'DeleteEntry': {
        const entry = entryOf(state, command.entryId);
        expectStatus(entry, ['matched', 'to-confirm', 'not-found', 'none-match'], '删除', '已补录的学生学籍已接续到本校，不能从名单中删除');
        return [{ type: 'PupilEntryDeleted', data: { listId, entryId: entry.entryId, from: entry.status, deletedAt: command.at }, reason: command.reason.trim() || '从新生名单中删除' }];
      }
      case 'ConfirmCandidate': {
        const entry = entryOf(state, command.entryId);
        if (entry.status === 'matched' && entry.recordId === command.recordId) return [];
        expectStatus(entry, ['to-confirm'], '确认学前学籍', '只有“待确认学前学籍”的学生需要确认');
        if (!entry.match.candidates.includes(command.recordId)) throw rule('not-a-candidate', '所选学籍不在该学生的候选学籍中，请从列出的候选学籍中选择');
        return [{ type: 'PupilCandidateConfirmed', data: { listId, entryId: entry.entryId, recordId: command.recordId, confirmedAt: command.at } }];
      }
      case 'RejectCandidates': {
        const entry = entryOf(state, command.entryId);
        if (entry.status === 'none-match') return [];
        expectStatus(entry, ['to-confirm'], '确认均不匹配', '只有“待确认学前学籍”的学生需要确认');
        return [{ type: 'PupilCandidatesRejected', data: { listId, entryId: entry.entryId, rejectedAt: command.at } }];
      }
      case 'SupplementEntry': {
        const entry = entryOf(state, command.entryId);
        checkSupplement(entry, command.facts, command.fields);
        if (entry.status === 'supplemented') return [];
        const { recordId, kindergartenCode, kindergartenDivisionCode } = command.facts;
        return [{ type: 'PupilEntrySupplemented', data: { listId, entryId: entry.entryId, schoolCode: state.schoolCode, recordId, kindergartenCode, kindergartenDivisionCode, fields: command.fields, supplementedAt: command.at } }];
      }
    }
  },

  evolve(state, event) {
    const update = (entryId: string, change: Partial<PupilEntry>): PupilListState => {
      const entry = state.entries[entryId];
      return entry ? { ...state, entries: { ...state.entries, [entryId]: { ...entry, ...change } } } : state;
    };
    switch (event.type) {
      case 'PupilListImported': {
        const { listId, schoolCode, divisionCode, entries } = event.data;
        return { listId, schoolCode, divisionCode, entries: Object.fromEntries(entries.map((e) => [e.entryId, { ...e, status: e.match.outcome, recordId: e.match.recordId }])) };
      }
      case 'PupilEntryCorrected':
        return update(event.data.entryId, { pupil: event.data.pupil, match: event.data.match, status: event.data.match.outcome, recordId: event.data.match.recordId });
      case 'PupilEntryDeleted':
        return update(event.data.entryId, { status: 'deleted' });
      case 'PupilCandidateConfirmed':
        return update(event.data.entryId, { status: 'matched', recordId: event.data.recordId });
      case 'PupilCandidatesRejected':
        return update(event.data.entryId, { status: 'none-match' });
      case 'PupilEntrySupplemented':
        return update(event.data.entryId, { status: 'supplemented', recordId: event.data.recordId, fields: event.data.fields });
      default:
        return state;
    }
  },
};
