import { describe, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { ENROLMENT_EVENTS } from './enrolment.events.js';
import { type PlacementEvent, placementDecider } from './placement.decider.js';
import { type RestorationEvent, restorationDecider } from './restoration.decider.js';

const registry = new EventRegistry().register(ENROLMENT_EVENTS);
const at = '2027-08-20T02:00:00.000Z';
const recordId = '6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7';
const [A, B] = ['3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', '4d2e3f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a'] as const;
const applicationId = '8b2e1d3f-4c5a-4b6c-8d7e-9f0a1b2c3d4e';
const place = (classId: string, move = false) => ({ type: 'Place' as const, recordId, institutionCode: '1141010001', classId, move, className: '中二班', at });
const placed = (classId: string, fromClassId: string | null = null): PlacementEvent => ({ type: 'ChildPlaced', data: { recordId, institutionCode: '1141010001', classId, fromClassId, placedAt: at } });

describe('placement decider (one class per child)', () => {
  const spec = deciderSpec(placementDecider, registry);
  it('places a child in no class; the same class again changes nothing', () => {
    spec.given([]).when(place(A)).then([placed(A)]);
    spec.given([placed(A)]).when(place(A)).then([]);
  });
  it('a child in a class is refused for another unless it is a class change', () => {
    spec.given([placed(A)]).when(place(B)).thenFails('child-already-in-class', 'conflict');
    spec.given([placed(A)]).when(place(B, true)).then([placed(B, A)]);
  });
  it('unplacing is idempotent and only for the class it is in', () => {
    spec.given([placed(A)]).when({ type: 'Unplace', classId: B, at }).then([]);
    spec.given([placed(A)]).when({ type: 'Unplace', classId: A, at }).then([{ type: 'ChildUnplaced', data: { recordId, classId: A, unplacedAt: at } }]);
  });
});

describe('restoration application decider', () => {
  const spec = deciderSpec(restorationDecider, registry);
  const apply = { type: 'ApplyForRestoration' as const, applicationId, institutionCode: '1141010001', divisionCode: '410102', category: 'graduated' as const, recordIds: [recordId], reason: '误将未满龄幼儿随班毕业', at };
  const applied: RestorationEvent = { type: 'RestorationApplied', data: { applicationId, institutionCode: '1141010001', divisionCode: '410102', category: 'graduated', recordIds: [recordId], appliedAt: at }, reason: '误将未满龄幼儿随班毕业' };
  it('applies with children and a reason', () => {
    spec.given([]).when(apply).then([applied]);
    spec.given([]).when({ ...apply, reason: ' ' }).thenFails('validation-failed');
  });
  it('approves or rejects once; a rejection needs a reason', () => {
    spec.given([applied]).when({ type: 'ApproveRestoration', at }).then([{ type: 'RestorationApproved', data: { applicationId, approvedAt: at } }]);
    spec.given([applied]).when({ type: 'RejectRestoration', reason: '', at }).thenFails('validation-failed');
    spec.given([applied, { type: 'RestorationRejected', data: { applicationId, rejectedAt: at }, reason: '幼儿已实际离园' }]).when({ type: 'ApproveRestoration', at }).thenFails('restoration-decided');
    spec.given([]).when({ type: 'ApproveRestoration', at }).thenFails('restoration-not-found');
  });
});
