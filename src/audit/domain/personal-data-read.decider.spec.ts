import { describe, expect, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { AUDIT_EVENTS } from './audit.events.js';
import { type PersonalDataReadEvent, personalDataReadDecider, personalDataReadStream } from './personal-data-read.decider.js';

const spec = deciderSpec(personalDataReadDecider, new EventRegistry().register(AUDIT_EVENTS));
const example = AUDIT_EVENTS[0]!.example as PersonalDataReadEvent['data'];
const command = { type: 'RecordRead' as const, readId: example.readId, reader: example.reader, route: example.route, clientAddress: example.clientAddress, subjects: example.subjects, at: example.readAt };

describe('personal-data read decider', () => {
  it('records each answer that showed children unmasked as a fact of its own, an answer that showed none as nothing', () => {
    const read: PersonalDataReadEvent = { type: 'PersonalDataRead', data: example };
    spec.given([]).when(command).then([read]);
    spec.given([read]).when(command).then([read]);
    spec.given([]).when({ ...command, subjects: [] }).then([]);
    spec.given([read, read]).thenState({ readIds: 2 });
  });

  it('names its stream by the reading account and the Beijing day, never by a child', () => {
    expect(personalDataReadStream(example.reader.accountId, '2026-09-05')).toBe(`personal-data-reads-${example.reader.accountId}-20260905`);
  });
});
