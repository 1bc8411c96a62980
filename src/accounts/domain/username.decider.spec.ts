import { describe, expect, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { ACCOUNT_EVENTS } from './account.events.js';
import { type UsernameEvent, normaliseUsername, usernameDecider, usernameStream } from './username.decider.js';

const spec = deciderSpec(usernameDecider, new EventRegistry().register(ACCOUNT_EVENTS));
const at = '2026-09-01T08:00:00.000Z';
const accountId = '5b1b0e4e-2f59-4f3c-8d0c-0c7e0d8e9a11';
const other = '9c0e1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const reserved: UsernameEvent = { type: 'UsernameReserved', data: { username: '1141010001-review', accountId, reservedAt: at } };

describe('username reservation decider', () => {
  it('reserves a free username for an account, stored normalised', () => {
    spec.given([]).when({ type: 'ReserveUsername', username: ' 1141010001-Review ', accountId, at }).then([reserved]);
    spec.given([reserved]).thenState({ accountId });
  });

  it('the same account reserving it again changes nothing (a retried creation)', () => {
    spec.given([reserved]).when({ type: 'ReserveUsername', username: '1141010001-review', accountId, at }).then([]);
  });

  it('refuses a username another account holds', () => {
    const error = spec.given([reserved]).when({ type: 'ReserveUsername', username: '1141010001-REVIEW', accountId: other, at }).thenFails('username-taken', 'conflict');
    expect(error.message).toContain('1141010001-REVIEW');
  });

  it('case, width and surrounding spaces do not make a different username (one stream)', () => {
    expect(normaliseUsername('　１１４１０１０００１－ＲＥＶＩＥＷ　')).toBe('1141010001-review');
    expect(usernameStream('Admin ')).toBe(usernameStream('admin'));
    expect(usernameStream('admin')).toBe('username-admin');
  });
});
