import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { conflict } from '../../shared/domain/domain-error.js';

/** One refused row of a class-assignment sheet: where it is, what was typed, why it was refused. */
export type AssignmentIssue = { row: number; column: string; value: string; code: string; reason: string };

// type aliases, not interfaces: event data must be assignable to Record<string, unknown>
export type AssignmentImportCounts = { rows: number; placed: number; unchanged: number; failed: number };

/**
 * 分班模板导入批次: the outcome of one upload, stored once after its rows were carried out (each
 * good row is an assignment of its own on the class and placement streams). The batch is a
 * record of what happened, so it is written once and never changed.
 */
export type AssignmentImportEvent = DomainEvent<
  'ClassAssignmentsImported',
  AssignmentImportCounts & { batchId: string; institutionCode: string; fileName: string | null; issues: AssignmentIssue[]; importedAt: string }
>;

export type AssignmentImportCommand = AssignmentImportCounts & { type: 'RecordAssignmentImport'; batchId: string; institutionCode: string; fileName: string | null; issues: AssignmentIssue[]; at: string };

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
