import { describe, expect, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { type InstitutionEvent, type RegistryEntry, institutionDecider, institutionStream } from './institution.decider.js';
import { INSTITUTION_EVENTS } from './institution.events.js';

const spec = deciderSpec(institutionDecider, new EventRegistry().register(INSTITUTION_EVENTS));
const batchId = '7f2b1c1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f';
const entry: RegistryEntry = { code: '1141010001', name: '郑州市中原区第一幼儿园', type: 'kindergarten', divisionCode: '410102', ownership: 'public', licence: '教民141010270000001号' };
const apply = (e: RegistryEntry = entry) => ({ type: 'ApplyRegistryEntry' as const, entry: e, batchId });
const revoke = { type: 'RevokeInstitution' as const, code: entry.code, batchId };
const registered: InstitutionEvent = { type: 'InstitutionRegistered', data: { ...entry, batchId } };
const revoked: InstitutionEvent = { type: 'InstitutionRevoked', data: { code: entry.code, batchId }, reason: '机构已在机构代码系统中撤销' };
const renamed = (from: string, to: string): InstitutionEvent => ({ type: 'InstitutionRenamed', data: { code: entry.code, from, to, batchId }, reason: '机构代码系统同步' });

describe('institution decider (registry sync)', () => {
  it('registers an institution the registry lists for the first time', () => {
    spec.given([]).when(apply()).then([registered]);
  });

  it('an unchanged registry row changes nothing: a sync can run again', () => {
    spec.given([registered]).when(apply()).then([]);
    spec.given([registered, renamed(entry.name, '郑州市中原区实验幼儿园')]).when(apply({ ...entry, name: '郑州市中原区实验幼儿园' })).then([]);
  });

  it('a new name is a rename, remembering the old one', () => {
    spec.given([registered]).when(apply({ ...entry, name: '郑州市中原区实验幼儿园' })).then([renamed(entry.name, '郑州市中原区实验幼儿园')]);
    spec.given([registered, renamed(entry.name, '郑州市中原区实验幼儿园')]).thenState({ entry: { ...entry, name: '郑州市中原区实验幼儿园' } });
  });

  it('other registry fields change together in one event; a rename and such a change both show', () => {
    const moved = { ...entry, divisionCode: '410103', licence: null };
    const details: InstitutionEvent = { type: 'InstitutionRegistryDetailsChanged', data: { code: entry.code, type: 'kindergarten', divisionCode: '410103', ownership: 'public', licence: null, batchId } };
    spec.given([registered]).when(apply(moved)).then([details]);
    spec.given([registered, details]).thenState({ entry: moved, revoked: false });
    spec.given([registered]).when(apply({ ...moved, name: '二七区幼儿园', ownership: 'private' })).then([
      renamed(entry.name, '二七区幼儿园'),
      { type: 'InstitutionRegistryDetailsChanged', data: { code: entry.code, type: 'kindergarten', divisionCode: '410103', ownership: 'private', licence: null, batchId } },
    ]);
  });

  it('revokes once, with the reason auditors read; revoking an unknown or revoked institution changes nothing', () => {
    spec.given([registered]).when(revoke).then([revoked]);
    spec.given([registered, revoked]).when(revoke).then([]);
    spec.given([]).when(revoke).then([]);
  });

  it('a revoked institution that reappears in the registry is reinstated, with any change it brings', () => {
    const reinstated: InstitutionEvent = { type: 'InstitutionReinstated', data: { code: entry.code, batchId }, reason: '机构重新出现在机构代码系统中' };
    spec.given([registered, revoked]).when(apply()).then([reinstated]);
    spec.given([registered, revoked, reinstated]).thenState({ revoked: false });
    spec.given([registered, revoked]).when(apply({ ...entry, name: '郑州市中原区实验幼儿园' })).then([reinstated, renamed(entry.name, '郑州市中原区实验幼儿园')]);
  });

  it('one stream per institution code', () => {
    expect(institutionStream(entry.code)).toBe('institution-1141010001');
  });
});
