import { describe, expect, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { type JSequenceEvent, jSequenceDecider } from './j-sequence.decider.js';
import { RECORD_EVENTS } from './record.events.js';
import { RECORD_NUMBER } from './record-number.js';

const spec = deciderSpec(jSequenceDecider, new EventRegistry().register(RECORD_EVENTS));
const at = '2026-09-05T02:00:00.000Z';
const [a, b, z] = ['6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7', '9c3f2e4a-5d6b-4c7d-8e9f-0a1b2c3d4e5f', '8b2e1d3f-4c5a-4b6c-8d7e-9f0a1b2c3d4e'];
const reserve = (recordId: string) => ({ type: 'ReserveJNumber' as const, areaCode: '410102', birthDate: '2022-03-15', recordId, at });
const reserved = (recordId: string, sequence: number, recordNumber: string): JSequenceEvent => ({
  type: 'JRecordNumberReserved',
  data: { areaCode: '410102', birthDate: '2022-03-15', sequence, recordNumber, recordId, reservedAt: at },
});

describe('J record-number sequence', () => {
  it('hands out sequences in order, each once, with a valid check character', () => {
    const first = spec.given([]).when(reserve(a)).then([reserved(a, 1, 'J410102202203150018')]);
    expect(first.byRecord[a]).toMatch(RECORD_NUMBER);
    spec.given([reserved(a, 1, 'J410102202203150018')]).when(reserve(b)).then([reserved(b, 2, 'J410102202203150026')]);
  });
  it('gives a record the number it already reserved (a retried approval), never a second one', () => {
    spec.given([reserved(a, 1, 'J410102202203150018')]).when(reserve(a)).then([]);
  });
  it('refuses past 999', () => {
    spec.given([reserved(z, 999, 'J410102202203159995')]).when(reserve(a)).thenFails('j-sequence-exhausted', 'rule');
  });
});
