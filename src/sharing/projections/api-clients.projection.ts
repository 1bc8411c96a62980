import type { ProjectionDefinition } from '../../shared/projections/projection-definition.js';
import type { ApiClientEvent } from '../domain/api-client.decider.js';

/** The administrators' list of API clients; never the secret's hash. */
export const apiClientsProjection: ProjectionDefinition<ApiClientEvent> = {
  name: 'api-clients',
  version: 1,
  collections: { clients: { indexes: ['divisionCode', 'status', 'registeredAt'] } },
  handles: ['ApiClientRegistered', 'ApiClientSecretRotated', 'ApiClientRevoked'],
  keys: (event) => [{ collection: 'clients', id: event.data.clientId }],
  evolve(_collection, doc, event) {
    switch (event.type) {
      case 'ApiClientRegistered': {
        const { clientId, name, level, divisionCode, profile, registeredAt } = event.data;
        return { id: clientId, clientId, name, level, divisionCode, profile, status: 'active', secretRotatedAt: null, revokedAt: null, registeredAt };
      }
      case 'ApiClientSecretRotated':
        return doc && { ...doc, secretRotatedAt: event.data.rotatedAt };
      case 'ApiClientRevoked':
        return doc && { ...doc, status: 'revoked', revokedAt: event.data.revokedAt };
      default:
        return doc;
    }
  },
};
