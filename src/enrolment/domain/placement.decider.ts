import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { conflict } from '../../shared/domain/domain-error.js';

/**
 * One class per child (domain.md section 6): each child record has a placement stream that
 * reserves it for at most one class, claimed with an expected revision like a de-duplication
 * key (conventions, habit 2). Two concurrent assignments of one child: the second is decided on
 * the state holding the first and refused. The stream name carries the record id only.
 */
export type PlacementEvent =
  | DomainEvent<'ChildPlaced', { recordId: string; institutionCode: string; classId: string; fromClassId: string | null; placedAt: string }>
  | DomainEvent<'ChildUnplaced', { recordId: string; classId: string; unplacedAt: string }>;

export type PlacementCommand =
  /** `move`: a class change (调班) or promotion; without it a child already in a class is refused */
  | { type: 'Place'; recordId: string; institutionCode: string; classId: string; move: boolean; className: string; at: string }
  /** idempotent: a child no longer in `classId` is left as it is */
  | { type: 'Unplace'; classId: string; at: string };

export interface PlacementState {
  recordId: string;
  classId: string | null;
  /** the class the child was in last (restoration puts it back there) */
  lastClassId: string | null;
}

export const initialPlacement: PlacementState = { recordId: '', classId: null, lastClassId: null };

export const placementDecider: Decider<PlacementCommand, PlacementState, PlacementEvent> = {
  initialState: initialPlacement,

  decide(command, state) {
    switch (command.type) {
      case 'Place':
        if (state.classId === command.classId) return [];
        if (state.classId && !command.move) throw conflict('child-already-in-class', `该幼儿已在其他班级，不能再分到${command.className}：如需换班请办理调班`, { classId: state.classId });
        return [{ type: 'ChildPlaced', data: { recordId: command.recordId, institutionCode: command.institutionCode, classId: command.classId, fromClassId: state.classId, placedAt: command.at } }];
      case 'Unplace':
        if (state.classId !== command.classId) return [];
        return [{ type: 'ChildUnplaced', data: { recordId: state.recordId, classId: command.classId, unplacedAt: command.at } }];
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ChildPlaced':
        return { recordId: event.data.recordId, classId: event.data.classId, lastClassId: event.data.classId };
      case 'ChildUnplaced':
        return { ...state, classId: null };
      default:
        return state;
    }
  },
};

export const placementStream = (recordId: string): string => `placement-${recordId}`;
