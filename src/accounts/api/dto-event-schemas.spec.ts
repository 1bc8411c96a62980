import 'reflect-metadata';
import { describe, it } from '@jest/globals';
import { bodyDtoOf, dtoSchemaSpec } from '../../shared/testing/dto-schema-spec.js';
import { AccountsController } from './accounts.controller.js';

/** The account DTO whose fields are stored accepts nothing AccountCreated's schema refuses (issue 20, item 8). */
describe('accounts DTOs against their event schemas', () => {
  type Create = { username: string; realName: string; level: string; role: string; divisionCode: string; institutionCode?: string };

  it('POST /accounts -> AccountCreated', async () => {
    await dtoSchemaSpec<Create>({
      dto: bodyDtoOf(AccountsController, 'create') as new () => Create,
      schema: 'accounts/AccountCreated',
      valid: { username: '410102-review2', realName: '李审核', level: 'county', role: 'review', divisionCode: '410102', institutionCode: '1141010001' },
      // as AccountsController.create passes it on; the hash and the time are the service's
      toEvent: (body) => ({
        accountId: '8f14e45f-ceea-467a-9575-2f8d3b1c0a11', username: body.username, realName: body.realName, level: body.level, role: body.role,
        divisionCode: body.divisionCode, institutionCode: body.institutionCode ?? null, passwordHash: 'scrypt$x', createdAt: '2026-09-01T00:00:00.000Z',
      }),
    });
  });
});
