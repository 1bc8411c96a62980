import { describe, expect, it } from '@jest/globals';
import { projectEvents } from '../../shared/testing/projection-spec.js';
import { recorded } from '../../shared/testing/recorded.js';
import { SUPERVISION_EVENTS } from '../domain/supervision.events.js';
import { supervisionProjection } from './supervision.projection.js';

const example = (type: string) => SUPERVISION_EVENTS.find((d) => d.type === type)!.example as Record<string, unknown>;
const declarationId = String(example('ChangeDeclared')['declarationId']);
const projectId = String(example('FundingProjectEntered')['projectId']);

describe('supervision projection', () => {
  it('a declaration: pending, rejected with its reason, resubmitted (the clock restarts), approved', () => {
    const events = [
      recorded('ChangeDeclared', example('ChangeDeclared'), { reason: '原园长退休' }),
      recorded('DeclarationRejected', { declarationId, rejectedAt: '2026-10-13T02:00:00.000Z' }, { reason: '缺少盖章' }),
      recorded('DeclarationResubmitted', { ...example('DeclarationResubmitted'), resubmittedAt: '2026-10-14T02:00:00.000Z' }, { reason: '已补充' }),
    ];
    const resubmitted = projectEvents(supervisionProjection, events).doc('declarations', declarationId);
    expect(resubmitted).toMatchObject({ status: 'pending', submittedAt: '2026-10-14T02:00:00.000Z', submissions: 2, reason: '已补充', handledAt: null });
    const approved = projectEvents(supervisionProjection, [...events, recorded('DeclarationApproved', { declarationId, approvedAt: '2026-10-15T02:00:00.000Z' })]).doc('declarations', declarationId);
    expect(approved).toMatchObject({ status: 'approved', handledAt: '2026-10-15T02:00:00.000Z', institutionCode: '1141010001', divisionCode: '410102' });
  });

  it('a project keeps its latest figures and the month it was last updated in', () => {
    const p = projectEvents(supervisionProjection, [
      recorded('FundingProjectEntered', { ...example('FundingProjectEntered'), enteredAt: '2026-09-29T02:00:00.000Z', month: '2026-09' }),
      recorded('FundingProjectReported', { ...example('FundingProjectReported'), spent: '20000000', reportedAt: '2026-10-31T17:00:00.000Z' }),
    ]);
    // 2026-10-31T17:00Z is 1 November in Beijing
    expect(p.doc('projects', projectId)).toMatchObject({ spent: '20000000', lastMonth: '2026-10', updatedMonth: '2026-11', reports: 2, level: 'county' });
  });

  it('kinds, delegations, awards and month-ends', () => {
    const kindId = String(example('DeclarationKindDefined')['kindId']);
    const p = projectEvents(supervisionProjection, [
      recorded('DeclarationKindDefined', example('DeclarationKindDefined')),
      recorded('DeclarationKindRetired', example('DeclarationKindRetired')),
      recorded('DeclarationKindsDelegated', example('DeclarationKindsDelegated')),
      recorded('DeclarationKindsDelegated', { ...example('DeclarationKindsDelegated'), countyCode: '410103' }),
      recorded('DeclarationKindDelegationRevoked', example('DeclarationKindDelegationRevoked')),
      recorded('CentralAwardFundsEntered', example('CentralAwardFundsEntered')),
      recorded('CentralAwardFundsEntered', { ...example('CentralAwardFundsEntered'), amount: '5' }),
      recorded('FundingMonthEndTaken', example('FundingMonthEndTaken')),
    ]);
    expect(p.doc('kinds', kindId)).toMatchObject({ status: 'retired', handling: 'review', ownerDivision: '410000' });
    expect(p.docs('delegations').map((d) => d.id)).toEqual(['410103']);
    expect(p.doc('awards', '410000-2026')).toMatchObject({ amount: '5', entries: 2, divisionCode: '410000' });
    expect(p.doc('monthEnds', '2026-10')).toMatchObject({ projects: 1 });
  });
});
