import type { Decider, DomainEvent } from '../../shared/domain/decider.js';

/** Institution types of the preschool system (domain.md section 2). */
/** Institution types (domain.md section 2); primary schools come through the same registry for the hand-over (学籍接续, issue 16). */
export const INSTITUTION_TYPES = ['kindergarten', 'attached-kindergarten', 'preschool-class', 'primary-school'] as const;
export type InstitutionType = (typeof INSTITUTION_TYPES)[number];
export const OWNERSHIPS = ['public', 'private'] as const;
export type Ownership = (typeof OWNERSHIPS)[number];

/** What the institution-code registry (机构代码系统) says about an institution. */
export type RegistryEntry = {
  code: string;
  name: string;
  type: InstitutionType;
  divisionCode: string;
  ownership: Ownership;
  licence: string | null;
};

export type InstitutionEvent =
  | DomainEvent<'InstitutionRegistered', RegistryEntry & { batchId: string }>
  | DomainEvent<'InstitutionRenamed', { code: string; from: string; to: string; batchId: string }>
  | DomainEvent<'InstitutionRegistryDetailsChanged', { code: string; type: InstitutionType; divisionCode: string; ownership: Ownership; licence: string | null; batchId: string }>
  | DomainEvent<'InstitutionRevoked', { code: string; batchId: string }>
  | DomainEvent<'InstitutionReinstated', { code: string; batchId: string }>;

/** The registry sync is the only source of these commands: a name changes only through it. */
export type InstitutionCommand =
  | { type: 'ApplyRegistryEntry'; entry: RegistryEntry; batchId: string }
  | { type: 'RevokeInstitution'; code: string; batchId: string };

export interface InstitutionState {
  entry: RegistryEntry | null;
  revoked: boolean;
}

const DETAIL_FIELDS = ['type', 'divisionCode', 'ownership', 'licence'] as const;
const REVOKE_REASON = '机构已在机构代码系统中撤销';

export const institutionDecider: Decider<InstitutionCommand, InstitutionState, InstitutionEvent> = {
  initialState: { entry: null, revoked: false },

  decide(command, state) {
    if (command.type === 'RevokeInstitution') {
      if (!state.entry || state.revoked) return [];
      return [{ type: 'InstitutionRevoked', data: { code: command.code, batchId: command.batchId }, reason: REVOKE_REASON }];
    }
    const { entry, batchId } = command;
    if (!state.entry) return [{ type: 'InstitutionRegistered', data: { ...entry, batchId } }];
    const events: InstitutionEvent[] = [];
    if (state.revoked) events.push({ type: 'InstitutionReinstated', data: { code: entry.code, batchId }, reason: '机构重新出现在机构代码系统中' });
    if (state.entry.name !== entry.name) {
      events.push({ type: 'InstitutionRenamed', data: { code: entry.code, from: state.entry.name, to: entry.name, batchId }, reason: '机构代码系统同步' });
    }
    const previous = state.entry;
    if (DETAIL_FIELDS.some((field) => previous[field] !== entry[field])) {
      const { type, divisionCode, ownership, licence } = entry;
      events.push({ type: 'InstitutionRegistryDetailsChanged', data: { code: entry.code, type, divisionCode, ownership, licence, batchId } });
    }
    return events;
  },

  evolve(state, event) {
    switch (event.type) {
      case 'InstitutionRegistered': {
        const { batchId: _b, ...entry } = event.data;
        return { entry, revoked: false };
      }
      case 'InstitutionRenamed':
        return state.entry ? { ...state, entry: { ...state.entry, name: event.data.to } } : state;
      case 'InstitutionRegistryDetailsChanged': {
        const { batchId: _b, code: _c, ...details } = event.data;
        return state.entry ? { ...state, entry: { ...state.entry, ...details } } : state;
      }
      case 'InstitutionRevoked':
        return { ...state, revoked: true };
      case 'InstitutionReinstated':
        return { ...state, revoked: false };
      default:
        return state;
    }
  },
};

export const institutionStream = (code: string): string => `institution-${code}`;
