import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { rule } from '../../shared/domain/domain-error.js';
import { jRecordNumber } from './record-number.js';

/**
 * J numbers of one area and birth date are handed out from one stream, in order, once:
 * a number reserved for a record is never given to another, even if that record is later
 * deleted or its approval fails (one person, one number; a number is never reused).
 */
export type JSequenceEvent = DomainEvent<'JRecordNumberReserved', { areaCode: string; birthDate: string; sequence: number; recordNumber: string; recordId: string; reservedAt: string }>;
export type JSequenceCommand = { type: 'ReserveJNumber'; areaCode: string; birthDate: string; recordId: string; at: string };
export interface JSequenceState {
  last: number;
  byRecord: Record<string, string>;
}

export const jSequenceDecider: Decider<JSequenceCommand, JSequenceState, JSequenceEvent> = {
  initialState: { last: 0, byRecord: {} },
  decide(command, state) {
    // a retried approval gets the number already reserved for the record
    if (state.byRecord[command.recordId]) return [];
    const sequence = state.last + 1;
    if (sequence > 999) throw rule('j-sequence-exhausted', `该地区 ${command.birthDate} 出生幼儿的 J 学籍号已用完（999 个），请联系省级管理员`);
    const recordNumber = jRecordNumber(command.areaCode, command.birthDate, sequence);
    return [{ type: 'JRecordNumberReserved', data: { areaCode: command.areaCode, birthDate: command.birthDate, sequence, recordNumber, recordId: command.recordId, reservedAt: command.at } }];
  },
  evolve(state, event) {
    return { last: event.data.sequence, byRecord: { ...state.byRecord, [event.data.recordId]: event.data.recordNumber } };
  },
};
