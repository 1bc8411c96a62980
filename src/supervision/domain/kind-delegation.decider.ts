import type { Decider, DomainEvent } from '../../shared/domain/decider.js';

/**
 * The province's delegation of defining declaration kinds to its counties (domain.md section 9:
 * "kinds defined by the local authority"). One stream per province; a delegated county defines
 * kinds for its own institutions, beside the province's. Idempotent both ways.
 */
export type KindDelegationEvent =
  | DomainEvent<'DeclarationKindsDelegated', { provinceCode: string; countyCode: string; delegatedAt: string }>
  | DomainEvent<'DeclarationKindDelegationRevoked', { provinceCode: string; countyCode: string; revokedAt: string }>;

export type KindDelegationCommand = { type: 'Delegate' | 'Revoke'; provinceCode: string; countyCode: string; at: string };

export interface KindDelegationState {
  counties: string[];
}

export const kindDelegationDecider: Decider<KindDelegationCommand, KindDelegationState, KindDelegationEvent> = {
  initialState: { counties: [] },

  decide(command, state) {
    const { provinceCode, countyCode, at } = command;
    const delegated = state.counties.includes(countyCode);
    if (command.type === 'Delegate') return delegated ? [] : [{ type: 'DeclarationKindsDelegated', data: { provinceCode, countyCode, delegatedAt: at } }];
    return delegated ? [{ type: 'DeclarationKindDelegationRevoked', data: { provinceCode, countyCode, revokedAt: at } }] : [];
  },

  evolve(state, event) {
    switch (event.type) {
      case 'DeclarationKindsDelegated':
        return { counties: [...state.counties, event.data.countyCode] };
      case 'DeclarationKindDelegationRevoked':
        return { counties: state.counties.filter((c) => c !== event.data.countyCode) };
      default:
        return state;
    }
  },
};

export const kindDelegationStream = (provinceCode: string): string => `declaration-kind-delegation-${provinceCode}`;
