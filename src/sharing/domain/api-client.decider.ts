import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { conflict, invalid, rule } from '../../shared/domain/domain-error.js';

/**
 * An API client (machine account) of a province portal or the primary-school registration system:
 * its jurisdiction (a province, prefecture or county) and data profile, and the hash of its
 * current secret. The secret itself is never stored; rotation replaces the hash and ends every
 * token issued under the old one, revocation ends the client for good.
 */
export const CLIENT_LEVELS = ['province', 'prefecture', 'county'] as const;
export type ClientLevel = (typeof CLIENT_LEVELS)[number];
/** summary: statistical fields only; masked: records with ID numbers masked; personal: records in full */
export const PROFILES = ['summary', 'masked', 'personal'] as const;
export type Profile = (typeof PROFILES)[number];

export interface ApiClientState {
  status: 'none' | 'active' | 'revoked';
  clientId: string;
  name: string;
  level: ClientLevel;
  divisionCode: string;
  profile: Profile;
  secretHash: string;
  /** bumped by every rotation: tokens carry the generation they were issued under */
  generation: number;
}

export type ApiClientEvent =
  | DomainEvent<'ApiClientRegistered', { clientId: string; name: string; level: ClientLevel; divisionCode: string; profile: Profile; secretHash: string; registeredAt: string }>
  | DomainEvent<'ApiClientSecretRotated', { clientId: string; secretHash: string; generation: number; rotatedAt: string }>
  | DomainEvent<'ApiClientRevoked', { clientId: string; revokedAt: string }>;

export type ApiClientCommand =
  | { type: 'RegisterClient'; clientId: string; name: string; level: ClientLevel; divisionCode: string; profile: Profile; secretHash: string; at: string }
  | { type: 'RotateSecret'; secretHash: string; at: string }
  | { type: 'RevokeClient'; reason: string; at: string };

export const apiClientStream = (clientId: string): string => `api-client-${clientId}`;

/** Does the division code name a division of the client's level (410000 province, 410100 prefecture, 410102 county)? */
export function fitsLevel(level: ClientLevel, code: string): boolean {
  if (!/^[1-9][0-9]{5}$/.test(code)) return false;
  if (level === 'province') return code.endsWith('0000');
  if (level === 'prefecture') return code.endsWith('00') && !code.endsWith('0000');
  return !code.endsWith('00');
}

export const apiClientDecider: Decider<ApiClientCommand, ApiClientState, ApiClientEvent> = {
  initialState: { status: 'none', clientId: '', name: '', level: 'county', divisionCode: '', profile: 'summary', secretHash: '', generation: 0 },
  decide(command, state) {
    switch (command.type) {
      case 'RegisterClient': {
        if (state.status !== 'none') throw conflict('client-exists', '该接口客户端已存在');
        const { clientId, name, level, divisionCode, profile, secretHash, at } = command;
        if (!fitsLevel(level, divisionCode)) {
          throw invalid([{ field: 'divisionCode', code: 'division-level-mismatch', message: '行政区划代码与客户端的级别（省/市/县）不符', value: divisionCode }]);
        }
        return [{ type: 'ApiClientRegistered', data: { clientId, name, level, divisionCode, profile, secretHash, registeredAt: at } }];
      }
      case 'RotateSecret':
        if (state.status === 'revoked') throw rule('client-revoked', '该接口客户端已吊销，不能再更换密钥');
        return [{ type: 'ApiClientSecretRotated', data: { clientId: state.clientId, secretHash: command.secretHash, generation: state.generation + 1, rotatedAt: command.at } }];
      case 'RevokeClient':
        // revoking twice changes nothing
        if (state.status === 'revoked') return [];
        return [{ type: 'ApiClientRevoked', data: { clientId: state.clientId, revokedAt: command.at }, reason: command.reason }];
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ApiClientRegistered': {
        const { clientId, name, level, divisionCode, profile, secretHash } = event.data;
        return { status: 'active', clientId, name, level, divisionCode, profile, secretHash, generation: 0 };
      }
      case 'ApiClientSecretRotated':
        return { ...state, secretHash: event.data.secretHash, generation: event.data.generation };
      case 'ApiClientRevoked':
        return { ...state, status: 'revoked' };
      default:
        return state;
    }
  },
};
