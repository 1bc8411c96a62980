import { describe, expect, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { INSTITUTION_EVENTS } from './institution.events.js';
import { type UnlicensedDetails, type UnlicensedEvent, unlicensedDecider, unlicensedStream } from './unlicensed.decider.js';

const spec = deciderSpec(unlicensedDecider, new EventRegistry().register(INSTITUTION_EVENTS));
const id = '3d9a8f1e-5b6c-4d7e-8f90-a1b2c3d4e5f6';
const at = '2026-09-15T02:00:00.000Z';
const later = '2026-11-01T02:00:00.000Z';
const details: UnlicensedDetails = { name: '小天使看护点', address: '中原区棉纺路 3 号院', children: 28, staff: 3, status: 'operating' };
const recorded: UnlicensedEvent = { type: 'UnlicensedInstitutionRecorded', data: { id, divisionCode: '410102', ...details, recordedAt: at } };
const closed: UnlicensedDetails = { ...details, children: 0, staff: 0, status: 'closed' };

describe('unlicensed institution decider', () => {
  it('records one in the county that found it', () => {
    const state = spec.given([]).when({ type: 'RecordUnlicensed', id, divisionCode: '410102', details, at }).then([recorded]);
    expect(state).toEqual({ divisionCode: '410102', details });
  });

  it('refuses to record the same one twice', () => {
    spec.given([recorded]).when({ type: 'RecordUnlicensed', id, divisionCode: '410102', details, at }).thenFails('unlicensed-exists', 'conflict');
  });

  it('updates its details, keeping its county; the same details again change nothing', () => {
    const updated: UnlicensedEvent = { type: 'UnlicensedInstitutionUpdated', data: { id, ...closed, updatedAt: later } };
    const state = spec.given([recorded]).when({ type: 'UpdateUnlicensed', id, details: closed, at: later }).then([updated]);
    expect(state).toEqual({ divisionCode: '410102', details: closed });
    spec.given([recorded]).when({ type: 'UpdateUnlicensed', id, details, at: later }).then([]);
    spec.given([recorded, updated]).when({ type: 'UpdateUnlicensed', id, details: { ...closed }, at: later }).then([]);
  });

  it('refuses to update one never recorded', () => {
    spec.given([]).when({ type: 'UpdateUnlicensed', id, details, at }).thenFails('unlicensed-not-found', 'not_found');
  });

  it('one stream per id (no name in the stream)', () => {
    expect(unlicensedStream(id)).toBe(`unlicensed-${id}`);
  });
});
