import 'reflect-metadata';
import { describe, it } from '@jest/globals';
import { DomainError } from '../../shared/domain/domain-error.js';
import { bodyDtoOf, dtoSchemaSpec } from '../../shared/testing/dto-schema-spec.js';
import { centralAwardDecider } from '../domain/central-award.decider.js';
import { declarationKindDecider } from '../domain/declaration-kind.decider.js';
import { fundingProjectDecider } from '../domain/funding-project.decider.js';
import { DeclarationKindsController } from './declaration-kinds.controller.js';
import { ProjectsController } from './projects.controller.js';
import type { CentralAwardDto, DefineKindDto, EnterProjectDto } from './supervision.dto.js';

const at = '2026-10-20T02:00:00.000Z';
const id = '8b2e1d3f-4c5a-4b6c-8d7e-9f0a1b2c3d4e';

/** what the decider makes of a body the DTO let through; null where the domain refuses it (a 400/422, never a 500) */
function decided(run: () => Array<{ data: Record<string, unknown> }>): Record<string, unknown> | null {
  try {
    return run()[0]?.data ?? null;
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
}

/** Each supervision DTO accepts nothing its event's schema refuses (issue 20, item 8). */
describe('supervision DTOs against their event schemas', () => {
  it('POST /supervision/projects -> FundingProjectEntered', async () => {
    await dtoSchemaSpec<EnterProjectDto>({
      dto: bodyDtoOf(ProjectsController, 'enter') as new () => EnterProjectDto,
      schema: 'supervision/FundingProjectEntered',
      valid: { name: '中原区一园新建', kind: '新建幼儿园', year: 2026, funds: { central: '10', provincial: 20, local: '30' }, allocated: '60', spent: 0, progress: 10, note: '开工', month: '2026-10' },
      toEvent: (b) => decided(() => fundingProjectDecider.decide({ type: 'EnterProject', projectId: id, level: 'county', divisionCode: '410102', name: b.name, kind: b.kind, year: b.year, funds: { ...b.funds }, allocated: b.allocated, spent: b.spent, progress: b.progress, note: b.note ?? '', month: b.month ?? null, at }, fundingProjectDecider.initialState)),
    });
  });

  it('POST /supervision/declaration-kinds -> DeclarationKindDefined', async () => {
    await dtoSchemaSpec<DefineKindDto>({
      dto: bodyDtoOf(DeclarationKindsController, 'define') as new () => DefineKindDto,
      schema: 'supervision/DeclarationKindDefined',
      valid: { name: '园长变更', handling: 'review', fields: [{ key: 'newPrincipal', label: '新园长', required: true }], attachments: [{ key: 'appointment', label: '任命文件', required: true }] },
      toEvent: (b) => decided(() => declarationKindDecider.decide({
        type: 'DefineKind', kindId: id, ownerLevel: 'province', ownerDivision: '410000', name: b.name, handling: b.handling,
        fields: b.fields.map(({ key, label, required }) => ({ key, label, required })), attachments: b.attachments.map(({ key, label, required }) => ({ key, label, required })), at,
      }, declarationKindDecider.initialState)),
    });
  });

  it('POST /supervision/central-awards -> CentralAwardFundsEntered', async () => {
    await dtoSchemaSpec<CentralAwardDto>({
      dto: bodyDtoOf(ProjectsController, 'enterAward') as new () => CentralAwardDto,
      schema: 'supervision/CentralAwardFundsEntered',
      valid: { provinceCode: '410000', year: 2026, amount: '500000000000' },
      toEvent: (b) => decided(() => centralAwardDecider.decide({ type: 'EnterCentralAward', provinceCode: b.provinceCode, year: b.year, amount: b.amount as string, at }, centralAwardDecider.initialState)),
    });
  });
});
