import 'reflect-metadata';
import { describe, it } from '@jest/globals';
import { bodyDtoOf, dtoSchemaSpec } from '../../shared/testing/dto-schema-spec.js';
import { ApiClientsController } from './api-clients.controller.js';

/** The registration DTO accepts nothing ApiClientRegistered's schema refuses (issue 20, item 8). */
describe('sharing DTOs against their event schemas', () => {
  it('POST /api-clients -> ApiClientRegistered', async () => {
    type Body = { name: string; level: string; divisionCode: string; profile: string };
    await dtoSchemaSpec<Body>({
      dto: bodyDtoOf(ApiClientsController, 'register') as new () => Body,
      schema: 'sharing/ApiClientRegistered',
      valid: { name: '郑州市中原区教育门户', level: 'county', divisionCode: '410102', profile: 'masked' },
      toEvent: (body) => ({ clientId: 'cl_3f9a2c7e5b1d4a60', ...body, secretHash: `sha256:${'a'.repeat(64)}`, registeredAt: '2026-09-01T02:00:00.000Z' }),
    });
  });
});
