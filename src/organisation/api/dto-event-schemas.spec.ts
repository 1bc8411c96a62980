import 'reflect-metadata';
import { describe, it } from '@jest/globals';
import { bodyDtoOf, dtoSchemaSpec } from '../../shared/testing/dto-schema-spec.js';
import { DivisionController } from './division.controller.js';
import { FilingController } from './filing.controller.js';
import { UnlicensedController } from './unlicensed.controller.js';

/** Each write DTO of the context accepts nothing its event's schema refuses (issue 20, item 8). */
describe('organisation DTOs against their event schemas', () => {
  const at = '2026-09-01T00:00:00.000Z';
  const basic = { address: '郑州市中原区建设路 12 号', principalName: '张园长', phone: '0371-67890123', urbanRuralCode: '111' };
  const buildings = [{ name: '教学楼', tenure: 'self-built', area: 2400.5, builtYear: 2012 }];
  const conditions = { siteArea: 6000, buildingArea: 2000, playgroundArea: 1800, classrooms: 12 };
  type Filing = { basic: object; buildings?: object[]; conditions?: object | null };

  it('PUT /institutions/{code}/filing -> InstitutionFilingSubmitted', async () => {
    await dtoSchemaSpec<Filing>({
      dto: bodyDtoOf(FilingController, 'submit') as new () => Filing,
      schema: 'organisation/InstitutionFilingSubmitted',
      valid: { basic, buildings, conditions },
      // as FilingController.submit maps the body
      toEvent: (body) => ({
        code: '1141010001', divisionCode: '410102', version: 1, submittedAt: at,
        basic: { ...body.basic }, buildings: (body.buildings ?? []).map((b) => ({ ...b })), conditions: body.conditions ? { ...body.conditions } : null,
      }),
    });
  });

  it('POST .../filing/approve and .../reject -> InstitutionFilingApproved / Rejected', async () => {
    await dtoSchemaSpec<{ version: number }>({
      dto: bodyDtoOf(FilingController, 'approve') as new () => { version: number },
      schema: 'organisation/InstitutionFilingApproved',
      valid: { version: 1 },
      toEvent: (body) => ({ code: '1141010001', version: body.version, approvedAt: at }),
    });
    await dtoSchemaSpec<{ version: number }>({
      dto: bodyDtoOf(FilingController, 'reject') as new () => { version: number },
      schema: 'organisation/InstitutionFilingRejected',
      valid: { version: 2, reason: '园舍占地面积与实际不符' },
      toEvent: (body) => ({ code: '1141010001', version: body.version, rejectedAt: at }),
    });
  });

  it('POST and PUT /unlicensed-institutions -> UnlicensedInstitutionRecorded / Updated', async () => {
    const valid = { name: '小天使看护点', address: '中原区棉纺路 3 号院', children: 28, staff: 3, status: 'operating' };
    for (const [method, schema] of [['record', 'UnlicensedInstitutionRecorded'], ['update', 'UnlicensedInstitutionUpdated']] as const) {
      await dtoSchemaSpec<object>({
        dto: bodyDtoOf(UnlicensedController, method),
        schema: `organisation/${schema}`,
        valid,
        toEvent: (body) => ({ id: '8f14e45f-ceea-467a-9575-2f8d3b1c0a11', ...body, ...(method === 'record' ? { divisionCode: '410102', recordedAt: at } : { updatedAt: at }) }),
      });
    }
  });

  it('POST /divisions/custom -> CustomDivisionCreated', async () => {
    await dtoSchemaSpec<{ code: string; name: string; parent: string }>({
      dto: bodyDtoOf(DivisionController, 'create') as new () => { code: string; name: string; parent: string },
      schema: 'organisation/CustomDivisionCreated',
      valid: { code: '410199', name: '郑州航空港经济综合实验区', parent: '410100', reason: '豫政〔2026〕1 号' },
      toEvent: (body) => ({ code: body.code, name: body.name, parent: body.parent, createdAt: at }),
    });
  });
});
