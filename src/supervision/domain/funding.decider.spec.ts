import { describe, expect, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { centralAwardDecider } from './central-award.decider.js';
import { addFen, yuan } from './fen.js';
import { type FundingProjectEvent, fundingProjectDecider } from './funding-project.decider.js';
import { kindDelegationDecider } from './kind-delegation.decider.js';
import { declarationKindDecider } from './declaration-kind.decider.js';
import { lastMonthEndDue, monthEndDecider } from './month-end.decider.js';
import { SUPERVISION_EVENTS } from './supervision.events.js';

const registry = new EventRegistry().register(SUPERVISION_EVENTS);
const at = '2026-10-20T02:00:00.000Z';
const projectId = '8b2e1d3f-4c5a-4b6c-8d7e-9f0a1b2c3d4e';
const figures = { funds: { central: '10', provincial: 20, local: '30' }, allocated: '60', spent: '0', progress: 0, note: '' };
const entered: FundingProjectEvent = {
  type: 'FundingProjectEntered',
  data: { projectId, level: 'county', divisionCode: '410102', name: '新建园', kind: '新建幼儿园', year: 2026, month: '2026-10', funds: { central: '10', provincial: '20', local: '30' }, allocated: '60', spent: '0', progress: 0, note: '', enteredAt: at },
};

describe('fen amounts', () => {
  it('add exactly where floating point drifts', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(addFen('10', '20')).toBe('30');
    expect(addFen('999999999999999', '1')).toBe('1000000000000000');
    expect(yuan('5')).toBe('0.05');
    expect(yuan('123456')).toBe('1234.56');
  });
});

describe('funding project decider', () => {
  const spec = deciderSpec(fundingProjectDecider, registry);
  it('enters a project with amounts in fen (strings or integers), this month by default', () => {
    spec.given([]).when({ type: 'EnterProject', projectId, level: 'county', divisionCode: '410102', name: '新建园', kind: '新建幼儿园', year: 2026, month: null, at, ...figures }).then([entered]);
  });
  it('refuses fractions, a future month and spending beyond what was allocated', () => {
    const error = spec.given([entered]).when({ type: 'ReportProject', month: '2026-11', at, ...figures, allocated: 12.5 }).thenFails('validation-failed', 'validation');
    expect(error.errors.map((e) => e.code).sort()).toEqual(['invalid-amount', 'month-in-future']);
    spec.given([entered]).when({ type: 'ReportProject', month: null, at, ...figures, spent: '61' }).thenFails('spent-over-allocated', 'rule');
    spec.given([entered]).when({ type: 'ReportProject', month: '2026-09', at, ...figures }).thenFails('month-before-last', 'rule');
  });
  it('every monthly update is an event naming its month', () => {
    spec.given([entered]).when({ type: 'ReportProject', month: '2026-10', at, ...figures, spent: '15', progress: 20 })
      .then([{ type: 'FundingProjectReported', data: { projectId, month: '2026-10', funds: { central: '10', provincial: '20', local: '30' }, allocated: '60', spent: '15', progress: 20, note: '', reportedAt: at } }]);
  });
});

describe('central award, delegation, kinds and month-end deciders', () => {
  it('a central award is entered once per amount', () => {
    const entry = { type: 'CentralAwardFundsEntered' as const, data: { provinceCode: '410000', year: 2026, amount: '100', enteredAt: at } };
    deciderSpec(centralAwardDecider, registry).given([]).when({ type: 'EnterCentralAward', provinceCode: '410000', year: 2026, amount: '100', at }).then([entry]);
    deciderSpec(centralAwardDecider, registry).given([entry]).when({ type: 'EnterCentralAward', provinceCode: '410000', year: 2026, amount: '100', at }).then([]);
    deciderSpec(centralAwardDecider, registry).given([]).when({ type: 'EnterCentralAward', provinceCode: '410000', year: 2026, amount: '1.5', at }).thenFails('validation-failed', 'validation');
  });
  it('delegation is idempotent both ways', () => {
    const spec = deciderSpec(kindDelegationDecider, registry);
    const delegated = { type: 'DeclarationKindsDelegated' as const, data: { provinceCode: '410000', countyCode: '410102', delegatedAt: at } };
    spec.given([]).when({ type: 'Delegate', provinceCode: '410000', countyCode: '410102', at }).then([delegated]);
    spec.given([delegated]).when({ type: 'Delegate', provinceCode: '410000', countyCode: '410102', at }).then([]);
    spec.given([]).when({ type: 'Revoke', provinceCode: '410000', countyCode: '410102', at }).then([]);
  });
  it('a kind needs well-formed item keys', () => {
    const base = { type: 'DefineKind' as const, kindId: projectId, ownerLevel: 'province' as const, ownerDivision: '410000', name: '地址变更', handling: 'acknowledge' as const, attachments: [], at };
    deciderSpec(declarationKindDecider, registry).given([]).when({ ...base, fields: [{ key: 'New Address', label: '新地址', required: true }] }).thenFails('validation-failed', 'validation');
    deciderSpec(declarationKindDecider, registry).given([]).when({ ...base, fields: [{ key: 'newAddress', label: '新地址', required: true }] })
      .then([{ type: 'DeclarationKindDefined', data: { kindId: projectId, ownerLevel: 'province', ownerDivision: '410000', name: '地址变更', handling: 'acknowledge', fields: [{ key: 'newAddress', label: '新地址', required: true }], attachments: [], definedAt: at } }]);
  });
  it('a month-end is taken once', () => {
    const take = { type: 'TakeMonthEnd' as const, month: '2026-10', dueAt: '2026-10-30T16:00:00.000Z', projects: [], at };
    const taken = { type: 'FundingMonthEndTaken' as const, data: { month: '2026-10', dueAt: '2026-10-30T16:00:00.000Z', takenAt: at, projects: [] } };
    deciderSpec(monthEndDecider, registry).given([]).when(take).then([taken]);
    deciderSpec(monthEndDecider, registry).given([taken]).when(take).then([]);
  });
  it('the month-end falls due at the start of the month’s last day', () => {
    expect(lastMonthEndDue('2026-10-31')).toEqual({ month: '2026-10', dueDate: '2026-10-31' });
    expect(lastMonthEndDue('2026-10-30')).toEqual({ month: '2026-09', dueDate: '2026-09-30' });
    expect(lastMonthEndDue('2027-01-05')).toEqual({ month: '2026-12', dueDate: '2026-12-31' });
    expect(lastMonthEndDue('2028-02-29')).toEqual({ month: '2028-02', dueDate: '2028-02-29' });
  });
});
