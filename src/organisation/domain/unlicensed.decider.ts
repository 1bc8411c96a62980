import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { conflict, notFound } from '../../shared/domain/domain-error.js';

/** 无证机构: not in the registry, recorded by the county so children outside licensed care are counted; never given accounts. */
export const UNLICENSED_STATUSES = ['operating', 'rectifying', 'closed'] as const;
export type UnlicensedStatus = (typeof UNLICENSED_STATUSES)[number];

export type UnlicensedDetails = {
  name: string;
  address: string;
  children: number;
  staff: number;
  status: UnlicensedStatus;
};

export type UnlicensedEvent =
  | DomainEvent<'UnlicensedInstitutionRecorded', UnlicensedDetails & { id: string; divisionCode: string; recordedAt: string }>
  | DomainEvent<'UnlicensedInstitutionUpdated', UnlicensedDetails & { id: string; updatedAt: string }>;

export type UnlicensedCommand =
  | { type: 'RecordUnlicensed'; id: string; divisionCode: string; details: UnlicensedDetails; at: string }
  | { type: 'UpdateUnlicensed'; id: string; details: UnlicensedDetails; at: string };

export type UnlicensedState = { divisionCode: string | null; details: UnlicensedDetails | null };

export const unlicensedDecider: Decider<UnlicensedCommand, UnlicensedState, UnlicensedEvent> = {
  initialState: { divisionCode: null, details: null },
  decide(command, state) {
    if (command.type === 'RecordUnlicensed') {
      if (state.details) throw conflict('unlicensed-exists', '该无证机构记录已存在');
      return [{ type: 'UnlicensedInstitutionRecorded', data: { id: command.id, divisionCode: command.divisionCode, ...command.details, recordedAt: command.at } }];
    }
    if (!state.details) throw notFound('unlicensed-not-found', '无证机构记录不存在或不在您的管辖范围内');
    if (JSON.stringify(state.details) === JSON.stringify({ ...state.details, ...command.details })) return [];
    return [{ type: 'UnlicensedInstitutionUpdated', data: { id: command.id, ...command.details, updatedAt: command.at } }];
  },
  evolve(state, event) {
    if (event.type === 'UnlicensedInstitutionRecorded') {
      const { id: _i, divisionCode, recordedAt: _r, ...details } = event.data;
      return { divisionCode, details };
    }
    const { id: _i, updatedAt: _u, ...details } = event.data;
    return { ...state, details };
  },
};

export const unlicensedStream = (id: string): string => `unlicensed-${id}`;
