import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { conflict } from '../../shared/domain/domain-error.js';

/** One refused row of a class-assignment sheet: where it is, what was typed, why it was refused. */
export type AssignmentIssue = { row: number; column: string; value: string; code: string; reason: string };

// type aliases, not interfaces: event data must be assignable to Record<string, unknown>
export type AssignmentImportCounts = { rows: number; placed: number; unchanged: number; failed: number };
/** a child the batch puts into a class (record and class ids only: no personal data) */
export type ImportedPlacement = { recordId: string; classId: string };

/**
 * 分班模板导入批次: the outcome of one upload, written once, in the same write as its placements
 * (one transaction on the embedded store). `placements` is also the batch's intent: on a store
 * that writes stream by stream the batch goes first and the enrolment reactor completes any
 * placement a crash left unwritten (ADR 0018). Batches stored before it have no `placements`.
 */
export type AssignmentImportEvent = DomainEvent<
  'ClassAssignmentsImported',
  AssignmentImportCounts & { batchId: string; institutionCode: string; fileName: string | null; issues: AssignmentIssue[]; placements?: ImportedPlacement[]; importedAt: string }
>;

export type AssignmentImportCommand = AssignmentImportCounts & { type: 'RecordAssignmentImport'; batchId: string; institutionCode: string; fileName: string | null; issues: AssignmentIssue[]; placements: ImportedPlacement[]; at: string };

export interface AssignmentImportState {
  recorded: boolean;
}

export const assignmentImportDecider: Decider<AssignmentImportCommand, AssignmentImportState, AssignmentImportEvent> = {
  initialState: { recorded: false },

  decide(command, state) {
    if (state.recorded) throw conflict('import-batch-exists', '该导入批次已记录');
    const { type: _t, at, ...data } = command;
    return [{ type: 'ClassAssignmentsImported', data: { ...data, issues: [...data.issues].sort((a, b) => a.row - b.row), importedAt: at } }];
  },

  evolve(state, event) {
    return event.type === 'ClassAssignmentsImported' ? { recorded: true } : state;
  },
};

export const assignmentImportStream = (batchId: string): string => `class-assignment-import-${batchId}`;
