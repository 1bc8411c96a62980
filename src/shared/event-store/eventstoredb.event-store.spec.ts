import { describe, expect, it } from '@jest/globals';
import { eventStoreContract } from './event-store.contract.js';
import { EventStoreDbEventStore } from './eventstoredb.event-store.js';

const url = process.env['EVENTSTORE_URL'];

if (url) {
  eventStoreContract('eventstoredb', () => EventStoreDbEventStore.connect(url));
} else {
  console.warn('EVENTSTORE_URL is not set: the EventStoreDB contract suite was SKIPPED');
  describe.skip('EventStore contract: eventstoredb (set EVENTSTORE_URL, e.g. esdb://localhost:2113?tls=false)', () => {
    it('needs a running EventStoreDB', () => undefined);
  });
}

describe('EventStoreDbEventStore module', () => {
  it('loads and exports the adapter class', () => {
    expect(typeof EventStoreDbEventStore).toBe('function');
    expect(typeof EventStoreDbEventStore.connect).toBe('function');
  });
});
