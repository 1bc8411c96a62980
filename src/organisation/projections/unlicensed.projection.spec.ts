import { describe, expect, it } from '@jest/globals';
import { projectEvents } from '../../shared/testing/projection-spec.js';
import { recorded } from '../../shared/testing/recorded.js';
import { INSTITUTION_EVENTS } from '../domain/institution.events.js';
import { unlicensedProjection } from './unlicensed.projection.js';

const sample = (type: string) => INSTITUTION_EVENTS.find((d) => d.type === type)!.example as Record<string, unknown>;
const id = '3d9a8f1e-5b6c-4d7e-8f90-a1b2c3d4e5f6';
const recordedOne = recorded('UnlicensedInstitutionRecorded', sample('UnlicensedInstitutionRecorded'));

describe('unlicensed institutions projection', () => {
  it('one document each, with the division, status and counts the list and the summary read', () => {
    const p = projectEvents(unlicensedProjection, [recordedOne]);
    expect(p.doc('unlicensed', id)).toEqual({
      id, divisionCode: '410102', name: '小天使看护点', address: '中原区棉纺路 3 号院', children: 28, staff: 3, status: 'operating',
      recordedAt: '2026-09-15T02:00:00.000Z', updatedAt: '2026-09-15T02:00:00.000Z',
    });
  });

  it('an update replaces the details and keeps the county and the recording date', () => {
    const p = projectEvents(unlicensedProjection, [recordedOne, recorded('UnlicensedInstitutionUpdated', sample('UnlicensedInstitutionUpdated'))]);
    expect(p.doc('unlicensed', id)).toEqual({
      id, divisionCode: '410102', name: '小天使看护点', address: '中原区棉纺路 3 号院', children: 0, staff: 0, status: 'closed',
      recordedAt: '2026-09-15T02:00:00.000Z', updatedAt: '2026-11-01T02:00:00.000Z',
    });
  });

  it('an update of one never recorded makes no document', () => {
    expect(projectEvents(unlicensedProjection, [recorded('UnlicensedInstitutionUpdated', sample('UnlicensedInstitutionUpdated'))]).docs('unlicensed')).toEqual([]);
  });
});
