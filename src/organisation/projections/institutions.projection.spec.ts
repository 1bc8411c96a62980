import { describe, expect, it } from '@jest/globals';
import { projectEvents } from '../../shared/testing/projection-spec.js';
import { recorded } from '../../shared/testing/recorded.js';
import { INSTITUTION_EVENTS } from '../domain/institution.events.js';
import { institutionsProjection } from './institutions.projection.js';

const sample = (type: string) => INSTITUTION_EVENTS.find((d) => d.type === type)!.example;
const at = (day: number) => ({ recordedAt: `2026-09-${String(day).padStart(2, '0')}T02:00:00.000Z` });
const code = '1141010001';
const registered = recorded('InstitutionRegistered', sample('InstitutionRegistered'), at(1));

describe('institutions projection', () => {
  it('one document per code, with the division path the jurisdiction filters use', () => {
    const p = projectEvents(institutionsProjection, [registered]);
    expect(p.doc('institutions', code)).toEqual({
      id: code, code, name: '郑州市中原区第一幼儿园', type: 'kindergarten', ownership: 'public', licence: '教民141010270000001号',
      divisionCode: '410102', prefectureCode: '410100', provinceCode: '410000', status: 'active', formerNames: [],
      registeredAt: '2026-09-01T02:00:00.000Z', updatedAt: '2026-09-01T02:00:00.000Z',
    });
  });

  it('a rename shows the new name and keeps the old ones', () => {
    const p = projectEvents(institutionsProjection, [
      registered,
      recorded('InstitutionRenamed', sample('InstitutionRenamed'), at(2)),
      recorded('InstitutionRenamed', { code, from: '郑州市中原区实验幼儿园', to: '郑州市中原区实验幼儿园（总园）', batchId: 'b' }, at(3)),
    ]);
    expect(p.doc('institutions', code)).toMatchObject({ name: '郑州市中原区实验幼儿园（总园）', formerNames: ['郑州市中原区第一幼儿园', '郑州市中原区实验幼儿园'], updatedAt: '2026-09-03T02:00:00.000Z' });
  });

  it('a move to another county moves the whole division path', () => {
    const p = projectEvents(institutionsProjection, [
      registered,
      recorded('InstitutionRegistryDetailsChanged', { ...sample('InstitutionRegistryDetailsChanged'), divisionCode: '410202', ownership: 'private' }, at(2)),
    ]);
    expect(p.doc('institutions', code)).toMatchObject({ divisionCode: '410202', prefectureCode: '410200', provinceCode: '410000', ownership: 'private', licence: null, name: '郑州市中原区第一幼儿园' });
  });

  it('revoked and reinstated by the registry', () => {
    const revoked = recorded('InstitutionRevoked', sample('InstitutionRevoked'), at(2));
    expect(projectEvents(institutionsProjection, [registered, revoked]).doc('institutions', code)).toMatchObject({ status: 'revoked', updatedAt: '2026-09-02T02:00:00.000Z' });
    const back = projectEvents(institutionsProjection, [registered, revoked, recorded('InstitutionReinstated', sample('InstitutionReinstated'), at(3))]);
    expect(back.doc('institutions', code)).toMatchObject({ status: 'active', updatedAt: '2026-09-03T02:00:00.000Z' });
  });

  it('changes to a code never registered make no document', () => {
    const p = projectEvents(institutionsProjection, [recorded('InstitutionRenamed', sample('InstitutionRenamed'), at(2)), recorded('InstitutionRevoked', sample('InstitutionRevoked'), at(3))]);
    expect(p.docs('institutions')).toEqual([]);
  });
});
