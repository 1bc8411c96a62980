import { describe, expect, it } from '@jest/globals';
import { eventStoreContract } from './event-store.contract.js';
import { EventStoreDbEventStore } from './eventstoredb.event-store.js';

const url = process.env['EVENTSTORE_URL'];

// Without a server the contract's own tests are declared skipped, so jest's count shows them as
// skipped (not one placeholder test) and the name says what to set.
(url ? describe : describe.skip)('with a server (set EVENTSTORE_URL, e.g. kurrentdb://localhost:2113?tls=false, to run)', () => {
  eventStoreContract('eventstoredb', () => EventStoreDbEventStore.connect(url!));
});

describe('EventStoreDbEventStore module', () => {
  it('loads and exports the adapter class', () => {
    expect(typeof EventStoreDbEventStore).toBe('function');
    expect(typeof EventStoreDbEventStore.connect).toBe('function');
  });
});
