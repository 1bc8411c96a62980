import { describe, expect, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { ACCOUNT_EVENTS } from './account.events.js';
import { securityLogDecider, securityLogStream } from './security-log.decider.js';

const spec = deciderSpec(securityLogDecider, new EventRegistry().register(ACCOUNT_EVENTS));
const at = '2026-09-01T08:00:00.000Z';

describe('security log decider', () => {
  it('records every login with an unknown username, by keyed hash, on the day’s stream', () => {
    const command = { type: 'RecordUnknownAccountLogin' as const, usernameHash: 'c'.repeat(64), at };
    spec.given([]).when(command).then([{ type: 'LoginFailedForUnknownAccount', data: { usernameHash: 'c'.repeat(64), failedAt: at } }]);
    // each attempt is a fact of its own
    spec.given([{ type: 'LoginFailedForUnknownAccount', data: { usernameHash: 'c'.repeat(64), failedAt: at } }]).when(command).then([{ type: 'LoginFailedForUnknownAccount', data: { usernameHash: 'c'.repeat(64), failedAt: at } }]);
    expect(securityLogStream('2026-09-01')).toBe('security-log-20260901');
  });
});
