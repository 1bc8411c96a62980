import { describe, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { type ApiClientEvent, apiClientDecider } from './api-client.decider.js';
import { SHARING_EVENTS } from './sharing.events.js';

const spec = deciderSpec(apiClientDecider, new EventRegistry().register(SHARING_EVENTS));
const at = '2026-09-01T02:00:00.000Z';
const clientId = 'cl_3f9a2c7e5b1d4a60';
const hash = (c: string) => `sha256:${c.repeat(64)}`;
const register = { type: 'RegisterClient' as const, clientId, name: '中原区教育门户', level: 'county' as const, divisionCode: '410102', profile: 'masked' as const, secretHash: hash('a'), at };
const registered: ApiClientEvent = { type: 'ApiClientRegistered', data: { clientId, name: '中原区教育门户', level: 'county', divisionCode: '410102', profile: 'masked', secretHash: hash('a'), registeredAt: at } };
const revoked: ApiClientEvent = { type: 'ApiClientRevoked', data: { clientId, revokedAt: at }, reason: '门户停用' };

describe('API client decider', () => {
  it('registers a client once', () => {
    spec.given([]).when(register).then([registered]);
    spec.given([registered]).when(register).thenFails('client-exists');
  });
  it('refuses a division that is not of the client level', () => {
    spec.given([]).when({ ...register, divisionCode: '410100' }).thenFails('validation-failed');
    spec.given([]).when({ ...register, level: 'province', divisionCode: '410102' }).thenFails('validation-failed');
    spec.given([]).when({ ...register, level: 'prefecture', divisionCode: '410100' }).then([{ ...registered, data: { ...registered.data, level: 'prefecture', divisionCode: '410100' } } as ApiClientEvent]);
  });
  it('rotates the secret with a new generation each time', () => {
    const first: ApiClientEvent = { type: 'ApiClientSecretRotated', data: { clientId, secretHash: hash('b'), generation: 1, rotatedAt: at } };
    spec.given([registered]).when({ type: 'RotateSecret', secretHash: hash('b'), at }).then([first]);
    spec.given([registered, first]).when({ type: 'RotateSecret', secretHash: hash('c'), at }).then([{ type: 'ApiClientSecretRotated', data: { clientId, secretHash: hash('c'), generation: 2, rotatedAt: at } }]);
  });
  it('revokes once, with its reason; a revoked client gets no new secret', () => {
    spec.given([registered]).when({ type: 'RevokeClient', reason: '门户停用', at }).then([revoked]);
    spec.given([registered, revoked]).when({ type: 'RevokeClient', reason: 'again', at }).then([]);
    spec.given([registered, revoked]).when({ type: 'RotateSecret', secretHash: hash('b'), at }).thenFails('client-revoked');
  });
});
