import { describe, expect, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { type FilingContent, type FilingEvent, filingDecider, filingStream } from './filing.decider.js';
import { INSTITUTION_EVENTS } from './institution.events.js';

const spec = deciderSpec(filingDecider, new EventRegistry().register(INSTITUTION_EVENTS));
const at = '2026-09-10T02:00:00.000Z';
const code = '1141010001';
const content: FilingContent = {
  basic: { address: '郑州市中原区建设路 12 号', principalName: '张园长', phone: '0371-67890123', urbanRuralCode: '111' },
  buildings: [{ name: '教学楼', tenure: 'self-built', area: 2400.5, builtYear: 2012 }],
  conditions: { siteArea: 6000, buildingArea: 2000, playgroundArea: 1800, classrooms: 12 },
};
const submit = (c: FilingContent = content, institutionType: 'kindergarten' | 'attached-kindergarten' | 'preschool-class' = 'kindergarten') =>
  ({ type: 'SubmitFiling' as const, code, divisionCode: '410102', institutionType, content: c, at });
const submitted = (version: number, c: FilingContent = content): FilingEvent => ({ type: 'InstitutionFilingSubmitted', data: { ...c, code, divisionCode: '410102', version, submittedAt: at } });
const approved = (version: number): FilingEvent => ({ type: 'InstitutionFilingApproved', data: { code, version, approvedAt: at } });
const rejected = (version: number): FilingEvent => ({ type: 'InstitutionFilingRejected', data: { code, version, rejectedAt: at }, reason: '电话号码有误' });

describe('institution filing decider', () => {
  it('submits version 1, and a resubmission is the next version, also while one waits or after approval', () => {
    spec.given([]).when(submit()).then([submitted(1)]);
    spec.given([submitted(1)]).when(submit()).then([submitted(2)]);
    spec.given([submitted(1), approved(1)]).when(submit()).then([submitted(2)]);
    spec.given([submitted(1), rejected(1)]).when(submit()).then([submitted(2)]);
    spec.given([submitted(1), submitted(2)]).thenState({ version: 2, pending: 2, approvedVersion: null });
  });

  it('refuses a kindergarten without buildings or running conditions; an attached kindergarten may omit them', () => {
    const bare = { ...content, buildings: [], conditions: null };
    const error = spec.given([]).when(submit(bare)).thenFails('validation-failed', 'validation');
    expect(error.errors.map((e) => `${e.field}:${e.code}`)).toEqual(['buildings:buildings-required', 'conditions:conditions-required']);
    for (const e of error.errors) expect(e.message).toMatch(/[\u4e00-\u9fff]/);
    spec.given([]).when(submit(bare, 'attached-kindergarten')).then([submitted(1, bare)]);
    spec.given([]).when(submit(bare, 'preschool-class')).thenFails('validation-failed');
  });

  it('"this year" is the Beijing year: at 07:00 on 1 January in China a building finished that year is accepted', () => {
    const newYear = { ...content, buildings: [{ name: '新楼', tenure: 'self-built' as const, area: 800, builtYear: 2027 }] };
    const at = '2026-12-31T23:00:00.000Z';
    spec.given([]).when({ ...submit(newYear), at }).then([{ type: 'InstitutionFilingSubmitted', data: { ...newYear, code, divisionCode: '410102', version: 1, submittedAt: at } }]);
    spec.given([]).when({ ...submit(newYear), at: '2026-12-31T15:59:00.000Z' }).thenFails('validation-failed', 'validation');
  });

  it('refuses a building finished after this year and a building area larger than the site, naming the field', () => {
    const wrong = {
      ...content,
      buildings: [content.buildings[0]!, { name: '综合楼', tenure: 'rented' as const, area: 800, builtYear: 2027 }],
      conditions: { ...content.conditions!, buildingArea: 6500 },
    };
    const error = spec.given([]).when(submit(wrong)).thenFails('validation-failed', 'validation');
    expect(error.errors.map((e) => `${e.field}:${e.code}:${String(e.value)}`)).toEqual(['buildings[1].builtYear:year-in-future:2027', 'conditions.buildingArea:building-exceeds-site:6500']);
    // this year is not in the future
    spec.given([]).when(submit({ ...content, buildings: [{ ...content.buildings[0]!, builtYear: 2026 }] })).then([submitted(1, { ...content, buildings: [{ ...content.buildings[0]!, builtYear: 2026 }] })]);
  });

  it('the county approves or rejects (with its reason) the version waiting', () => {
    const approvedState = spec.given([submitted(1)]).when({ type: 'ApproveFiling', code, version: 1, at }).then([approved(1)]);
    expect(approvedState).toEqual({ version: 1, pending: null, approvedVersion: 1 });
    const rejectedState = spec.given([submitted(1), approved(1), submitted(2)]).when({ type: 'RejectFiling', code, version: 2, reason: '电话号码有误', at }).then([rejected(2)]);
    // a rejected resubmission keeps the approved version the county reads
    expect(rejectedState).toEqual({ version: 2, pending: null, approvedVersion: 1 });
  });

  it('refuses to decide when nothing waits, or a version that is no longer the one waiting', () => {
    spec.given([]).when({ type: 'ApproveFiling', code, version: 1, at }).thenFails('no-filing-pending', 'rule');
    spec.given([submitted(1), approved(1)]).when({ type: 'ApproveFiling', code, version: 1, at }).thenFails('no-filing-pending', 'rule');
    spec.given([submitted(1), rejected(1)]).when({ type: 'RejectFiling', code, version: 1, reason: 'x', at }).thenFails('no-filing-pending', 'rule');
    const error = spec.given([submitted(1), submitted(2)]).when({ type: 'ApproveFiling', code, version: 1, at }).thenFails('filing-version-changed', 'conflict');
    expect(error.details).toEqual({ pendingVersion: 2 });
    expect(error.message).toContain('第 2 版');
  });

  it('one stream per institution code', () => {
    expect(filingStream(code)).toBe('institution-filing-1141010001');
  });
});
