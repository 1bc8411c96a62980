import 'reflect-metadata';
import { describe, it } from '@jest/globals';
import { bodyDtoOf, dtoSchemaSpec } from '../../shared/testing/dto-schema-spec.js';
import { SettingsController } from './settings.controller.js';

/** Each settings DTO accepts nothing its event's schema refuses (issue 20, item 8). */
describe('settings DTOs against their event schemas', () => {
  const base = { provinceCode: '410000', business: 'record-registration', at: '2026-09-01T00:00:00.000Z' };

  it('POST /settings/businesses/{b}/switch -> FeatureSwitched', async () => {
    await dtoSchemaSpec<{ enabled: boolean }>({
      dto: bodyDtoOf(SettingsController, 'switch') as new () => { enabled: boolean },
      schema: 'settings/FeatureSwitched',
      valid: { enabled: false, reason: '系统维护' },
      toEvent: (body) => ({ ...base, enabled: body.enabled }),
    });
  });

  it('PUT /settings/businesses/{b}/window -> BusinessWindowSet', async () => {
    type Window = { opensAt: string; closesAt: string };
    await dtoSchemaSpec<Window>({
      dto: bodyDtoOf(SettingsController, 'window') as new () => Window,
      schema: 'settings/BusinessWindowSet',
      valid: { opensAt: '2026-09-01T00:00:00+08:00', closesAt: '2026-10-15T23:59:59+08:00', reason: '秋季学期注册' },
      // as SettingsController.window converts the times
      toEvent: (body) => ({ ...base, opensAt: new Date(body.opensAt).toISOString(), closesAt: new Date(body.closesAt).toISOString() }),
    });
  });
});
