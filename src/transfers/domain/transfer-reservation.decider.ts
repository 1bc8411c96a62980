import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { conflict } from '../../shared/domain/domain-error.js';

/**
 * One open transfer per child (issue 15, ADR 24): a reservation stream per record, claimed with
 * the stream's expected revision like a de-duplication key (conventions, habit 2). Of two
 * applications at the same moment, the second is decided on the state holding the first and
 * refused, naming it. The stream name carries the record id only (not personal data).
 */
export type ReservationEvent =
  | DomainEvent<'TransferReserved', { recordId: string; transferId: string; toInstitutionCode: string; reservedAt: string }>
  | DomainEvent<'TransferReservationReleased', { recordId: string; transferId: string; releasedAt: string }>;

export type ReservationCommand =
  /** `holderAbandoned`: the holder's transfer stream was never written (a crash between the two appends, ADR 24) */
  | { type: 'ReserveForTransfer'; recordId: string; transferId: string; toInstitutionCode: string; holderAbandoned: boolean; at: string }
  /** idempotent: a transfer not holding the reservation changes nothing */
  | { type: 'ReleaseReservation'; transferId: string; at: string };

export interface ReservationState {
  recordId: string;
  holder: { transferId: string; toInstitutionCode: string; reservedAt: string } | null;
}

export const reservationDecider: Decider<ReservationCommand, ReservationState, ReservationEvent> = {
  initialState: { recordId: '', holder: null },

  decide(command, state) {
    switch (command.type) {
      case 'ReserveForTransfer': {
        const { recordId, transferId, toInstitutionCode, at } = command;
        const reserved: ReservationEvent = { type: 'TransferReserved', data: { recordId, transferId, toInstitutionCode, reservedAt: at } };
        if (!state.holder) return [reserved];
        if (state.holder.transferId === transferId) return [];
        if (command.holderAbandoned) return [{ type: 'TransferReservationReleased', data: { recordId, transferId: state.holder.transferId, releasedAt: at } }, reserved];
        throw conflict('transfer-already-open', `该幼儿已有一个未办结的调转申请（申请编号 ${state.holder.transferId}），须等该申请办结、被拒绝或撤回后才能再次申请`, {
          openTransferId: state.holder.transferId,
          openToInstitutionCode: state.holder.toInstitutionCode,
        });
      }
      case 'ReleaseReservation':
        if (state.holder?.transferId !== command.transferId) return [];
        return [{ type: 'TransferReservationReleased', data: { recordId: state.recordId, transferId: command.transferId, releasedAt: command.at } }];
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'TransferReserved':
        return { recordId: event.data.recordId, holder: { transferId: event.data.transferId, toInstitutionCode: event.data.toInstitutionCode, reservedAt: event.data.reservedAt } };
      case 'TransferReservationReleased':
        return state.holder?.transferId === event.data.transferId ? { ...state, holder: null } : state;
      default:
        return state;
    }
  },
};

export const reservationStream = (recordId: string): string => `transfer-child-${recordId}`;
