import { describe, expect, it } from '@jest/globals';
import { projectEvents } from '../../shared/testing/projection-spec.js';
import { recorded } from '../../shared/testing/recorded.js';
import { INSTITUTION_EVENTS } from '../domain/institution.events.js';
import { filingsProjection } from './filings.projection.js';

const sample = (type: string) => INSTITUTION_EVENTS.find((d) => d.type === type)!.example as Record<string, unknown>;
const code = '1141010001';
const { code: _c, divisionCode: _d, version: _v, submittedAt: _s, ...content } = sample('InstitutionFilingSubmitted');
const submitted = (version: number, submittedAt: string, basic = content['basic']) => recorded('InstitutionFilingSubmitted', { ...sample('InstitutionFilingSubmitted'), version, submittedAt, basic });
const approved = (version: number, approvedAt: string) => recorded('InstitutionFilingApproved', { code, version, approvedAt });
const rejected = (version: number, rejectedAt: string) => recorded('InstitutionFilingRejected', { code, version, rejectedAt }, { reason: '电话号码有误' });

describe('institution filings projection', () => {
  it('a submission waits in the county’s queue (status, division, since when) with its content', () => {
    const p = projectEvents(filingsProjection, [submitted(1, '2026-09-10T02:00:00.000Z')]);
    expect(p.doc('filings', code)).toEqual({
      id: code, code, divisionCode: '410102', status: 'submitted', version: 1, submittedAt: '2026-09-10T02:00:00.000Z',
      latest: content, approved: null, rejectReason: null, decidedAt: null,
    });
  });

  it('approval makes the version the approved content the county reads', () => {
    const p = projectEvents(filingsProjection, [submitted(1, '2026-09-10T02:00:00.000Z'), approved(1, '2026-09-12T02:00:00.000Z')]);
    expect(p.doc('filings', code)).toMatchObject({ status: 'approved', decidedAt: '2026-09-12T02:00:00.000Z', approved: { version: 1, approvedAt: '2026-09-12T02:00:00.000Z', ...content } });
  });

  it('a resubmission waits again while the approved content stays; its rejection keeps the reason until the next one', () => {
    const moved = { ...(content['basic'] as object), address: '郑州市中原区建设路 88 号' };
    const events = [submitted(1, '2026-09-10T02:00:00.000Z'), approved(1, '2026-09-12T02:00:00.000Z'), submitted(2, '2026-10-01T02:00:00.000Z', moved)];
    const p = projectEvents(filingsProjection, events);
    expect(p.doc('filings', code)).toMatchObject({ status: 'submitted', version: 2, submittedAt: '2026-10-01T02:00:00.000Z', latest: { basic: moved }, approved: { version: 1, basic: content['basic'] }, decidedAt: null });
    const r = projectEvents(filingsProjection, [...events, rejected(2, '2026-10-02T02:00:00.000Z')]);
    expect(r.doc('filings', code)).toMatchObject({ status: 'rejected', rejectReason: '电话号码有误', decidedAt: '2026-10-02T02:00:00.000Z', approved: { version: 1 } });
    const again = projectEvents(filingsProjection, [...events, rejected(2, '2026-10-02T02:00:00.000Z'), submitted(3, '2026-10-03T02:00:00.000Z')]);
    expect(again.doc('filings', code)).toMatchObject({ status: 'submitted', version: 3, rejectReason: null, decidedAt: null, approved: { version: 1 } });
  });

  it('a decision without a submission makes no document', () => {
    expect(projectEvents(filingsProjection, [approved(1, '2026-09-12T02:00:00.000Z')]).docs('filings')).toEqual([]);
  });
});
