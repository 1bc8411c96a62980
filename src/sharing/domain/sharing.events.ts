import type { EventDefinition } from '../../shared/events/event-definition.js';

const clientId = 'cl_3f9a2c7e5b1d4a60';
const secretHash = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
export const SHARING_EVENTS: EventDefinition[] = [
  { context: 'sharing', type: 'ApiClientRegistered', version: 1, example: { clientId, name: '郑州市中原区教育门户', level: 'county', divisionCode: '410102', profile: 'masked', secretHash, registeredAt: '2026-09-01T02:00:00.000Z' } },
  { context: 'sharing', type: 'ApiClientSecretRotated', version: 1, example: { clientId, secretHash, generation: 1, rotatedAt: '2026-10-01T02:00:00.000Z' } },
  { context: 'sharing', type: 'ApiClientRevoked', version: 1, example: { clientId, revokedAt: '2026-11-01T02:00:00.000Z' } },
];
